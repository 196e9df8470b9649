package dev.hooks.endpoints.discord;

import java.util.Objects;

/**
 * The HTTP answer to one interaction: a status and a JSON body. Not a record: the body of a
 * deferred command's follow-up may hold a generated secret, so {@link #toString()} leaves it out.
 * Immutable.
 */
public final class InteractionReply {
  private final int status;
  private final String body;

  InteractionReply(int status, String body) {
    this.status = status;
    this.body = Objects.requireNonNull(body, "body");
  }

  /** The HTTP status: 200 for an interaction answered, 400 for a malformed one, 401 for a bad signature. */
  public int status() {
    return status;
  }

  /** The JSON body, an interaction response for a 200. */
  public String body() {
    return body;
  }

  @Override
  public String toString() {
    return "InteractionReply[" + status + "]";
  }
}
