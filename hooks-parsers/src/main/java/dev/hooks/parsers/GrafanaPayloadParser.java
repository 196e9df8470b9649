package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.Parsing;

/**
 * Parses Grafana unified alerting webhook notifications (Grafana 8 and later, payload version 1) into events of provider {@code grafana}, type {@code alert}.
 *
 * <p>A notification carries a group of alerts. The event describes the group; every alert stays in
 * {@link WebhookEvent#payload()} ({@code $.alerts[*]}) for routes and templates that need each one:
 *
 * <ul>
 *   <li>action and status: the group's status, {@code firing} or {@code resolved} (a group fires
 *       while any of its alerts fires);
 *   <li>subject: the common {@code alertname} (common labels, else group labels, else the one name
 *       all alerts share), else the first firing alert's;
 *   <li>severity: the highest {@code severity} label among the firing alerts ({@link
 *       dev.hooks.event.Severity#parse}), {@code OK} for a resolved group, {@code UNKNOWN} when no
 *       firing alert has one;
 *   <li>occurredAt: the earliest start among firing alerts, for a resolved group the latest end;
 *   <li>url: the first firing alert's dashboard or panel link, else its generator URL, else the
 *       sender's external URL;
 *   <li>attributes: {@code receiver}, {@code group_key}, {@code alert_count}, {@code firing_count},
 *       {@code resolved_count}, {@code truncated_alerts}, {@code alertnames} and {@code fingerprints}
 *       (comma-separated, in order), {@code summary} and {@code description} (common annotations,
 *       else the first alert's).
 * </ul>
 *
 * <p>There is no delivery header, so the id is the content hash: a notification repeated with the
 * same content (Alertmanager's {@code repeat_interval}) is recognized as a duplicate.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent e = new GrafanaPayloadParser().parse(delivery).event();
 * for (JsonNode alert : e.payload().path("alerts")) { ... }
 * }</pre>
 */
public final class GrafanaPayloadParser implements PayloadParser {
  static final String PROVIDER = "grafana";

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "GrafanaPayloadParser";
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    return AlertGroups.toEvent(delivery, PROVIDER, root)
        .attribute("state", Json.text(root, "state"))
        .attribute("title", Json.text(root, "title"))
        .build();
  }
}
