package dev.hooks.parsers;

import static dev.hooks.parsers.Deliveries.attrs;
import static dev.hooks.parsers.Deliveries.expected;
import static dev.hooks.parsers.Deliveries.fields;
import static dev.hooks.parsers.Deliveries.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alertmanager, Grafana, Zabbix and Uptime Kuma. */
class MonitoringPayloadParsersTest {

  private static WebhookEvent ok(PayloadParser parser, String file) {
    Delivery d = json(file);
    ParseResult r = parser.parse(d);
    assertThat(r.failure()).isEmpty();
    assertThat(r.event().id()).isEqualTo(DeliveryIds.contentHash(d));
    return r.event();
  }

  @Test
  void alertmanagerFiringGroupDescribesTheGroupAndKeepsEveryAlert() {
    WebhookEvent e = ok(new AlertmanagerPayloadParser(), "alertmanager/zulip-alert.json");
    assertThat(fields(e)).isEqualTo(expected(e.id(), "alertmanager", "alert",
        "action", "firing", "subject", "High CPU Temperature", "status", "firing", "severity", "CRITICAL",
        "url", "http://cobalt:9090/graph?g0.expr=avg+by%28host%29+%28sensors_temp_input%7Bfeature%3D~%22core_%5B0-9%5D%2B%22%7D%29+%3E+15&g0.tab=1",
        "occurredAt", "2020-02-06T00:17:58.432911368Z"));
    assertThat(e.attributes()).isEqualTo(attrs("receiver", "ops-zulip", "group_key", "{}/{}:{}", "alert_count", "2",
        "firing_count", "2", "resolved_count", "0", "alertnames", "High CPU Temperature",
        "fingerprints", "a1bc48475b20e73d,c2ea85182f28cbd9", "summary", "High CPU core temperature",
        "description", "CPU core temperature is 34.75C"));
    assertThat(e.payload().path("alerts").size()).isEqualTo(2);
  }

  @Test
  void alertmanagerResolvedGroupIsOk() {
    WebhookEvent e = ok(new AlertmanagerPayloadParser(), "alertmanager/zulip-single_alert.json");
    assertThat(fields(e)).isEqualTo(expected(e.id(), "alertmanager", "alert",
        "action", "resolved", "subject", "High CPU Temperature", "status", "resolved", "severity", "OK",
        "url", "http://cobalt:9090/graph?g0.expr=avg+by%28host%29+%28sensors_temp_input%7Bfeature%3D~%22core_%5B0-9%5D%2B%22%7D%29+%3E+15&g0.tab=1"));
    assertThat(e.attributes()).containsEntry("firing_count", "0").containsEntry("resolved_count", "1");
  }

  @Test
  void alertmanagerWithoutPerAlertStatusAndALargeGroup() {
    WebhookEvent one = ok(new AlertmanagerPayloadParser(), "alertmanager/msteams-prom_post_request.json");
    assertThat(fields(one)).isEqualTo(expected(one.id(), "alertmanager", "alert",
        "action", "firing", "subject", "high_memory_load", "status", "firing", "severity", "WARNING",
        "url", "http://docker.for.mac.host.internal:9093", "occurredAt", "2018-03-07T11:33:21.873077559Z"));
    WebhookEvent many = ok(new AlertmanagerPayloadParser(), "alertmanager/msteams-large_prom_post_request.json");
    assertThat(many.subject()).contains("NodeEvent");
    assertThat(many.severity().name()).isEqualTo("CRITICAL");
    assertThat(many.attribute("alert_count")).contains("19");
    assertThat(many.attribute("firing_count")).contains("19");
    assertThat(many.occurredAt()).hasValue(java.time.Instant.parse("2019-01-09T15:20:40.341301011Z"));
  }

  @Test
  void grafanaDocumentationExampleWithTwoDifferentAlerts() {
    WebhookEvent e = ok(new GrafanaPayloadParser(), "grafana/docs-two-firing.json");
    assertThat(fields(e)).isEqualTo(expected(e.id(), "grafana", "alert",
        "action", "firing", "subject", "High memory usage", "status", "firing", "severity", "UNKNOWN",
        "url", "https://play.grafana.org/alerting/1afz29v7z/edit", "occurredAt", "2021-10-12T07:51:03.157076Z"));
    assertThat(e.attributes()).isEqualTo(attrs("receiver", "My Super Webhook", "group_key", "{}:{}",
        "alert_count", "2", "firing_count", "2", "resolved_count", "0", "truncated_alerts", "0",
        "alertnames", "High memory usage,High CPU usage", "fingerprints", "c6eadffa33fcdf37,bc97ff14869b13e3",
        "summary", "This alert was triggered for zone us-1", "description", "The system has high memory usage",
        "state", "alerting", "title", "[FIRING:2]  (blue)"));
  }

