package dev.hooks.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.verify.Secret;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.outbox.OutboxCounts;
import dev.hooks.outbox.OutboxEntry;
import dev.hooks.outbox.OutboxMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a hostile or broken sink can do to the sender, and that it cannot stop the other targets. */
class OutboxSenderHardeningTest {
  private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
  private final InMemoryNotificationOutbox outbox = new InMemoryNotificationOutbox();
  private final NotifierRegistry notifiers = new NotifierRegistry();
  private int sequence;

  private String enqueue(NotificationOutbox into, String target, String text, Instant at) {
    int n = sequence++;
    String key = OutboxMessage.idempotencyKey("event-" + n, "route", target, 0);
    String body = "{\"text\":\"" + text + "\",\"content\":\"" + text + "\"}";
    into.enqueue(new OutboxMessage(key, "event-" + n, "route", target, RenderedMessage.JSON, body, at));
    return key;
  }

  // Slack's incoming webhooks answer a 429 without any X-RateLimit-* header
  // (https://api.slack.com/apis/rate-limits: "a HTTP 429 Too Many Requests error, and a
  // Retry-After HTTP header"); here even the Retry-After is missing, and then it is wild.
  @ParameterizedTest(name = "Retry-After ''{0}'' waits {1} ms")
  @CsvSource(delimiter = '|', value = {
      "<none>|1000",
      "1e300|3600000",
      "99999999999999999999|3600000",
      "-5|1000",
      "garbage|1000",
      "0x10p3|1000",
      "NaN|1000",
      "Infinity|1000",
      "7200|3600000",
      "2|2000"})
  void aServerGivenWaitIsClampedToAnHourAndTheMessageIsDeliveredAfterIt(String retryAfter, long expectedMillis) throws Exception {
    AtomicBoolean limited = new AtomicBoolean(true);
    try (RecordingServer slack = new RecordingServer(r -> limited.getAndSet(false)
        ? new RecordingServer.Answer(429, retryAfter.equals("<none>") ? Map.of() : Map.of("Retry-After", retryAfter), "rate_limited")
        : RecordingServer.Answer.of(200, "ok"))) {
      notifiers.register(SlackNotifier.builder("slack-ops", slack.uri("/services/T000/B000/XXXX")).outbound(RecordingServer.loopbackPolicy()).build());
      String key = enqueue(outbox, "slack-ops", "deploy failed", clock.instant());
      OutboxSender sender = OutboxSender.builder(outbox, notifiers).clock(clock).build();

      OutboxSender.DrainReport first = sender.drainAll();

      assertThat(first.waiting()).isEqualTo(1);
      OutboxEntry waiting = outbox.find(key).orElseThrow();
      assertThat(waiting.status()).isEqualTo(OutboxEntry.Status.PENDING);
      assertThat(waiting.nextAttemptAt()).isEqualTo(clock.instant().plusMillis(expectedMillis));
      clock.advance(Duration.ofMillis(expectedMillis - 1));
      assertThat(sender.drainAll().claimed()).isZero();
      clock.advance(Duration.ofMillis(1));
      assertThat(sender.drainAll().delivered()).isEqualTo(1);
      assertThat(outbox.find(key).orElseThrow().status()).isEqualTo(OutboxEntry.Status.DELIVERED);
      // The bucket learnt from a header-less 429 does not hold the next message either.
      enqueue(outbox, "slack-ops", "deploy fixed", clock.instant());
      assertThat(sender.drainAll().delivered()).isEqualTo(1);
      sender.close();
    }
  }

