package dev.hooks.parse;

import dev.hooks.event.WebhookEvent;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a {@link PayloadParser}: an event, or a failure with a reason that ingress
 * returns to the sender with a 400 (so it must never hold a secret).
 */
public final class ParseResult {
  private final @Nullable WebhookEvent event;
  private final String failure;

  private ParseResult(@Nullable WebhookEvent event, String failure) {
    this.event = event;
    this.failure = failure;
  }

  public static ParseResult ok(WebhookEvent event) {
    return new ParseResult(Objects.requireNonNull(event, "event"), "");
  }

  /**
   * @param reason names the bad input, for example {@code "body is not JSON"} or
   *     {@code "missing field ref"}
   */
  public static ParseResult failed(String reason) {
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a failure needs a reason");
    }
    return new ParseResult(null, reason);
  }

  public boolean isOk() {
    return event != null;
  }

  /**
   * @throws IllegalStateException if this is a failure
   */
  public WebhookEvent event() {
    if (event == null) {
      throw new IllegalStateException("parse failed: " + failure);
    }
    return event;
  }

  /** The event, if parsing succeeded. */
  public Optional<WebhookEvent> toOptional() {
    return Optional.ofNullable(event);
  }

  /** The failure reason; empty when ok. */
  public String failure() {
    return failure;
  }

  @Override
  public String toString() {
    return event != null ? "ParseResult[" + event + "]" : "ParseResult[failed: " + failure + "]";
  }
}
