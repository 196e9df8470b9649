package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.EventActions;
import dev.hooks.event.EventTypes;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.ParseFailure;
import dev.hooks.parsers.internal.Parsing;
import dev.hooks.parsers.internal.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The alert-group notification shared by Prometheus Alertmanager and Grafana unified alerting.
 * Their parsers make one event for the whole group, every alert staying in its payload; {@link
 * #split} makes one event per alert of it, for handlers that track, deduplicate or notify alert by
 * alert. Stateless and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent group = new AlertmanagerPayloadParser().parse(delivery).event();
 * for (WebhookEvent alert : AlertGroups.split(group)) {
 *   incidents.track(alert.attribute("fingerprint").orElseThrow(), alert.action().orElseThrow());
 * }
 * }</pre>
 */
public final class AlertGroups {
  // Alertmanager writes this for an alert that has not ended
  private static final String NOT_ENDED = "0001-01-01T00:00:00Z";

  private AlertGroups() {}

  /**
   * One event per alert of an Alertmanager or Grafana group event, in the group's order; any other
   * event (no {@code alerts} array in its payload) as the only element.
   *
   * <p>Each alert's event has the group's provider, endpoint, source event and receive time, and:
   * id {@code <group id>:<fingerprint>} (the alert's position when it has no fingerprint); type
   * {@code alert}; action and status the alert's own status ({@code firing} or {@code resolved};
   * the group's when the alert has none, as in Alertmanager before 0.x); subject its {@code
   * alertname} label; severity its {@code severity} label through {@link Severity#parse} ({@code OK}
   * when resolved); url its dashboard, panel or generator URL; occurredAt its start, or its end when
   * resolved; attributes {@code fingerprint}, {@code group_key}, {@code receiver}, {@code
   * alert_index}, {@code summary}, {@code description} and each label as {@code label.<name>}. The
   * payload is the alert's own JSON object ({@code $.labels.severity}). The fingerprint identifies
   * the alert across notifications: deduplicate on it, not on the id.
   *
   * @throws NullPointerException if {@code group} is null
   */
  public static List<WebhookEvent> split(WebhookEvent group) {
    JsonNode alerts = group.payload().path("alerts");
    if (!alerts.isArray() || !EventTypes.ALERT.equals(group.type())) {
      return List.of(group);
    }
    String groupStatus = group.action().orElse(EventActions.FIRING);
    List<WebhookEvent> out = new ArrayList<>(alerts.size());
    int index = 0;
    for (JsonNode alert : alerts) {
      String s = Json.first(Json.text(alert, "status"), groupStatus).toLowerCase(Locale.ROOT);
      boolean resolved = s.equals(EventActions.RESOLVED);
      String fp = Json.text(alert, "fingerprint");
      String severityLabel = Json.text(alert, "labels", "severity");
      String end = Json.text(alert, "endsAt");
      Instant ended = NOT_ENDED.equals(end) ? null : Times.parse(end);
      WebhookEvent.Builder b = WebhookEvent.builder(group.id() + ":" + (fp != null ? fp : Integer.toString(index)),
              group.provider(), EventTypes.ALERT)
          .endpointId(group.endpointId())
          .receivedAt(group.receivedAt())
          .sourceEvent(group.sourceEvent().orElse(null))
          .action(resolved ? EventActions.RESOLVED : EventActions.FIRING)
          .status(Json.first(Json.text(alert, "status"), group.status().orElse(null)))
          .subject(Json.text(alert, "labels", "alertname"))
          .severity(resolved ? Severity.OK : severityLabel == null ? Severity.UNKNOWN : Severity.parse(severityLabel))
          .url(Json.first(Json.text(alert, "dashboardURL"), Json.text(alert, "panelURL"), Json.text(alert, "generatorURL")))
          .occurredAt(resolved && ended != null ? ended : Times.parse(Json.text(alert, "startsAt")))
          .payload(alert)
          .attribute("fingerprint", fp)
          .attribute("group_key", group.attribute("group_key").orElse(null))
          .attribute("receiver", group.attribute("receiver").orElse(null))
          .attribute("alert_index", Integer.toString(index))
          .attribute("summary", Json.text(alert, "annotations", "summary"))
          .attribute("description", Json.text(alert, "annotations", "description"));
      alert.path("labels").fields().forEachRemaining(f -> {
        if (f.getValue().isValueNode()) {
          b.attribute("label." + f.getKey(), f.getValue().asText());
        }
      });
      out.add(b.build());
      index++;
    }
    return List.copyOf(out);
  }

