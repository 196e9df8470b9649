package dev.hooks.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failsafe.RetryPolicy;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.outbox.OutboxEntry;
import dev.hooks.outbox.OutboxMessage;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboxSenderTest {
  private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
  private final InMemoryNotificationOutbox outbox = new InMemoryNotificationOutbox();
  private final NotifierRegistry notifiers = new NotifierRegistry();
  private DiscordServer server;
  private DiscordNotifier discord;
  private int sequence;

  @BeforeEach
  void start() throws Exception {
    server = new DiscordServer(clock);
    discord = notifier("discord-dev", server.webhook("111", "tok"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private DiscordNotifier notifier(String name, URI url) {
    DiscordNotifier d = DiscordNotifier.builder(name, url).outbound(RecordingServer.loopbackPolicy()).build();
    notifiers.register(d);
    return d;
  }

  private OutboxSender.Builder sender() {
    return OutboxSender.builder(outbox, notifiers).clock(clock).random(new Random(7))
        .retryPolicy(RetryPolicy.builder().withBackoff(Duration.ofSeconds(2), Duration.ofMinutes(10)).withJitter(0.25).withMaxRetries(3).build());
  }

  private String enqueue(String target, String text) {
    int n = sequence++;
    String key = OutboxMessage.idempotencyKey("event-" + n, "route", target, 0);
    String body = DiscordNotifier.toJson(DiscordMessage.builder().content(text).build());
    outbox.enqueue(new OutboxMessage(key, "event-" + n, "route", target, RenderedMessage.JSON, body, clock.instant()));
    return key;
  }

  private List<String> contentsReceived() {
    return server.requests().stream().map(r -> Events.json(r.body()).path("content").asText()).toList();
  }

  @Test
  void deliversEveryMessageOnceAndMarksItDelivered() {
    String a = enqueue("discord-dev", "one");
    String b = enqueue("discord-dev", "two");

    OutboxSender.DrainReport r = sender().build().drainAll();

    assertThat(r.delivered()).isEqualTo(2);
    assertThat(contentsReceived()).containsExactly("one", "two");
    assertThat(outbox.find(a).orElseThrow().status()).isEqualTo(OutboxEntry.Status.DELIVERED);
    assertThat(outbox.find(b).orElseThrow().status()).isEqualTo(OutboxEntry.Status.DELIVERED);
    assertThat(sender().build().drainAll().claimed()).isZero();
  }

  @Test
  void serverErrorIsRetriedAfterExponentialBackoffWithJitterThenDelivered() {
    server.script(RecordingServer.Answer.of(500, "{\"message\": \"Internal Server Error\", \"code\": 0}"),
        RecordingServer.Answer.of(502, "Bad Gateway"));
    String key = enqueue("discord-dev", "flaky");
    OutboxSender sender = sender().build();

    assertThat(sender.drainAll().retried()).isEqualTo(1);
    OutboxEntry first = outbox.find(key).orElseThrow();
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.lastError()).isEqualTo("HTTP 500: Internal Server Error (code 0)");
    Duration wait1 = Duration.between(clock.instant(), first.nextAttemptAt());
    assertThat(wait1).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2500));

    clock.set(first.nextAttemptAt());
    assertThat(sender.drainAll().retried()).isEqualTo(1);
    OutboxEntry second = outbox.find(key).orElseThrow();
    Duration wait2 = Duration.between(clock.instant(), second.nextAttemptAt());
    assertThat(wait2).isBetween(Duration.ofMillis(3000), Duration.ofMillis(5000));

    clock.set(second.nextAttemptAt().minusMillis(1));
    assertThat(sender.drainAll().claimed()).isZero();
    clock.set(second.nextAttemptAt());
    assertThat(sender.drainAll().delivered()).isEqualTo(1);
    assertThat(contentsReceived()).containsExactly("flaky", "flaky", "flaky");
  }

  @Test
  void retryAfterOfA429BodyIsHonouredAndNotCountedAsAnAttempt() {
    // The "exceeded rate limit" example of Discord's Rate Limits documentation.
    server.script(new RecordingServer.Answer(429, Map.of(
        "Content-Type", "application/json",
        "Retry-After", "65",
        "X-RateLimit-Limit", "10",
        "X-RateLimit-Remaining", "0",
        "X-RateLimit-Reset", "1470173023.123",
        "X-RateLimit-Reset-After", "64.57",
        "X-RateLimit-Bucket", "abcd1234",
        "X-RateLimit-Scope", "user"),
        "{\"message\": \"You are being rate limited.\", \"retry_after\": 64.57, \"global\": false}"));
    String key = enqueue("discord-dev", "later");
    String next = enqueue("discord-dev", "after it");
    OutboxSender sender = sender().build();

    OutboxSender.DrainReport r = sender.drainAll();

    assertThat(r.waiting()).isEqualTo(2);
    OutboxEntry e = outbox.find(key).orElseThrow();
    assertThat(e.attempts()).isZero();
    assertThat(e.nextAttemptAt()).isEqualTo(clock.instant().plusMillis(64_570));
    assertThat(outbox.find(next).orElseThrow().nextAttemptAt()).isEqualTo(e.nextAttemptAt());
    assertThat(server.requests()).hasSize(1);

    clock.advance(Duration.ofMillis(64_569));
    assertThat(sender.drainAll().claimed()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(sender.drainAll().delivered()).isEqualTo(2);
    assertThat(contentsReceived()).containsExactly("later", "later", "after it");
  }

  @Test
  void aGlobal429PausesEveryDiscordTargetUntilItEnds() {
    notifier("discord-ops", server.webhook("333", "tok3"));
    server.globalLimitUntil(clock.instant().plusSeconds(3));
    enqueue("discord-dev", "dev");
    enqueue("discord-ops", "ops");
    // One lane, so the second target is only tried after the global 429 came back (lanes in
    // parallel could both be in flight when it comes).
    OutboxSender sender = sender().lanes(1).build();

    sender.drainAll();

    assertThat(server.requests()).hasSize(1);
    assertThat(server.tooManyRequests()).isEqualTo(1);
    clock.advance(Duration.ofMillis(2999));
    sender.drainAll();
    assertThat(server.requests()).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(sender.drainAll().delivered()).isEqualTo(2);
    assertThat(server.tooManyRequests()).isEqualTo(1);
  }

  @Test
  void afterTheBucketIsLearntNoRequestDrawsA429() {
    for (int i = 0; i < 12; i++) {
      enqueue("discord-dev", "m" + i);
    }
    OutboxSender sender = sender().build();

    assertThat(sender.drainAll().delivered()).isEqualTo(5);
    clock.advance(Duration.ofSeconds(2));
    assertThat(sender.drainAll().delivered()).isEqualTo(5);
    clock.advance(Duration.ofSeconds(2));
    assertThat(sender.drainAll().delivered()).isEqualTo(2);

    assertThat(server.tooManyRequests()).isZero();
    assertThat(contentsReceived()).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11");
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 410})
  void permanentFailuresGoToTheDeadLettersWithTheReason(int status) {
    server.script(RecordingServer.Answer.of(status, "{\"message\": \"refused\", \"code\": 50035}"));
    String key = enqueue("discord-dev", "nope");

    assertThat(sender().build().drainAll().dead()).isEqualTo(1);

    assertThat(outbox.deadLetters(10)).extracting(OutboxEntry::key).containsExactly(key);
    assertThat(outbox.find(key).orElseThrow().lastError()).isEqualTo("HTTP " + status + ": refused (code 50035)");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void aDeadLetterReplayedAfterTheFixIsDelivered() {
    DiscordNotifier moved = notifier("discord-moved", server.uri("/api/webhooks/444/tok4"));
    String key = enqueue(moved.name(), "replay me");
    OutboxSender sender = sender().build();
    sender.drainAll();
    assertThat(outbox.find(key).orElseThrow().lastError()).isEqualTo("HTTP 404: Unknown Webhook (code 10015)");

    server.webhook("444", "tok4");
    assertThat(outbox.replay(key, clock.instant())).isTrue();

    assertThat(sender.drainAll().delivered()).isEqualTo(1);
    assertThat(outbox.deadLetters(10)).isEmpty();
  }

  @Test
  void givesUpAfterTheRetryPolicysRetriesAndSaysWhy() {
    server.behave(r -> RecordingServer.Answer.of(503, ""));
    String key = enqueue("discord-dev", "down");
    OutboxSender sender = sender().build();

    for (int i = 0; i < 4; i++) {
      sender.drainAll();
      outbox.find(key).filter(e -> e.status() == OutboxEntry.Status.PENDING).ifPresent(e -> clock.set(e.nextAttemptAt()));
    }

    OutboxEntry e = outbox.find(key).orElseThrow();
    assertThat(e.status()).isEqualTo(OutboxEntry.Status.DEAD);
    assertThat(e.lastError()).isEqualTo("gave up after 4 attempts: HTTP 503");
    assertThat(server.requests()).hasSize(4);
  }

  @Test
  void serviceUnavailableWithRetryAfterWaitsAsAsked() {
    server.script(new RecordingServer.Answer(503, Map.of("Retry-After", "30"), ""));
    String key = enqueue("discord-dev", "wait");

    sender().build().drainAll();

    OutboxEntry e = outbox.find(key).orElseThrow();
    assertThat(e.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(30));
    assertThat(e.attempts()).isEqualTo(1);
  }

  @Test
  void noMessageIsLostOrDuplicatedWhenASenderStopsMidway() {
    for (int i = 0; i < 10; i++) {
      enqueue("discord-dev", "m" + i);
    }
    sender().owner("first").batchSize(3).build().drainOnce();
    // The first sender claims the next batch and dies before sending it.
    List<OutboxEntry> orphaned = outbox.claim("first", clock.instant(), Duration.ofMinutes(2), 3);
    assertThat(orphaned).hasSize(3);

    OutboxSender second = sender().owner("second").build();
    clock.advance(Duration.ofSeconds(2));
    second.drainAll();
    assertThat(server.requests()).hasSize(7);

    clock.advance(Duration.ofMinutes(2));
    second.drainAll();

    assertThat(server.tooManyRequests()).isZero();
    assertThat(contentsReceived()).hasSize(10).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    assertThat(outbox.counts().delivered()).isEqualTo(10);
    // The dead sender's late writes are refused: its fence is stale.
    assertThat(outbox.complete(orphaned.get(0).key(), orphaned.get(0).fence())).isFalse();
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    try (RecordingServer elsewhere = new RecordingServer(r -> RecordingServer.Answer.of(204, ""))) {
      server.script(new RecordingServer.Answer(307, Map.of("Location", elsewhere.uri("/steal").toString()), ""));
      String key = enqueue("discord-dev", "stay");

      sender().build().drainAll();

      assertThat(outbox.find(key).orElseThrow().lastError()).isEqualTo("HTTP 307: redirect to '127.0.0.1' not followed");
      assertThat(elsewhere.requests()).isEmpty();
    }
  }

  @Test
  void aSlowAnswerIsATransientFailureWithinTheRequestTimeout() {
    OutboundPolicy quick = OutboundPolicy.builder().allowHost("127.0.0.1").allowPlainHttp(true)
        .requestTimeout(Duration.ofMillis(200)).build();
    notifiers.register(DiscordNotifier.builder("slow", server.webhook("555", "tok5")).outbound(quick).build());
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    server.behave(r -> {
      release.await(5, java.util.concurrent.TimeUnit.SECONDS);
      return RecordingServer.Answer.of(204, "");
    });
    String key = enqueue("slow", "slow");

    try {
      assertThat(sender().build().drainAll().retried()).isEqualTo(1);
    } finally {
      release.countDown();
    }
    assertThat(outbox.find(key).orElseThrow().lastError()).startsWith("no answer from http://127.0.0.1:").endsWith("/api/webhooks/555/**** within PT0.2S");
  }

  @Test
  void aTargetThatIsNotRegisteredGoesToTheDeadLetters() {
    String key = enqueue("removed", "x");

    sender().build().drainAll();

    assertThat(outbox.find(key).orElseThrow().lastError()).isEqualTo("no notifier named 'removed' is registered");
  }

  @Test
  void startedSenderDeliversInTheBackgroundWithoutA429() throws Exception {
    java.time.Clock real = java.time.Clock.systemUTC();
    try (DiscordServer fast = new DiscordServer(real, 5, Duration.ofMillis(200))) {
      java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(12);
      NotifierRegistry registry = NotifierRegistry.of(
          DiscordNotifier.builder("bg", fast.webhook("9", "t")).outbound(RecordingServer.loopbackPolicy()).build());
      InMemoryNotificationOutbox box = new InMemoryNotificationOutbox();
      for (int i = 0; i < 12; i++) {
        box.enqueue(new OutboxMessage("k" + i, "e" + i, "r", "bg", RenderedMessage.JSON,
            DiscordNotifier.toJson(DiscordMessage.builder().content("m" + i).build()), real.instant()));
      }
      RecordingServer.Behaviour discord = fast.behaviour();
      fast.behave(r -> {
        RecordingServer.Answer a = discord.answer(r);
        if (a.status() == 204) {
          all.countDown();
        }
        return a;
      });

      try (OutboxSender sender = OutboxSender.builder(box, registry).pollInterval(Duration.ofMillis(50)).build()) {
        sender.start();
        assertThat(all.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      }

      assertThat(fast.tooManyRequests()).isZero();
      assertThat(box.counts().delivered()).isEqualTo(12);
    }
  }
}
