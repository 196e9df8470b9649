package dev.hooks.parsers;

import static dev.hooks.parsers.Deliveries.attrs;
import static dev.hooks.parsers.Deliveries.expected;
import static dev.hooks.parsers.Deliveries.fields;
import static dev.hooks.parsers.Deliveries.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.PayloadParser;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HookWise-style recipes of the alert router, on real payloads. */
class JsonPathMappedPayloadParserTest {

  /** Recipe 1, "Uptime Kuma (Standard)". */
  private static final Map<String, String> UPTIME_KUMA = Map.of(
      "trigger", "$.heartbeat.status", "open", "0", "close", "1",
      "summary", "$.monitor.name", "description", "$.heartbeat.msg", "customer_id", "$.monitor.tags.CW_ID");

  @Test
  void uptimeKumaRecipeOpensOnDownAndClosesOnUp() {
    PayloadParser p = PayloadParsers.forProvider("jsonpath", UPTIME_KUMA);
    Delivery downDelivery = json("uptime-kuma/down-timeout.json");
    WebhookEvent down = p.parse(downDelivery).event();
    assertThat(fields(down)).isEqualTo(expected(DeliveryIds.contentHash(downDelivery), "generic", "alert",
        "action", "firing", "subject", "test", "status", "0", "severity", "UNKNOWN"));
    assertThat(down.attributes()).isEqualTo(attrs("summary", "test", "description", "timeout of 16000ms exceeded",
        "trigger_value", "0"));
    WebhookEvent up = p.parse(json("uptime-kuma/up.json")).event();
    assertThat(up.action()).contains("resolved");
    assertThat(up.severity().name()).isEqualTo("OK");
    assertThat(up.attribute("description")).contains("200 - OK");
  }

  /** Recipe 5, "Grafana Alertmanager". */
  @Test
  void grafanaRecipeReadsTheFirstAlertsAnnotations() {
    PayloadParser p = JsonPathMappedPayloadParser.builder()
        .trigger("$.status").openValues("firing").closeValues("resolved")
        .summary("$.alerts[0].annotations.summary").description("$.alerts[0].annotations.description")
        .provider("grafana").type("incident").idHeader("X-Request-Id")
        .build();
    WebhookEvent e = p.parse(json("grafana/docs-two-firing.json", "X-Request-Id", "req-7")).event();
    assertThat(fields(e)).isEqualTo(expected("req-7", "grafana", "incident",
        "action", "firing", "subject", "This alert was triggered for zone us-1", "status", "firing",
        "severity", "UNKNOWN"));
    assertThat(e.attributes()).isEqualTo(attrs("summary", "This alert was triggered for zone us-1",
        "description", "The system has high memory usage", "trigger_value", "firing"));
  }

  /** Recipe 4, "Zabbix", on the flat Zabbix media type: a template description and a severity path. */
  @Test
  void zabbixRecipeWithATemplateAndSeverity() {
    PayloadParser p = PayloadParsers.forProvider("jsonpath", Map.of(
        "trigger", "$.status", "open", "PROBLEM", "close", "OK, RESOLVED",
        "summary", "$.trigger", "severity", "$.severity",
        "description", "Trigger: {$.trigger}\nHost: {$.hostname}", "provider", "zabbix"));
    WebhookEvent problem = p.parse(json("zabbix/zulip-zabbix_alert_disaster.json")).event();
    assertThat(problem.action()).contains("firing");
    assertThat(problem.severity().name()).isEqualTo("CRITICAL");
    assertThat(problem.attribute("description"))
        .contains("Trigger: Zabbix agent on www.example.com is unreachable for 5 minutes\nHost: www.example.com");
    WebhookEvent ok = p.parse(json("zabbix/zulip-zabbix_ok.json")).event();
    assertThat(ok.action()).contains("resolved");
    assertThat(ok.severity().name()).isEqualTo("OK");
  }

