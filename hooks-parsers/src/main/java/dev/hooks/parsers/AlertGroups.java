package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.ParseFailure;
import dev.hooks.parsers.internal.Parsing;
import dev.hooks.parsers.internal.Times;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The alert-group notification shared by Prometheus Alertmanager and Grafana unified alerting:
 * one event describes the whole group, every alert stays in the payload.
 */
final class AlertGroups {
  // Alertmanager writes this for an alert that has not ended
  private static final String NOT_ENDED = "0001-01-01T00:00:00Z";

  private AlertGroups() {}

  static WebhookEvent.Builder toEvent(Delivery delivery, String provider, JsonNode root) {
    Json.object(root);
    JsonNode alerts = root.path("alerts");
    if (!alerts.isArray()) {
      throw new ParseFailure("missing field alerts");
    }
    String status = Json.required(root, "status");
    String action = status.toLowerCase(Locale.ROOT);
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
    return Parsing.event(delivery, DeliveryIds.contentHash(delivery), provider, "alert", root)
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
