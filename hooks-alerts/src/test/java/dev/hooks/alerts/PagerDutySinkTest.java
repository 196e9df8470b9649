package dev.hooks.alerts;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PagerDutySinkTest extends IncidentSinkContract {
  // an integration key is 32 characters
  private static final String KEY = "R0ut1ngK3yR0ut1ngK3yR0ut1ngK3y12";
  private PagerDutyServer pd;

  @BeforeEach
  void start() throws Exception {
    pd = new PagerDutyServer();
  }

  @AfterEach
  void stop() throws Exception {
    pd.close();
  }

  @Override
  protected IncidentSink sink() {
    return new PagerDutySink("pd", pd.url(), KEY);
  }

  @Override
  protected String stateOf(String ref) {
    return "resolved".equals(pd.state(ref)) ? "closed" : "open";
  }

  @Override
  protected void failNext() {
    pd.failNext(1);
  }

  @Override
  protected IncidentSink refusedSink() {
    return new PagerDutySink("pd", pd.url(), "short-key");
  }

  @Test
  void triggerAcknowledgeResolveShareTheDedupKey() throws Exception {
    PagerDutySink s = new PagerDutySink("pd", pd.url(), KEY);
    String ref = s.open(new Ticket("fp-1", "Alert: disk full", "/var at 99%", "Disaster", null, "AcmeCorp", null, null));
    s.acknowledge(ref, ticket());
    assertThat(pd.state(ref)).isEqualTo("acknowledged");
    s.close(ref, ticket());

    assertThat(pd.events()).extracting(e -> e.get("event_action").asText()).containsExactly("trigger", "acknowledge", "resolve");
    assertThat(pd.events()).extracting(e -> e.get("dedup_key").asText()).containsOnly("fp-1");
    JsonNode trigger = pd.events().get(0);
    assertThat(trigger.get("routing_key").asText()).isEqualTo(KEY);
    assertThat(trigger.at("/payload/summary").asText()).isEqualTo("Alert: disk full");
    assertThat(trigger.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(trigger.at("/payload/source").asText()).isEqualTo("AcmeCorp");
    assertThat(pd.state(ref)).isEqualTo("resolved");
  }

  @Test
  void anInvalidEventKeepsPagerDutysErrors() {
    assertThatThrownBy(() -> refusedSink().open(ticket()))
        .hasMessage("PagerDuty trigger answered 400: {\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
            + "\"errors\":[\"Length of 'routing_key' is incorrect (should be 32 characters)\"]}");
  }

  @Test
  void aGroupOfAlertsThroughTheRouterTriggersAndResolvesEach() {
    AlertRouter r = AlertRouter.builder().endpoint(RecipesTest.alertmanagerRecipe()).sink(sink())
        .clock(new MutableClock(Instant.parse("2026-03-10T12:00:00Z"))).build();
    pd.failNext(1);
    assertThatThrownBy(() -> r.process("am", "r1", Payloads.json("alertmanager/zulip-alert.json"))).isInstanceOf(SinkException.class);
    r.process("am", "r1", Payloads.json("alertmanager/zulip-alert.json"));
    r.process("am", "r2", Payloads.json("alertmanager/zulip-single_alert.json"));
    assertThat(pd.events()).extracting(e -> e.get("event_action").asText()).containsExactly("trigger", "trigger", "resolve");
    String first = pd.events().get(0).get("dedup_key").asText();
    assertThat(pd.state(first)).isEqualTo("resolved");
    assertThat(pd.state(pd.events().get(1).get("dedup_key").asText())).isEqualTo("triggered");
  }
}
