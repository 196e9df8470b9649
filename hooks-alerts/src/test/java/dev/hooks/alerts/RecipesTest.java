package dev.hooks.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HookWise's five configuration recipes, as its README writes them, on published payloads. */
class RecipesTest {

  @Test
  void recipe1UptimeKumaDownOpensAndUpClosesTheSameIncident() {
    AlertEndpoint kuma = Payloads.kumaRecipe("kuma").build();
    Alert down = one(AlertMapper.map(kuma, "r1", Payloads.json("uptime-kuma/down-timeout.json")));
    Alert up = one(AlertMapper.map(kuma, "r2", Payloads.json("uptime-kuma/up.json")));

    assertThat(down.action()).isEqualTo(AlertAction.OPEN);
    assertThat(down.trigger()).isEqualTo("0");
    assertThat(down.summary()).isEqualTo("Alert: test");
    assertThat(down.description()).isEqualTo("timeout of 16000ms exceeded");
    // Uptime Kuma sends tags as an array of {name, value}: the recipe's path finds no company
    assertThat(down.company()).isNull();
    assertThat(down.companyRule()).isEqualTo("none");
    assertThat(up.action()).isEqualTo(AlertAction.CLOSE);
    assertThat(up.description()).isEqualTo("200 - OK");
    assertThat(up.fingerprint()).isEqualTo(down.fingerprint());
  }

  @Test
  void recipe2GenericStatusMatchesListedValuesExactly() {
    // the generic recipe is for the user's own tool; the bodies are the seed's ("CRITICAL", "OK")
    AlertEndpoint generic = AlertEndpoint.builder("generic").ticketPrefix("Infrastructure Alert:")
        .trigger("$.status_text", List.of("CRITICAL", " WARNING"), List.of("OK", "RESOLVED"))
        .map("summary", "$.check").build();
    ObjectNode body = Payloads.JSON.createObjectNode().put("check", "disk /var on db-1").put("status_text", "WARNING");

    assertThat(one(AlertMapper.map(generic, "r1", body)).action()).isEqualTo(AlertAction.OPEN);
    assertThat(one(AlertMapper.map(generic, "r1", body)).summary()).isEqualTo("Infrastructure Alert: disk /var on db-1");
    assertThat(one(AlertMapper.map(generic, "r2", body.deepCopy().put("status_text", "RESOLVED"))).action())
        .isEqualTo(AlertAction.CLOSE);
    // the seed's FAQ: values match exactly, "ok" is not "OK"
    assertThat(one(AlertMapper.map(generic, "r3", body.deepCopy().put("status_text", "ok"))).action())
        .isEqualTo(AlertAction.OTHER);
  }

  @Test
  void recipe3RegexRoutingSendsDatabaseHostsToTheDatabaseBoard() {
    AlertEndpoint routed = Payloads.kumaRecipe("kuma")
        .rule(RoutingRule.of("db", "$.monitor.hostname", ".*-DB-.*", new Overrides("Database Team", "High", null, null, null, null)))
        .rule(RoutingRule.of("fe", "$.monitor.hostname", ".*-FE-.*", new Overrides("Frontend Team", null, null, null, null, null)))
        .build();
    // the published delivery is of an http monitor (hostname null); a port or ping monitor names its host
    ObjectNode db = Payloads.json("uptime-kuma/down-timeout.json");
    ((ObjectNode) db.get("monitor")).put("hostname", "PRD-DB-01");
    ObjectNode fe = Payloads.json("uptime-kuma/down-timeout.json");
    ((ObjectNode) fe.get("monitor")).put("hostname", "PRD-FE-02");

    Alert a = one(AlertMapper.map(routed, "r1", db));
    Alert b = one(AlertMapper.map(routed, "r2", fe));
    Alert none = one(AlertMapper.map(routed, "r3", Payloads.json("uptime-kuma/down-timeout.json")));

    assertThat(a.overrides().board()).isEqualTo("Database Team");
    assertThat(a.overrides().priority()).isEqualTo("High");
    assertThat(a.matchedRules()).containsExactly("db");
    assertThat(b.overrides().board()).isEqualTo("Frontend Team");
    assertThat(b.overrides().priority()).isNull();
    assertThat(none.matchedRules()).isEmpty();
    assertThat(none.overrides()).isEqualTo(Overrides.NONE);
  }

