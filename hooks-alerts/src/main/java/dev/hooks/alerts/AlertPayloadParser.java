package dev.hooks.alerts;

import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.PayloadParsers;
import java.util.Map;

/**
 * Reads an alert endpoint's body as JSON (the generic parser) and gives each request an id of its
 * own: the body's hash and the instant it was received, so that a monitor repeating an identical
 * body (Alertmanager's repeat interval, Uptime Kuma's resend) is a repeat — a note on the open
 * ticket — and not a duplicate delivery. The id is the same when the journal re-reads the entry
 * after a restart. Thread-safe.
 */
public final class AlertPayloadParser implements PayloadParser {
  private final PayloadParser json = PayloadParsers.forProvider("generic", Map.of("type", "alert"));

  @Override
  public ParseResult parse(Delivery delivery) {
    ParseResult r = json.parse(delivery);
    if (!r.isOk()) {
      return r;
    }
    WebhookEvent e = r.event();
    if (!e.payload().isContainerNode()) {
      return ParseResult.failed("the body is not a JSON object or array");
    }
    // microseconds: the precision the JDBC journal keeps receivedAt with
    long micros = delivery.receivedAt().getEpochSecond() * 1_000_000L + delivery.receivedAt().getNano() / 1_000;
    String id = DeliveryIds.contentHash(delivery) + "@" + micros;
    return ParseResult.ok(e.toBuilder().id(id).provider("alerts").build());
  }

  @Override
  public String toString() {
    return "AlertPayloadParser";
  }
}
