package dev.hooks.parsers.internal;

import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.ParseResult;
import java.util.function.Supplier;

/** Runs a parser body so that nothing escapes: the contract of {@code PayloadParser}. */
public final class Parsing {
  private Parsing() {}

  /**
   * Runs {@code body}: its event is a success, a {@link ParseFailure} a failure with its reason,
   * and any other runtime exception a failure that names the provider but not the input (the
   * exception's message could quote the payload).
   */
  public static ParseResult guard(String provider, Supplier<WebhookEvent> body) {
    try {
      return ParseResult.ok(body.get());
    } catch (ParseFailure f) {
      return ParseResult.failed(f.reason());
    } catch (RuntimeException | StackOverflowError e) {
      return ParseResult.failed("unexpected " + provider + " payload (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** A builder with the delivery's endpoint, receive time and the payload set. */
  public static WebhookEvent.Builder event(
      Delivery delivery, String id, String provider, String type, com.fasterxml.jackson.databind.JsonNode payload) {
    return WebhookEvent.builder(id, provider, type)
        .endpointId(delivery.endpointId())
        .receivedAt(delivery.receivedAt())
        .payload(payload);
  }

  /** The first non-blank value of {@code header}, or null. */
  public static @org.jspecify.annotations.Nullable String header(Delivery delivery, String header) {
    return delivery.headers().first(header).filter(v -> !v.isBlank()).map(String::trim).orElse(null);
  }
}
