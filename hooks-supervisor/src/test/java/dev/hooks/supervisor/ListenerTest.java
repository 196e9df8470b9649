package dev.hooks.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.parsers.SupervisorPayloadParser;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener in this JVM: supervisor's byte stream in, loopback receivers out. */
class ListenerTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path dir;

  private static byte[] events(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      byte[] payload = ("processname:web" + i + " groupname:site from_state:RUNNING expected:0 pid:" + (1000 + i))
          .getBytes(StandardCharsets.UTF_8);
      out.writeBytes(("ver:3.0 server:supervisor serial:" + i + " pool:hooks poolserial:" + i
          + " eventname:PROCESS_STATE_EXITED len:" + payload.length + "\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(payload);
    }
    return out.toByteArray();
  }

  private ListenerOptions options(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--buffer-dir", dir.toString()));
    return ListenerOptions.parse(all.toArray(String[]::new));
  }

  @Test
  void signedJsonDeliveriesAreAcceptedByAHooksStandardWebhooksEndpoint() throws Exception {
    try (Receiver receiver = Receiver.start();
        SupervisorListener listener = new SupervisorListener(
            options("-u", receiver.url(), "--format", "json", "--sign", "standard-webhooks", "--flush-interval", "0s"),
            Map.of("HOOKS_SUPERVISOR_SECRET", SECRET)::get)) {
      listener.serve(new ByteArrayInputStream(events(3)), new ByteArrayOutputStream());
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 3);
      SignatureVerifier verifier = SignatureVerifiers.standardWebhooks(List.of(Secret.of(SECRET)), Clock.systemUTC());
      for (Receiver.Request r : receiver.received()) {
        Headers.Builder h = Headers.builder();
        r.headers().forEach(h::add);
        Delivery d = Delivery.builder("supervisor").headers(h.build()).body(r.body()).build();
        assertThat(verifier.verify(d).isOk()).isTrue();
        assertThat(new SupervisorPayloadParser().parse(d).event().action()).contains("exited");
        assertThat(r.header("webhook-id")).isEqualTo(new ObjectMapper().readTree(r.body()).path("id").asText());
      }
      // A body changed in transit no longer verifies.
      Receiver.Request first = receiver.received().get(0);
      Headers.Builder h = Headers.builder();
      first.headers().forEach(h::add);
      Delivery forged = Delivery.builder("supervisor").headers(h.build())
          .body(first.text().replace("web0", "web9").getBytes(StandardCharsets.UTF_8)).build();
      assertThat(verifier.verify(forged).isOk()).isFalse();
    }
  }

  @Test
  void aFailingReceiverIsRetriedInOrderAndDelaysNoOtherReceiver() throws Exception {
    try (Receiver failing = Receiver.start().answering(503, 500);
        Receiver healthy = Receiver.start();
        SupervisorListener listener = new SupervisorListener(
            options("-u", failing.url(), "-u", healthy.url(), "--flush-interval", "0s"), k -> null)) {
      listener.serve(new ByteArrayInputStream(events(5)), new ByteArrayOutputStream());
      await().atMost(Duration.ofSeconds(3)).until(() -> healthy.received().size() == 5);
      assertThat(failing.received().size()).isLessThan(5);
      await().atMost(Duration.ofSeconds(15)).until(() -> failing.received().size() == 5);
      assertThat(failing.attempts()).isEqualTo(7);
      List<String> order = failing.received().stream().map(r -> r.text().replaceAll(".*process_name=site%3A(web\\d).*", "$1")).toList();
      assertThat(order).containsExactly("web0", "web1", "web2", "web3", "web4");
    }
  }

  @Test
  void aReceiverThatRefusesAnEventForGoodDoesNotBlockTheRest() throws Exception {
    try (Receiver receiver = Receiver.start().answering(400);
        SupervisorListener listener = new SupervisorListener(options("-u", receiver.url(), "--flush-interval", "0s"), k -> null)) {
      listener.serve(new ByteArrayInputStream(events(3)), new ByteArrayOutputStream());
      await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 2);
      assertThat(receiver.attempts()).isEqualTo(3);
    }
  }

  @Test
  void onlyTheEventsAskedForAreForwarded() throws Exception {
    try (Receiver receiver = Receiver.start();
        SupervisorListener listener = new SupervisorListener(options("-u", receiver.url(), "-e", "FATAL", "--flush-interval", "0s"), k -> null)) {
      ByteArrayOutputStream answers = new ByteArrayOutputStream();
      assertThat(listener.serve(new ByteArrayInputStream(events(2)), answers)).isEqualTo(2);
      assertThat(answers.toString(StandardCharsets.US_ASCII)).isEqualTo("READY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\n");
      Thread.sleep(500);
      assertThat(receiver.attempts()).isZero();
    }
  }

  @Test
  void optionsAreSuperhooksFlagsAndTheListenersOwn() {
    ListenerOptions o = ListenerOptions.parse("-u", "http://127.0.0.1:8090/", "--url=http://127.0.0.1:8091/", "-e", "EXITED, fatal",
        "-d", "a^b", "-H", "X-Token^t", "--flush-interval", "0s", "--format=discord");
    assertThat(o.urls()).hasSize(2);
    assertThat(o.events()).containsExactly("PROCESS_STATE_EXITED", "PROCESS_STATE_FATAL");
    assertThat(o.flushInterval()).isZero();
    assertThat(o.format()).isEqualTo(BodyFormat.DISCORD);
    assertThat(ListenerOptions.parse("-u", "http://h/").events()).hasSize(8);
    assertThat(ListenerOptions.parse("-u", "http://h/").flushInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThatThrownBy(() -> ListenerOptions.parse("-u", "http://h/", "-e", "EXPLODED")).hasMessageContaining("unknown event 'EXPLODED'");
    assertThatThrownBy(() -> ListenerOptions.parse("-e", "FATAL")).hasMessageContaining("no -u URL");
    assertThatThrownBy(() -> ListenerOptions.parse("-u", "ftp://h/")).hasMessageContaining("http or https");
    assertThatThrownBy(() -> ListenerOptions.parse("-u", "http://h/", "-H", "Host^evil")).hasMessageContaining("cannot be set");
    assertThatThrownBy(() -> ListenerOptions.parse("-u", "http://h/", "--flush-interval", "soon")).hasMessageContaining("not a duration");
  }

  @Test
  void signingWithoutTheSecretIsAClearStartError() {
    assertThatThrownBy(() -> new SupervisorListener(options("-u", "http://127.0.0.1:1/", "--sign", "standard-webhooks"), k -> null))
        .hasMessageContaining("HOOKS_SUPERVISOR_SECRET");
  }

  @Test
  void retryAfterIsHonouredAndClamped() {
    assertThat(Forwarder.retryAfter("2")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Forwarder.retryAfter("1e300")).isEqualTo(Duration.ofHours(1));
    assertThat(Forwarder.retryAfter("-5")).isEqualTo(Duration.ZERO);
    assertThat(Forwarder.retryAfter("soon")).isNull();
    assertThat(Forwarder.delay(30, null)).isLessThanOrEqualTo(Duration.ofMinutes(6));
  }
}