  static WebhookEvent.Builder toEvent(Delivery delivery, String provider, JsonNode root) {
    Json.object(root);
    JsonNode alerts = root.path("alerts");
    if (!alerts.isArray()) {
      throw new ParseFailure("missing field alerts");
    }
    String status = Json.required(root, "status");
    String action = status.toLowerCase(Locale.ROOT);
    if (!action.equals(EventActions.FIRING) && !action.equals(EventActions.RESOLVED)) {
      throw new ParseFailure("unknown status " + status + "; expected firing or resolved");
    }
    boolean resolved = action.equals("resolved");
    int firing = 0;
    int resolvedCount = 0;
    Severity highest = Severity.UNKNOWN;
    Instant firstStart = null;
    Instant lastEnd = null;
    JsonNode lead = null;
    Set<String> names = new LinkedHashSet<>();
    Set<String> fingerprints = new LinkedHashSet<>();
    for (JsonNode alert : alerts) {
      // older Alertmanager releases send no per-alert status: the group's applies
      String s = Json.first(Json.text(alert, "status"), status);
      boolean alertResolved = "resolved".equalsIgnoreCase(s);
      String name = Json.text(alert, "labels", "alertname");
      if (name != null) {
        names.add(name);
      }
      String fp = Json.text(alert, "fingerprint");
      if (fp != null) {
        fingerprints.add(fp);
      }
      if (alertResolved) {
        resolvedCount++;
        String end = Json.text(alert, "endsAt");
        Instant e = NOT_ENDED.equals(end) ? null : Times.parse(end);
        if (e != null && (lastEnd == null || e.isAfter(lastEnd))) {
          lastEnd = e;
        }
      } else {
        firing++;
        if (lead == null) {
          lead = alert;
        }
        String label = Json.text(alert, "labels", "severity");
        Severity sev = label == null ? Severity.UNKNOWN : Severity.parse(label);
        if (sev.ordinal() < highest.ordinal()) {
          highest = sev;
        }
        Instant st = Times.parse(Json.text(alert, "startsAt"));
        if (st != null && (firstStart == null || st.isBefore(firstStart))) {
          firstStart = st;
        }
      }
    }
    if (lead == null && alerts.size() > 0) {
      lead = alerts.get(0);
    }
    JsonNode first = lead == null ? root.path("alerts").path(0) : lead;
    String common = Json.first(Json.text(root, "commonLabels", "alertname"), Json.text(root, "groupLabels", "alertname"),
        names.size() == 1 ? names.iterator().next() : null);
    return Parsing.event(delivery, DeliveryIds.contentHash(delivery), provider, EventTypes.ALERT, root)
        .action(action)
        .subject(Json.first(common, Json.text(first, "labels", "alertname")))
        .status(status)
        .severity(resolved ? Severity.OK : highest)
        // Json.text treats Grafana's empty dashboardURL/panelURL as absent
        .url(Json.first(Json.text(first, "dashboardURL"), Json.text(first, "panelURL"), Json.text(first, "generatorURL"),
            Json.text(root, "externalURL")))
        .occurredAt(resolved ? Json.first(lastEnd, firstStart) : Json.first(firstStart, lastEnd))
        .attribute("receiver", Json.text(root, "receiver"))
        .attribute("group_key", Json.text(root, "groupKey"))
        .attribute("alert_count", Integer.toString(alerts.size()))
        .attribute("firing_count", Integer.toString(firing))
        .attribute("resolved_count", Integer.toString(resolvedCount))
        .attribute("truncated_alerts", Json.text(root, "truncatedAlerts"))
        .attribute("alertnames", String.join(",", names))
        .attribute("fingerprints", String.join(",", fingerprints))
        .attribute("summary", Json.first(Json.text(root, "commonAnnotations", "summary"),
            Json.text(first, "annotations", "summary")))
        .attribute("description", Json.first(Json.text(root, "commonAnnotations", "description"),
            Json.text(first, "annotations", "description")));
  }
}