  @Test
  void anOutboxWriteThatFailsMidBatchPutsTheClaimedMessagesBackInsteadOfLosingThem() throws Exception {
    AtomicBoolean failComplete = new AtomicBoolean(true);
    NotificationOutbox flaky = new FailingCompleteOutbox(outbox, failComplete);
    try (RecordingServer slack = new RecordingServer(r -> RecordingServer.Answer.of(200, "ok"))) {
      notifiers.register(SlackNotifier.builder("slack-ops", slack.uri("/services/T000/B000/XXXX")).outbound(RecordingServer.loopbackPolicy()).build());
      List<String> keys = List.of(enqueue(flaky, "slack-ops", "one", clock.instant()), enqueue(flaky, "slack-ops", "two", clock.instant()),
          enqueue(flaky, "slack-ops", "three", clock.instant()));
      OutboxSender sender = OutboxSender.builder(flaky, notifiers).clock(clock).lease(Duration.ofMinutes(2)).build();

      sender.drainOnce();

      // Not left claimed for the two-minute lease: pending, unleased, due within the poll interval.
      for (String k : keys) {
        OutboxEntry e = outbox.find(k).orElseThrow();
        assertThat(e.status()).isEqualTo(OutboxEntry.Status.PENDING);
        assertThat(e.leaseUntil()).isBefore(clock.instant().plusSeconds(1));
        assertThat(e.nextAttemptAt()).isBeforeOrEqualTo(clock.instant().plusSeconds(1));
      }
      failComplete.set(false);
      clock.advance(Duration.ofSeconds(1));
      sender.drainAll();
      assertThat(outbox.counts()).isEqualTo(new OutboxCounts(0, 3, 0));
      sender.close();
    }
  }