  @Test
  void grafanaGroupWithOneFiringAndTwoResolvedAlertsIsFiringAndNamedByTheFiringOne() {
    WebhookEvent e = ok(new GrafanaPayloadParser(), "grafana/zulip-alert-9-mixed.json");
    assertThat(fields(e)).isEqualTo(expected(e.id(), "grafana", "alert",
        "action", "firing", "subject", "Second webhook test", "status", "firing", "severity", "UNKNOWN",
        "url", "https://grafana.example.com/alerting/grafana/_0rkK_C7z/view",
        "occurredAt", "2022-06-17T01:03:00.782137894Z"));
    assertThat(e.attributes()).isEqualTo(attrs("receiver", "Webhook test", "group_key", "{}/{test=\"true\"}:{}",
        "alert_count", "3", "firing_count", "1", "resolved_count", "2", "truncated_alerts", "0",
        "alertnames", "Test alert,Second webhook test", "fingerprints", "aaafafe0953f0962,fb31814ac93dbe7d,6f9cd313db421ef1",
        "summary", "Testing **another** failing alert", "description", "Description **here**",
        "state", "alerting", "title", "[FIRING:1, RESOLVED:2]  (true)"));
    assertThat(e.payload().path("alerts").size()).isEqualTo(3);
  }

  @Test
  void grafanaResolvedTakesTheLatestEnd() {
    WebhookEvent e = ok(new GrafanaPayloadParser(), "grafana/zulip-alert-9-resolved.json");
    assertThat(fields(e)).isEqualTo(expected(e.id(), "grafana", "alert",
        "action", "resolved", "subject", "Test alert", "status", "resolved", "severity", "OK",
        "url", "https://grafana.example.com/alerting/grafana/zTjxv_C7k/view",
        "occurredAt", "2022-06-17T00:51:24.067337833Z"));
    assertThat(e.attribute("state")).contains("ok");
  }

  @Test
  void zabbixProblemRecoveryAndDisaster() {
    WebhookEvent problem = ok(new ZabbixPayloadParser(), "zabbix/zulip-zabbix_alert.json");
    assertThat(fields(problem)).isEqualTo(expected(problem.id(), "zabbix", "alert",
        "action", "firing", "subject", "Zabbix agent on www.example.com is unreachable for 5 minutes",
        "url", "https://zabbix.example.com/tr_events.php?triggerid=14032&eventid=10528", "status", "PROBLEM",
        "severity", "WARNING"));
    assertThat(problem.attributes()).isEqualTo(attrs("host", "www.example.com", "item", "Agent ping is Up (1)",
        "severity", "Average", "event_id", "10528", "trigger_id", "14032"));
    WebhookEvent ok = ok(new ZabbixPayloadParser(), "zabbix/zulip-zabbix_ok.json");
    assertThat(fields(ok)).isEqualTo(expected(ok.id(), "zabbix", "alert",
        "action", "resolved", "subject", "Zabbix agent on www.example.com is reachable",
        "url", "https://zabbix.example.com/tr_events.php?triggerid=14032&eventid=10529", "status", "OK",
        "severity", "OK"));
    assertThat(ok(new ZabbixPayloadParser(), "zabbix/zulip-zabbix_alert_disaster.json").severity().name())
        .isEqualTo("CRITICAL");
  }

  @Test
  void uptimeKumaDownUpDownAreAlertsFiringAndResolved() {
    WebhookEvent down = ok(new UptimeKumaPayloadParser(), "uptime-kuma/down-timeout.json");
    assertThat(fields(down)).isEqualTo(expected(down.id(), "uptime-kuma", "alert",
        "action", "firing", "subject", "test", "url", "https://exampleXYZ.com", "status", "0", "severity", "ERROR",
        "occurredAt", "2023-07-31T18:56:15.374Z"));
    assertThat(down.attributes()).isEqualTo(attrs("source_action", "down", "monitor_id", "89", "monitor_type", "http",
        "message", "timeout of 16000ms exceeded", "important", "true"));
    WebhookEvent up = ok(new UptimeKumaPayloadParser(), "uptime-kuma/up.json");
    assertThat(fields(up)).isEqualTo(expected(up.id(), "uptime-kuma", "alert",
        "action", "resolved", "subject", "test", "url", "https://example.com", "status", "1", "severity", "OK",
        "occurredAt", "2023-07-31T18:56:57.151Z"));
    WebhookEvent again = ok(new UptimeKumaPayloadParser(), "uptime-kuma/down-enotfound.json");
    assertThat(again.attribute("message")).contains("getaddrinfo ENOTFOUND exampleasdsda.com");
    assertThat(again.occurredAt()).hasValue(java.time.Instant.parse("2023-07-31T18:57:44.037Z"));
  }

