package dev.hooks.ingress;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer to one webhook request, one row of the "Answers over HTTP" table: 202 accepted,
 * 200 duplicate, or a rejection with a stable error code. The JSON body never holds a secret.
 * Immutable and thread-safe.
 */
public final class IngressResult {

  /** Stable error codes, one per rejection; tests and clients may rely on them. */
  public enum Error {
    UNKNOWN_ENDPOINT(404, "unknown_endpoint"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    FORBIDDEN(403, "forbidden"),
    BODY_TOO_LARGE(413, "body_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    BAD_BODY(400, "bad_body"),
    UNAUTHORIZED(401, "unauthorized"),
    UNPARSEABLE(400, "unparseable"),
    QUEUE_FULL(429, "queue_full"),
    JOURNAL_UNAVAILABLE(503, "journal_unavailable");

    private final int status;
    private final String code;

    Error(int status, String code) {
      this.status = status;
      this.code = code;
    }

    public int status() {
      return status;
    }

    /** The value of the {@code "error"} field. */
    public String code() {
      return code;
    }
  }

  private final int status;
  private final String requestId;
  private final @Nullable Error error;
  private final @Nullable String message;
  private final int retryAfterSeconds;
  private final @Nullable String eventType;

  private IngressResult(int status, String requestId, @Nullable Error error, @Nullable String message, int retryAfterSeconds,
      @Nullable String eventType) {
    this.status = status;
    this.requestId = Objects.requireNonNull(requestId, "requestId");
    this.error = error;
    this.message = message;
    this.retryAfterSeconds = retryAfterSeconds;
    this.eventType = eventType;
  }

  /** 202: journaled and queued for dispatch. */
  public static IngressResult accepted(String requestId) {
    return new IngressResult(202, requestId, null, null, 0, null);
  }

  /** 202: journaled and queued for dispatch, an event of type {@code eventType}. */
  public static IngressResult accepted(String requestId, String eventType) {
    return new IngressResult(202, requestId, null, null, 0, Objects.requireNonNull(eventType, "eventType"));
  }

  /** 200: seen before; {@code firstRequestId} is the id the first delivery was given. */
  public static IngressResult duplicate(String firstRequestId) {
    return new IngressResult(200, firstRequestId, null, null, 0, null);
  }

  /** 200: seen before, an event of type {@code eventType}; {@code firstRequestId} is the first delivery's id. */
  public static IngressResult duplicate(String firstRequestId, String eventType) {
    return new IngressResult(200, firstRequestId, null, null, 0, Objects.requireNonNull(eventType, "eventType"));
  }

  /**
   * A rejection.
   *
   * @param message a reason for the sender (400s only), naming the bad input and never a secret
   */
  public static IngressResult rejected(Error error, String requestId, @Nullable String message) {
    return new IngressResult(error.status(), requestId, error, message, error == Error.QUEUE_FULL ? 1 : 0, null);
  }

  public int status() {
    return status;
  }

  public String requestId() {
    return requestId;
  }

  public Optional<Error> error() {
    return Optional.ofNullable(error);
  }

  public Optional<String> message() {
    return Optional.ofNullable(message);
  }

  /** Seconds for a {@code Retry-After} header; 0 when none is due. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The normalized type of the event stored (such as {@code push}), when it was parsed. */
  public Optional<String> eventType() {
    return Optional.ofNullable(eventType);
  }

  /** For 405, the {@code Allow} header value. */
  public Optional<String> allow() {
    return error == Error.METHOD_NOT_ALLOWED ? Optional.of("POST") : Optional.empty();
  }

  /** Whether the delivery is stored: accepted now or before. */
  public boolean isStored() {
    return status == 202 || status == 200;
  }

  /** The JSON body: {@code {"request_id":...}} or {@code {"error":...,"request_id":...,"message":...}}. */
  public byte[] body() {
    StringBuilder s = new StringBuilder(96).append('{');
    if (error != null) {
      s.append("\"error\":\"").append(error.code()).append("\",");
    }
    s.append("\"request_id\":");
    appendJsonString(s, requestId);
    if (message != null) {
      s.append(",\"message\":");
      appendJsonString(s, message);
    }
    return s.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendJsonString(StringBuilder s, String value) {
    s.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> {
          if (c < 0x20) {
            s.append(String.format("\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    s.append('"');
  }

  @Override
  public String toString() {
    return "IngressResult[" + status + (error != null ? " " + error.code() : "") + " " + requestId + "]";
  }
}