  @Test
  void valueNeitherOpenNorCloseLeavesTheActionEmptyAndIndefinitePathsJoin() {
    PayloadParser p = JsonPathMappedPayloadParser.builder()
        .trigger("$.status").openValues("resolved-never").closeValues("closed-never")
        .summary("$.alerts[*].labels.alertname").build();
    WebhookEvent e = p.parse(json("grafana/docs-two-firing.json")).event();
    assertThat(e.action()).isEmpty();
    assertThat(e.status()).contains("firing");
    assertThat(e.attribute("summary")).contains("High memory usage, High CPU usage");
  }

  @Test
  void invalidMappingsFailWhenBuiltAndNameTheMapping() {
    assertThatThrownBy(() -> JsonPathMappedPayloadParser.builder().summary("$.monitor.").build())
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessage("jsonpath mapping 'summary': invalid JsonPath '$.monitor.': Path must not end with a '.' or '..'");
    assertThatThrownBy(() -> JsonPathMappedPayloadParser.builder().summary("monitor.name").build())
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessage("jsonpath mapping 'summary' = 'monitor.name' is neither a JsonPath (starting with $) nor a template"
            + " with {$...} placeholders");
    assertThatThrownBy(() -> JsonPathMappedPayloadParser.builder().openValues("0").build())
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessageStartingWith("jsonpath mapping: open and close values need a trigger field");
    assertThatThrownBy(() -> JsonPathMappedPayloadParser.builder().trigger("$.status").build())
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessageStartingWith("jsonpath mapping: trigger '$.status' needs open or close values");
    assertThatThrownBy(() -> JsonPathMappedPayloadParser.builder().trigger("$.s").openValues("a").closeValues("a").build())
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessage("jsonpath mapping: a is both an open and a close value");
    assertThatThrownBy(() -> PayloadParsers.forProvider("jsonpath", Map.of("summry", "$.x")))
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessageStartingWith("jsonpath mapping has no option summry; it takes ");
    assertThatThrownBy(() -> JsonPathMappedPayloadParser.builder().description("Host: {$.host[0}").build())
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessageStartingWith("jsonpath mapping 'description': invalid JsonPath '$.host[0'");
  }

  @Test
  void datadogPresetReadsTheDocumentedTemplateKeys() throws Exception {
    PayloadParser p = PayloadParsers.forProvider("datadog", Map.of());
    WebhookEvent template = p.parse(json("datadog/ilert-template.json")).event();
    assertThat(template.provider()).isEqualTo("datadog");
    assertThat(template.subject()).contains("$EVENT_TITLE");
    assertThat(template.status()).contains("$ALERT_TRANSITION");
    assertThat(template.attributes()).isEqualTo(attrs("summary", "$EVENT_TITLE", "description", "$EVENT_MSG",
        "customer", "$ORG_NAME", "trigger_value", "$ALERT_TRANSITION"));

    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) dev.hooks.parsers.internal.Json.read(
        Deliveries.resource("datadog/ilert-template.json"));
    tree.put("alert_transition", "Triggered").put("priority", "P1");
    WebhookEvent triggered = p.parse(Deliveries.of(tree.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "application/json")).event();
    assertThat(triggered.action()).contains("firing");
    assertThat(triggered.severity().name()).isEqualTo("CRITICAL");
    tree.put("alert_transition", "Recovered");
    WebhookEvent recovered = p.parse(Deliveries.of(tree.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "application/json")).event();
    assertThat(recovered.action()).contains("resolved");
    assertThat(recovered.severity().name()).isEqualTo("OK");
    assertThat(PayloadParsers.forProvider("datadog", Map.of("summary", "$.alert_id"))
        .parse(json("datadog/ilert-template.json")).event().subject()).contains("$ALERT_ID");
  }

  @Test
  void bodyThatIsNotJsonIsAFailure() {
    PayloadParser p = PayloadParsers.forProvider("jsonpath", UPTIME_KUMA);
    Delivery d = Deliveries.of("nope".getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
    assertThat(p.parse(d).failure()).startsWith("body is not JSON");
  }
}