  @Test
  void uptimeKumaTestNotificationHasTheMessageAsSubject() {
    // the body Uptime Kuma's "Test" button sends: server.js testNotification sends
    // notification.name + " Testing" through webhook.js with heartbeat and monitor null
    // (louislam/uptime-kuma); "My Webhook Alert (1)" is the name its settings page suggests
    WebhookEvent e = ok(new UptimeKumaPayloadParser(), "uptime-kuma/test-notification.json");
    assertThat(fields(e)).isEqualTo(expected(e.id(), "uptime-kuma", "alert",
        "action", "test", "subject", "My Webhook Alert (1) Testing", "severity", "INFO"));
    assertThat(e.attributes()).isEqualTo(attrs("source_action", "test", "message", "My Webhook Alert (1) Testing"));
  }

  @Test
  void alertGroupSplitsIntoOneEventPerAlert() {
    // Zulip's Grafana 9 fixture alert-9-mixed.json: two resolved alerts and one firing in one group
    WebhookEvent group = ok(new GrafanaPayloadParser(), "grafana/zulip-alert-9-mixed.json");
    List<WebhookEvent> alerts = AlertGroups.split(group);
    assertThat(alerts).hasSize(3);
    WebhookEvent first = alerts.get(0);
    assertThat(fields(first)).isEqualTo(expected(group.id() + ":aaafafe0953f0962", "grafana", "alert",
        "action", "resolved", "subject", "Test alert", "url", "https://grafana.example.com/alerting/grafana/zTjxv_C7k/view",
        "status", "resolved", "severity", "OK", "occurredAt", "2022-06-17T01:08:28.652747827Z"));
    assertThat(first.attributes()).containsEntry("fingerprint", "aaafafe0953f0962")
        .containsEntry("label.instance", "badhost.example.com").containsEntry("group_key", "{}/{test=\"true\"}:{}")
        .containsEntry("receiver", "Webhook test").containsEntry("alert_index", "0");
    assertThat(first.payload().path("labels").path("job").asText()).isEqualTo("rabbitmq");
    assertThat(alerts.get(1).attribute("label.instance")).contains("otherhost.example.com");
    WebhookEvent firing = alerts.get(2);
    assertThat(firing.action()).contains("firing");
    assertThat(firing.subject()).contains("Second webhook test");
    assertThat(firing.occurredAt()).hasValue(java.time.Instant.parse("2022-06-17T01:03:00.782137894Z"));
    assertThat(alerts).extracting(WebhookEvent::id).doesNotHaveDuplicates();
  }

  @Test
  void alertGroupWithoutPerAlertStatusSplitsWithTheGroupsStatus() {
    // prometheus-msteams' prom_post_request.json: an Alertmanager 0.x delivery, no status per alert
    WebhookEvent group = ok(new AlertmanagerPayloadParser(), "alertmanager/msteams-prom_post_request.json");
    List<WebhookEvent> alerts = AlertGroups.split(group);
    assertThat(alerts).isNotEmpty().allSatisfy(a -> assertThat(a.action()).isEqualTo(group.action()));
    // an event that is not an alert group splits into itself
    WebhookEvent kuma = ok(new UptimeKumaPayloadParser(), "uptime-kuma/up.json");
    assertThat(AlertGroups.split(kuma)).containsExactly(kuma);
  }

  @Test
  void badMonitoringBodiesAreFailures() {
    Delivery d = Deliveries.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(new AlertmanagerPayloadParser().parse(d).failure()).isEqualTo("missing field alerts");
    assertThat(new GrafanaPayloadParser().parse(d).failure()).isEqualTo("missing field alerts");
    assertThat(new ZabbixPayloadParser().parse(d).failure()).isEqualTo("missing field status");
    assertThat(new UptimeKumaPayloadParser().parse(d).failure()).isEqualTo("missing field heartbeat");
  }
}
