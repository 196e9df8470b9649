package dev.hooks.admin;

import dev.hooks.HooksException;
import java.util.Objects;

/**
 * A management request that cannot be done as asked: an unknown endpoint, a bad value, a
 * conflict. Carries the HTTP status and a stable reason code for the admin API's answer
 * ({@code {"error":"<code>","message":"<message>"}}); the message names the bad input, never a
 * secret. Immutable.
 *
 * <pre>{@code
 * throw AdminException.invalid("unknown kind 'svn'; use github, gitlab, docker, ci or custom");
 * }</pre>
 */
public class AdminException extends HooksException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  /**
   * @param status the HTTP status, 400 to 499
   * @param code a stable reason code such as {@code invalid} or {@code not_found}
   * @throws IllegalArgumentException if {@code status} is not a 4xx status
   */
  public AdminException(int status, String code, String message) {
    super(message);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("admin errors are 4xx, not " + status);
    }
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
  }

  /** 400 {@code invalid}: the request names a bad value. */
  public static AdminException invalid(String message) {
    return new AdminException(400, "invalid", message);
  }

  /** 404 {@code not_found}: no endpoint has id {@code id}. */
  public static AdminException notFound(String id) {
    return new AdminException(404, "not_found", "no endpoint '" + id + "'");
  }

  /** 409 {@code conflict}: the request does not fit the endpoint's state, or another change won. */
  public static AdminException conflict(String message) {
    return new AdminException(409, "conflict", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