  @Test
  void aHugeStreamedErrorBodyIsCutAfterAFewKilobytesWithoutReadingTheRest() throws Exception {
    long endless = 4L << 30; // announced 4 GiB
    AtomicLong written = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = socket.accept()) {
          InputStream in = s.getInputStream();
          byte[] buf = new byte[8192];
          // Read the request head and its small body.
          s.setSoTimeout(5000);
          StringBuilder head = new StringBuilder();
          while (!head.toString().contains("\r\n\r\n")) {
            int n = in.read(buf);
            if (n < 0) return;
            head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
          }
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: " + endless + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          byte[] chunk = new byte[64 * 1024];
          Arrays.fill(chunk, (byte) 'x');
          while (written.get() < endless) {
            out.write(chunk);
            written.addAndGet(chunk.length);
          }
        } catch (IOException e) {
          // The client closed the connection: expected.
        } finally {
          done.countDown();
        }
      }, "huge-body-sink");
      t.setDaemon(true);
      t.start();
      URI url = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/hook");
      SignedWebhookNotifier sink = SignedWebhookNotifier.builder("sink", url, Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
          .outbound(RecordingServer.loopbackPolicy()).build();

      SendOutcome o = sink.send(new RenderedMessage(RenderedMessage.JSON, "{}"), "key-1");

      assertThat(o.kind()).isEqualTo(SendOutcome.Kind.TRANSIENT_FAILURE);
      assertThat(o.status()).isEqualTo(500);
      assertThat(o.reason()).startsWith("HTTP 500: xxx").hasSizeLessThan(400);
      assertThat(done.await(20, TimeUnit.SECONDS)).as("the sink saw its connection closed").isTrue();
      // Socket buffers take some megabytes; reading the whole body would have taken 4 GiB.
      assertThat(written.get()).isLessThan(64L << 20);
    }
  }

  @Test
  void aPacedTargetWithTwoThousandQueuedDoesNotDelayAnotherTargetsMessage() throws Exception {
    Clock real = Clock.systemUTC();
    try (DiscordServer discord = new DiscordServer(real)) {
      notifiers.register(DiscordNotifier.builder("discord-busy", discord.webhook("111", "tok-a")).outbound(RecordingServer.loopbackPolicy()).build());
      notifiers.register(DiscordNotifier.builder("discord-quiet", discord.webhook("222", "tok-b")).outbound(RecordingServer.loopbackPolicy()).build());
      Instant t0 = real.instant();
      for (int i = 0; i < 2000; i++) {
        enqueue(outbox, "discord-busy", "backlog " + i, t0.minusSeconds(60).plusMillis(i));
      }
      try (OutboxSender sender = OutboxSender.builder(outbox, notifiers).clock(real).pollInterval(Duration.ofMillis(50)).build()) {
        sender.start();
        // A's first window is being used: it is paced at 5 per 2 s from now on.
        awaitRequests(discord, "/api/webhooks/111/tok-a", 5, Duration.ofSeconds(10));
        Instant sent = real.instant();
        enqueue(outbox, "discord-quiet", "deploy finished", sent);

        Instant arrived = awaitRequests(discord, "/api/webhooks/222/tok-b", 1, Duration.ofSeconds(10));

        assertThat(Duration.between(sent, arrived)).isLessThan(Duration.ofSeconds(2));
        assertThat(discord.tooManyRequests()).isZero();
        assertThat(outbox.counts().pending()).isGreaterThan(1900);
      }
    }
  }

  @Test
  void aHangingTargetDoesNotDelayAnotherTargetsMessage() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Clock real = Clock.systemUTC();
    try (RecordingServer hanging = new RecordingServer(r -> {
          release.await(30, TimeUnit.SECONDS);
          return RecordingServer.Answer.of(200, "ok");
        });
        RecordingServer slack = new RecordingServer(r -> RecordingServer.Answer.of(200, "ok"))) {
      OutboundPolicy slow = OutboundPolicy.builder().allowHost("127.0.0.1").allowPlainHttp(true).requestTimeout(Duration.ofSeconds(20)).build();
      notifiers.register(SlackNotifier.builder("slack-hanging", hanging.uri("/services/T1/B1/X1")).outbound(slow).build());
      notifiers.register(SlackNotifier.builder("slack-ops", slack.uri("/services/T2/B2/X2")).outbound(RecordingServer.loopbackPolicy()).build());
      for (int i = 0; i < 30; i++) {
        enqueue(outbox, "slack-hanging", "stuck " + i, real.instant().minusSeconds(10));
      }
      try (OutboxSender sender = OutboxSender.builder(outbox, notifiers).clock(real).pollInterval(Duration.ofMillis(50)).build()) {
        sender.start();
        awaitRequests(hanging, "/services/T1/B1/X1", 1, Duration.ofSeconds(10));
        Instant sent = real.instant();
        enqueue(outbox, "slack-ops", "build green", sent);

        Instant arrived = awaitRequests(slack, "/services/T2/B2/X2", 1, Duration.ofSeconds(10));

        assertThat(Duration.between(sent, arrived)).isLessThan(Duration.ofSeconds(2));
        assertThat(hanging.requests()).hasSize(1);
        release.countDown();
      }
    }
  }

  private static Instant awaitRequests(RecordingServer server, String path, int count, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (server.requests().stream().filter(r -> r.path().equals(path)).count() >= count) {
        return Instant.now();
      }
      Thread.sleep(5);
    }
    throw new AssertionError(count + " requests to " + path + " did not arrive within " + within + ": " + server.requests().size());
  }

  /** An outbox whose {@code complete} fails while asked to, as a database that went away does. */
  private static final class FailingCompleteOutbox implements NotificationOutbox {
    private final NotificationOutbox d;
    private final AtomicBoolean fail;

    FailingCompleteOutbox(NotificationOutbox d, AtomicBoolean fail) {
      this.d = d;
      this.fail = fail;
    }

    @Override public boolean enqueue(OutboxMessage m) { return d.enqueue(m); }
    @Override public List<OutboxEntry> claim(String o, Instant n, Duration l, int max) { return d.claim(o, n, l, max); }
    @Override public List<OutboxEntry> claim(String o, Instant n, Duration l, int max, Set<String> skip) { return d.claim(o, n, l, max, skip); }
    @Override public boolean complete(String key, long fence) {
      if (fail.get()) {
        throw new dev.hooks.HooksException("outbox store unavailable");
      }
      return d.complete(key, fence);
    }
    @Override public boolean retryLater(String k, long f, int a, Instant at, String r) { return d.retryLater(k, f, a, at, r); }
    @Override public boolean deadLetter(String k, long f, String r) { return d.deadLetter(k, f, r); }
    @Override public boolean replay(String k, Instant n) { return d.replay(k, n); }
    @Override public Optional<OutboxEntry> find(String k) { return d.find(k); }
    @Override public List<OutboxEntry> deadLetters(int max) { return d.deadLetters(max); }
    @Override public int purgeDelivered(Instant before) { return d.purgeDelivered(before); }
    @Override public OutboxCounts counts() { return d.counts(); }
  }
}
