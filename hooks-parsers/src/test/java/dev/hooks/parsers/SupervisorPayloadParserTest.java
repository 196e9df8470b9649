package dev.hooks.parsers;

import static dev.hooks.parsers.Deliveries.attrs;
import static dev.hooks.parsers.Deliveries.expected;
import static dev.hooks.parsers.Deliveries.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SupervisorPayloadParserTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private final SupervisorPayloadParser parser = new SupervisorPayloadParser();

  private static Delivery form(String file) {
    return Deliveries.of(Deliveries.resource("supervisor/" + file), FORM, "User-Agent", "python-requests/2.12.1");
  }

  @Test
  void superhooksReadmeExitedIsAnUnexpectedExit() {
    Delivery d = form("superhooks-readme-exited.form");
    WebhookEvent e = parser.parse(d).event();
    assertThat(fields(e)).isEqualTo(expected(DeliveryIds.contentHash(d), "supervisor", "process",
        "action", "exited", "sourceEvent", "PROCESS_STATE_EXITED", "subject", "meow", "status", "PROCESS_STATE_EXITED",
        "severity", "ERROR"));
    assertThat(e.attributes()).isEqualTo(attrs("process_name", "cat:meow", "group", "cat", "from_state", "RUNNING",
        "pid", "25232", "expected", "0"));
    assertThat(e.payload().path("a").asText()).isEqualTo("b");
    assertThat(e.payload().path("c").asText()).isEqualTo("d");
  }

  @Test
  void fatalAndRunning() {
    Delivery f = form("superhooks-fatal.form");
    WebhookEvent fatal = parser.parse(f).event();
    assertThat(fields(fatal)).isEqualTo(expected(DeliveryIds.contentHash(f), "supervisor", "process",
        "action", "fatal", "sourceEvent", "PROCESS_STATE_FATAL", "subject", "foo", "status", "PROCESS_STATE_FATAL",
        "severity", "CRITICAL"));
    assertThat(fatal.attributes()).isEqualTo(attrs("process_name", "bar:foo", "group", "bar", "from_state", "BACKOFF"));
    WebhookEvent running = parser.parse(form("superhooks-running.form")).event();
    assertThat(running.action()).contains("running");
    assertThat(running.severity().name()).isEqualTo("OK");
    assertThat(running.attribute("pid")).contains("2766");
  }

  @Test
  void jsonWithSupervisorsOwnNames() {
    byte[] body = "{\"eventname\":\"PROCESS_STATE_BACKOFF\",\"processname\":\"worker\",\"groupname\":\"jobs\",\"from_state\":\"STARTING\",\"tries\":\"2\"}"
        .getBytes(StandardCharsets.UTF_8);
    WebhookEvent e = parser.parse(Deliveries.of(body, "application/json")).event();
    assertThat(e.action()).contains("backoff");
    assertThat(e.severity().name()).isEqualTo("WARNING");
    assertThat(e.attributes()).isEqualTo(attrs("process_name", "jobs:worker", "group", "jobs", "from_state", "STARTING",
        "tries", "2"));
  }

  @Test
  void formWithoutEventNameOrWithBadEscapesIsAFailure() {
    assertThat(parser.parse(Deliveries.of("a=b".getBytes(StandardCharsets.UTF_8), FORM)).failure())
        .isEqualTo("missing field event_name");
    assertThat(parser.parse(Deliveries.of("a=%zz".getBytes(StandardCharsets.UTF_8), FORM)).failure())
        .isEqualTo("form body has a malformed percent escape");
    assertThat(parser.mediaTypes()).contains(FORM, "application/json");
  }

  @Test
  void detectingSendsFormBodiesToSupervisor() {
    assertThat(PayloadParsers.detecting().parse(form("superhooks-fatal.form")).event().provider()).isEqualTo("supervisor");
  }
}
