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
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses Zabbix webhook media-type deliveries into events of provider {@code zabbix}, type
 * {@code alert}. A Zabbix webhook's body is whatever its media type's script builds from macros,
 * so two common shapes are read:
 *
 * <ul>
 *   <li>flat: {@code hostname}, {@code severity}, {@code status}, {@code item}, {@code trigger},
 *       {@code link} (the shape of the widely used Zulip and Rocket.Chat media types);
 *   <li>nested: {@code event.{id, name, severity, status, value}}, {@code trigger.{name,
 *       description}}, {@code host.{name}} (the shape the HookWise recipes map with {@code
 *       $.event.status}).
 * </ul>
 *
 * <p>Action: {@code firing} for PROBLEM (or event value 1), {@code resolved} for OK / RESOLVED (or
 * value 0), {@code firing} with attribute {@code source_action} {@code updated} for UPDATE (a
 * problem acknowledged or commented, still open); any other status is a failure. Subject: the trigger (event) name. Severity: Zabbix's word
 * through {@link Severity#parse} (Disaster → CRITICAL, High → ERROR, Average and Warning → WARNING,
 * Information and Not classified → INFO), OK when resolved. Attributes: {@code host}, {@code item},
 * {@code event_id} (from the event, else the link's {@code eventid}), {@code trigger_id}. The id is
 * the content hash.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent e = new ZabbixPayloadParser().parse(delivery).event();
 * }</pre>
 */
public final class ZabbixPayloadParser implements PayloadParser {
  static final String PROVIDER = "zabbix";
  private static final Pattern EVENT_ID = Pattern.compile("[?&]eventid=(\\d+)");
  private static final Pattern TRIGGER_ID = Pattern.compile("[?&]triggerid=(\\d+)");

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "ZabbixPayloadParser";
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    JsonNode event = root.path("event");
    String status = Json.first(Json.text(event, "status"), Json.text(root, "status"), Json.text(root, "event_status"));
    String value = Json.first(Json.text(event, "value"), Json.text(root, "event_value"));
    if (status == null && value == null) {
      throw new ParseFailure("missing field status");
    }
    String action = actionOf(status, value);
    if (action == null) {
      throw new ParseFailure("unknown status " + Json.first(status, value) + "; expected PROBLEM, OK, RESOLVED or UPDATE");
    }
    String name = Json.first(Json.text(event, "name"), Json.text(root, "trigger", "name"), Json.text(root, "trigger"),
        Json.text(root, "event_name"), Json.text(root, "subject"));
    String severityWord = Json.first(Json.text(event, "severity"), Json.text(root, "severity"),
        Json.text(root, "event_severity"));
    String link = Json.first(Json.text(root, "link"), Json.text(root, "url"), Json.text(event, "url"));
    return Parsing.event(delivery, DeliveryIds.contentHash(delivery), PROVIDER, EventTypes.ALERT, root)
        .action(action)
        .attribute(EventActions.SOURCE_ACTION, status != null && status.trim().equalsIgnoreCase("UPDATE") ? "updated" : null)
        .subject(name)
        .url(link)
        .status(Json.first(status, value))
        .severity("resolved".equals(action) ? Severity.OK : severityWord == null ? Severity.UNKNOWN
            : Severity.parse(severityWord))
        .attribute("host", Json.first(Json.text(root, "host", "name"), Json.text(root, "hostname"),
            Json.text(root, "host"), Json.text(root, "host_name")))
        .attribute("item", Json.first(Json.text(root, "item"), Json.text(root, "item", "name")))
        .attribute("severity", severityWord)
        .attribute("description", Json.text(root, "trigger", "description"))
        .attribute("event_id", Json.first(Json.text(event, "id"), Json.text(root, "event_id"), group(EVENT_ID, link)))
        .attribute("trigger_id", Json.first(Json.text(root, "trigger", "id"), group(TRIGGER_ID, link)))
        .build();
  }

  private static @Nullable String actionOf(@Nullable String status, @Nullable String value) {
    if (status != null) {
      return switch (status.trim().toUpperCase(Locale.ROOT)) {
        case "PROBLEM" -> "firing";
        case "OK", "RESOLVED" -> "resolved";
        // an update (acknowledgement, comment) of a problem that is still open
        case "UPDATE" -> "firing";
        default -> null;
      };
    }
    if (value != null) {
      return "1".equals(value) ? "firing" : "0".equals(value) ? "resolved" : null;
    }
    return null;
  }

  private static @Nullable String group(Pattern p, @Nullable String text) {
    if (text == null) {
      return null;
    }
    Matcher m = p.matcher(text);
    return m.find() ? m.group(1) : null;
  }
}
