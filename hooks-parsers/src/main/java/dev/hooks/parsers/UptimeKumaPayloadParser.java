package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.EventActions;
import dev.hooks.event.EventTypes;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.ParseFailure;
import dev.hooks.parsers.internal.Parsing;
import dev.hooks.parsers.internal.Times;

/**
 * Parses Uptime Kuma's "Webhook" notification ({@code {"heartbeat", "monitor", "msg"}}) into
 * events of provider {@code uptime-kuma}, type {@code alert}.
 *
 * <table>
 *   <caption>Normalization of heartbeat.status</caption>
 *   <tr><th>status</th><th>action</th><th>source_action</th><th>severity</th></tr>
 *   <tr><td>0</td><td>firing</td><td>down</td><td>ERROR</td></tr>
 *   <tr><td>1</td><td>resolved</td><td>up</td><td>OK</td></tr>
 *   <tr><td>2</td><td>firing</td><td>pending</td><td>WARNING</td></tr>
 *   <tr><td>3</td><td>resolved</td><td>maintenance</td><td>INFO</td></tr>
 * </table>
 *
 * <p>Subject: the monitor's name; url: the monitor's URL (or hostname); status: the heartbeat's
 * status number as sent; occurredAt: the heartbeat's time (Uptime Kuma writes it in UTC).
 * Attributes: {@code monitor_id}, {@code monitor_type}, {@code message} (the heartbeat's
 * message), {@code important}. The "Test" button sends {@code heartbeat: null} and {@code
 * monitor: null}: that becomes action {@code test} with severity INFO and the message ({@code msg})
 * as subject. The id is the content hash: the heartbeat time makes it
 * unique.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent e = new UptimeKumaPayloadParser().parse(delivery).event();
 * if (e.action().orElse("").equals(EventActions.FIRING)) page(e.subject().orElseThrow());
 * }</pre>
 */
public final class UptimeKumaPayloadParser implements PayloadParser {
  static final String PROVIDER = "uptime-kuma";

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "UptimeKumaPayloadParser";
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    JsonNode heartbeat = root.path("heartbeat");
    JsonNode monitor = root.path("monitor");
    String msg = Json.text(root, "msg");
    if (!heartbeat.isObject() && msg == null) {
      throw new ParseFailure("missing field heartbeat");
    }
    String status = Json.text(heartbeat, "status");
    String action;
    Severity severity;
    String state;
    if (!heartbeat.isObject()) {
      action = EventActions.TEST;
      severity = Severity.INFO;
      state = "test";
    } else if (status == null) {
      throw new ParseFailure("missing field heartbeat.status");
    } else {
      switch (status) {
        case "0" -> {
          action = EventActions.FIRING;
          severity = Severity.ERROR;
          state = "down";
        }
        case "1" -> {
          action = EventActions.RESOLVED;
          severity = Severity.OK;
          state = "up";
        }
        case "2" -> {
          action = EventActions.FIRING;
          severity = Severity.WARNING;
          state = "pending";
        }
        case "3" -> {
          action = EventActions.RESOLVED;
          severity = Severity.INFO;
          state = "maintenance";
        }
        default -> throw new ParseFailure("unknown heartbeat.status " + status);
      }
    }
    return Parsing.event(delivery, DeliveryIds.contentHash(delivery), PROVIDER, EventTypes.ALERT, root)
        .action(action)
        // a test notification names no monitor: its message is all it says
        .subject(Json.first(Json.text(monitor, "name"), heartbeat.isObject() ? null : msg))
        .url(Json.first(Json.text(monitor, "url"), Json.text(monitor, "hostname")))
        .status(status)
        .severity(severity)
        .occurredAt(Times.parseUtc(Json.text(heartbeat, "time")))
        .attribute(EventActions.SOURCE_ACTION, state)
        .attribute("monitor_id", Json.first(Json.text(monitor, "id"), Json.text(heartbeat, "monitorID")))
        .attribute("monitor_type", Json.text(monitor, "type"))
        .attribute("message", Json.first(Json.text(heartbeat, "msg"), msg))
        .attribute("important", Json.text(heartbeat, "important"))
        .build();
  }
}