  @Test
  void recipe4ZabbixMapsNameSeverityAndTheDescriptionTemplate() {
    AlertEndpoint zabbix = AlertEndpoint.builder("zabbix")
        .trigger("$.event.status", List.of("PROBLEM"), List.of("OK", "RESOLVED"))
        .map("summary", "$.event.name")
        .map("severity", "$.event.severity")
        .map("description", "Trigger: {$.trigger.description}\\nHost: {$.host.name}")
        .build();
    Alert problem = one(AlertMapper.map(zabbix, "r1", Payloads.zabbixNested("zabbix/zulip-zabbix_alert.json")));
    Alert ok = one(AlertMapper.map(zabbix, "r2", Payloads.zabbixNested("zabbix/zulip-zabbix_ok.json")));

    assertThat(problem.action()).isEqualTo(AlertAction.OPEN);
    assertThat(problem.summary()).isEqualTo("Alert: Zabbix agent on www.example.com is unreachable for 5 minutes");
    assertThat(problem.severity()).isEqualTo("Average");
    assertThat(problem.description())
        .isEqualTo("Trigger: Zabbix agent on www.example.com is unreachable for 5 minutes\nHost: www.example.com");
    assertThat(ok.action()).isEqualTo(AlertAction.CLOSE);
  }

  @Test
  void zabbixFlatMediaTypeWithAFingerprintOfHostAndItemClosesOnOk() {
    // Zulip's Zabbix media type: the recovery has another trigger text, so the fingerprint is host + item
    AlertEndpoint zabbix = AlertEndpoint.builder("zabbix-flat")
        .trigger("$.status", List.of("PROBLEM"), List.of("OK"))
        .map("summary", "$.trigger").map("severity", "$.severity")
        .fingerprint("{$.hostname}|{$.item}")
        .build();
    Alert problem = one(AlertMapper.map(zabbix, "r1", Payloads.json("zabbix/zulip-zabbix_alert_disaster.json")));
    Alert ok = one(AlertMapper.map(zabbix, "r2", Payloads.json("zabbix/zulip-zabbix_ok.json")));

    assertThat(problem.severity()).isEqualTo("Disaster");
    assertThat(ok.action()).isEqualTo(AlertAction.CLOSE);
    assertThat(ok.fingerprint()).isEqualTo(problem.fingerprint());
    assertThat(ok.summary()).isNotEqualTo(problem.summary());
  }

  @Test
  void recipe5AlertmanagerGroupIsHandledAlertByAlert() {
    AlertEndpoint am = alertmanagerRecipe();
    List<Alert> firing = AlertMapper.map(am, "r1", Payloads.json("alertmanager/zulip-alert.json"));
    List<Alert> resolved = AlertMapper.map(am, "r2", Payloads.json("alertmanager/zulip-single_alert.json"));

    assertThat(firing).hasSize(2);
    assertThat(firing).extracting(Alert::action).containsExactly(AlertAction.OPEN, AlertAction.OPEN);
    assertThat(firing).extracting(Alert::description)
        .containsExactly("CPU core temperature is 34.75C", "CPU core temperature is 17.625C");
    assertThat(firing).extracting(Alert::summary).containsOnly("Alert: High CPU core temperature");
    assertThat(firing.get(0).fingerprint()).isNotEqualTo(firing.get(1).fingerprint());
    assertThat(firing.get(0).labels()).containsEntry("host", "andromeda").containsEntry("severity", "critical");
    assertThat(firing).extracting(Alert::key).containsExactly("r1#0", "r1#1");
    assertThat(resolved).hasSize(1);
    assertThat(resolved.get(0).action()).isEqualTo(AlertAction.CLOSE);
    // the resolved alert carries fingerprint a1bc48475b20e73d, the first firing one's
    assertThat(resolved.get(0).fingerprint()).isEqualTo(firing.get(0).fingerprint());
  }

