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

  @Test
  void supervisordListenerTextIsReadAsItIsWrittenToAListener() {
    // captured live from supervisord 4.2.5 on this machine: an [eventlistener] subscribed to
    // PROCESS_STATE wrote each header line and payload it read from stdin to a file
    Delivery d = Deliveries.of(Deliveries.resource("supervisor/listener-exited.txt"), "text/plain");
    WebhookEvent e = parser.parse(d).event();
    assertThat(fields(e)).isEqualTo(expected(DeliveryIds.contentHash(d), "supervisor", "process",
        "action", "exited", "sourceEvent", "PROCESS_STATE_EXITED", "subject", "vocab-worker",
        "status", "PROCESS_STATE_EXITED", "severity", "ERROR"));
    assertThat(e.attributes()).isEqualTo(attrs("process_name", "vocab-worker:vocab-worker", "group", "vocab-worker",
        "from_state", "RUNNING", "pid", "815", "expected", "0"));
    assertThat(e.payload().path("serial").asText()).isEqualTo("4");
    assertThat(e.payload().path("pool").asText()).isEqualTo("vocab-listener");

    Delivery r = Deliveries.of(Deliveries.resource("supervisor/listener-running.txt"), "text/plain");
    WebhookEvent running = PayloadParsers.detecting().parse(r).event();
    assertThat(running.provider()).isEqualTo("supervisor");
    assertThat(running.action()).contains("running");
    assertThat(running.severity().name()).isEqualTo("OK");
  }

  @Test
  void listenerTextWhoseLengthIsWrongIsAFailure() {
    byte[] body = "ver:3.0 server:supervisor serial:4 pool:l poolserial:4 eventname:PROCESS_STATE_EXITED len:99\nprocessname:x"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(parser.parse(Deliveries.of(body, "text/plain")).failure())
        .isEqualTo("not a supervisor listener event: the payload is 13 bytes; the header line says len:99");
    assertThat(parser.parse(Deliveries.of("ver:3.0 no newline".getBytes(StandardCharsets.UTF_8), "text/plain")).failure())
        .isEqualTo("not a supervisor listener event: no newline after the header line");
  }

  @Test
  void listenerEventSplitsEnvelopeHeadersAndData() {
    // a PROCESS_LOG_STDOUT event as supervisor's events documentation describes it: a payload
    // line of tokens, a newline, then the process's output
    String header = "ver:3.0 server:supervisor serial:21 pool:listener poolserial:10 eventname:PROCESS_LOG_STDOUT len:51";
    byte[] payload = "processname:foo groupname:bar pid:123\nThis is a log".getBytes(StandardCharsets.UTF_8);
    SupervisorListenerEvent e = SupervisorListenerEvent.parse(header, payload);
    assertThat(e.eventName()).isEqualTo("PROCESS_LOG_STDOUT");
    assertThat(e.isProcessState()).isFalse();
    assertThat(e.processName()).isEqualTo("bar:foo");
    assertThat(e.data()).isEqualTo("This is a log");
    assertThat(e.headersAll()).isEqualTo("processname:foo groupname:bar pid:123 ");
    // as a delivery: a process event without a state, so without an action
    byte[] whole = (header + "\n" + new String(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    WebhookEvent event = parser.parse(Deliveries.of(whole, "text/plain")).event();
    assertThat(event.type()).isEqualTo("process");
    assertThat(event.action()).isEmpty();
    assertThat(event.payload().path("data").asText()).isEqualTo("This is a log");
  }
}