  @Test
  void recipe5GrafanaMixedNotificationTakesEachAlertsOwnStatus() {
    List<Alert> mixed = AlertMapper.map(alertmanagerRecipe(), "r1", Payloads.json("grafana/zulip-alert-9-mixed.json"));
    List<Alert> docs = AlertMapper.map(alertmanagerRecipe(), "r2", Payloads.json("grafana/docs-two-firing.json"));

    assertThat(mixed).extracting(Alert::action).containsExactly(AlertAction.CLOSE, AlertAction.CLOSE, AlertAction.OPEN);
    assertThat(mixed.get(0).summary()).isEqualTo("Alert: This is a summary field, failure on badhost.example.com");
    assertThat(mixed.get(2).summary()).isEqualTo("Alert: Testing **another** failing alert");
    assertThat(mixed).extracting(Alert::fingerprint).doesNotHaveDuplicates();
    assertThat(docs).extracting(Alert::summary)
        .containsExactly("Alert: This alert was triggered for zone us-1", "Alert: This alert was triggered for zone eu-1");
    assertThat(docs).extracting(Alert::description)
        .containsExactly("The system has high memory usage", "The system has high CPU usage");
  }

  @Test
  void alertmanagerWithoutPerAlertStatusUsesTheGroupStatus() {
    List<Alert> alerts = AlertMapper.map(alertmanagerRecipe(), "r1", Payloads.json("alertmanager/msteams-prom_post_request.json"));
    assertThat(alerts).isNotEmpty();
    assertThat(alerts).extracting(Alert::action).containsOnly(AlertAction.OPEN);
  }

  @Test
  void datadogTransitionsOpenAndClose() {
    AlertEndpoint dd = AlertEndpoint.builder("datadog")
        .trigger("$.alert_transition", List.of("Triggered", "Re-Triggered"), List.of("Recovered"))
        .map("summary", "$.title").map("description", "$.body").build();
    Alert t = one(AlertMapper.map(dd, "r1", Payloads.datadog("Triggered", "[Triggered] CPU high on web-1", "avg:system.cpu > 90")));
    Alert r = one(AlertMapper.map(dd, "r2", Payloads.datadog("Recovered", "[Triggered] CPU high on web-1", "back to normal")));

    assertThat(t.action()).isEqualTo(AlertAction.OPEN);
    assertThat(t.description()).isEqualTo("avg:system.cpu > 90");
    assertThat(r.action()).isEqualTo(AlertAction.CLOSE);
    assertThat(r.fingerprint()).isEqualTo(t.fingerprint());
  }

  @Test
  void placeholdersFillNamedValuesAndPaths() {
    // {{ msg }} is the alert message: the heartbeat's, not Uptime Kuma's decorated top-level msg
    AlertEndpoint kuma = Payloads.kumaRecipe("kuma")
        .map("description", "{{ monitor_name }}: {{ msg }} ({{ request_id }}) status {$..heartbeat.status}").build();
    Alert a = one(AlertMapper.map(kuma, "req-7", Payloads.json("uptime-kuma/down-enotfound.json")));
    assertThat(a.description()).isEqualTo("test: getaddrinfo ENOTFOUND exampleasdsda.com (req-7) status 0");
  }

  @Test
  void anInvalidPathStopsTheBuildNamingEndpointAndKey() {
    assertThatThrownBy(() -> AlertEndpoint.builder("kuma").map("summary", "$.monitor.[0").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alert endpoint 'kuma'").hasMessageContaining("mapping.summary");
    assertThatThrownBy(() -> AlertEndpoint.builder("kuma").trigger("$.status", List.of(), List.of("1")).build())
        .hasMessageContaining("no open values");
  }

  static AlertEndpoint alertmanagerRecipe() {
    return AlertEndpoint.builder("am")
        .trigger("$.status", List.of("firing"), List.of("resolved"))
        .map("summary", "$.alerts[0].annotations.summary")
        .map("description", "$.alerts[0].annotations.description")
        .build();
  }

  static Alert one(List<Alert> alerts) {
    assertThat(alerts).hasSize(1);
    return alerts.get(0);
  }
}
