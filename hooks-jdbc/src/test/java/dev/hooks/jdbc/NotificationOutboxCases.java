package dev.hooks.jdbc;

import static dev.hooks.testing.Concurrently.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.outbox.OutboxCounts;
import dev.hooks.outbox.OutboxEntry;
import dev.hooks.outbox.OutboxEntry.Status;
import dev.hooks.outbox.OutboxMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NotificationOutbox} must do, run against the in-memory outbox of hooks-core
 * (the reference), H2 and PostgreSQL.
 */
abstract class NotificationOutboxCases {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(30);

  NotificationOutbox outbox;

  abstract NotificationOutbox newOutbox();

  void closeOutbox() {}

  @BeforeEach
  void open() {
    outbox = newOutbox();
  }

  @AfterEach
  void close() {
    closeOutbox();
  }

  static OutboxMessage message(String key, Instant createdAt) {
    return new OutboxMessage(key, "event-" + key, "dev-feed", "discord-dev", "application/json",
        "{\"content\":\"push to main by octocat \u2014 \\\"ok\\\"\"}", createdAt);
  }

  @Test
  void enqueuedMessageIsPendingDueAtItsCreationWithItsExactBody() {
    assertThat(outbox.enqueue(message("k1", T0))).isTrue();

    OutboxEntry e = outbox.find("k1").orElseThrow();
    assertThat(e.message()).isEqualTo(message("k1", T0));
    assertThat(e.status()).isEqualTo(Status.PENDING);
    assertThat(e.nextAttemptAt()).isEqualTo(T0);
    assertThat(e.attempts()).isZero();
    assertThat(e.fence()).isZero();
    assertThat(outbox.find("nope")).isEmpty();
  }

  @Test
  void enqueueingAKeyAgainStoresNothing() {
    outbox.enqueue(message("k1", T0));

    assertThat(outbox.enqueue(message("k1", T0.plusSeconds(5)))).isFalse();
    assertThat(outbox.counts()).isEqualTo(new OutboxCounts(1, 0, 0));
  }

  @Test
  void concurrentEnqueuesOfOneKeyStoreItOnce() throws Exception {
    List<Boolean> results = runConcurrently(8, i -> outbox.enqueue(message("same", T0)));

    assertThat(results.stream().filter(b -> b).count()).isEqualTo(1);
    assertThat(outbox.counts().pending()).isEqualTo(1);
  }

  @Test
  void claimTakesDueMessagesOldestFirstAndLeasesThem() {
    outbox.enqueue(message("b", T0.plusMillis(2)));
    outbox.enqueue(message("a", T0.plusMillis(1)));
    outbox.enqueue(message("c", T0.plusMillis(2)));
    outbox.enqueue(message("later", T0.plusSeconds(60)));
    Instant now = T0.plusSeconds(1);

    List<OutboxEntry> claimed = outbox.claim("sender-1", now, LEASE, 10);

    assertThat(claimed).extracting(OutboxEntry::key).containsExactly("a", "b", "c");
    assertThat(claimed).allSatisfy(e -> {
      assertThat(e.owner()).isEqualTo("sender-1");
      assertThat(e.leaseUntil()).isEqualTo(now.plus(LEASE));
      assertThat(e.fence()).isEqualTo(1);
    });
    assertThat(outbox.claim("sender-2", now, LEASE, 10)).isEmpty();
  }

  @Test
  void claimSkippingTargetsLeavesTheirMessagesDueAndTakesTheOthersOldestFirst() {
    outbox.enqueue(message("paced-1", T0));
    outbox.enqueue(message("paced-2", T0.plusMillis(1)));
    outbox.enqueue(new OutboxMessage("other", "event-other", "dev-feed", "slack-ops", "application/json", "{}", T0.plusMillis(2)));
    Instant now = T0.plusSeconds(1);

    assertThat(outbox.claim("sender-1", now, LEASE, 10, Set.of("discord-dev"))).extracting(OutboxEntry::key).containsExactly("other");
    assertThat(outbox.claim("sender-1", now, LEASE, 10, Set.of("discord-dev", "slack-ops"))).isEmpty();
    assertThat(outbox.claim("sender-1", now, LEASE, 10, Set.of())).extracting(OutboxEntry::key).containsExactly("paced-1", "paced-2");
  }

  @Test
  void expiredLeaseIsTakenOverAndTheStaleSenderIsRefused() {
    outbox.enqueue(message("k", T0));
    OutboxEntry first = outbox.claim("s1", T0, LEASE, 1).get(0);

    OutboxEntry second = outbox.claim("s2", T0.plus(LEASE), LEASE, 1).get(0);

    assertThat(second.fence()).isGreaterThan(first.fence());
    assertThat(outbox.complete("k", first.fence())).isFalse();
    assertThat(outbox.retryLater("k", first.fence(), 1, T0, "late")).isFalse();
    assertThat(outbox.deadLetter("k", first.fence(), "late")).isFalse();
    assertThat(outbox.complete("k", second.fence())).isTrue();
    assertThat(outbox.find("k").orElseThrow().status()).isEqualTo(Status.DELIVERED);
  }

  @Test
  void retryLaterReleasesTheLeaseAndWaitsForTheNextAttempt() {
    outbox.enqueue(message("k", T0));
    OutboxEntry c = outbox.claim("s1", T0, LEASE, 1).get(0);

    assertThat(outbox.retryLater("k", c.fence(), 1, T0.plusSeconds(10), "HTTP 429")).isTrue();

    assertThat(outbox.find("k").orElseThrow().lastError()).isEqualTo("HTTP 429");
    assertThat(outbox.nextDue()).contains(T0.plusSeconds(10));
    assertThat(outbox.claim("s2", T0.plusSeconds(9), LEASE, 1)).isEmpty();
    List<OutboxEntry> again = outbox.claim("s2", T0.plusSeconds(10), LEASE, 1);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).attempts()).isEqualTo(1);
  }

  @Test
  void deadLettersKeepTheReasonAndReplayBringsThemBack() {
    outbox.enqueue(message("a", T0));
    outbox.enqueue(message("b", T0.plusMillis(1)));
    List<OutboxEntry> c = outbox.claim("s", T0.plusSeconds(1), LEASE, 2);
    outbox.deadLetter("a", c.get(0).fence(), "HTTP 400: invalid embed");
    outbox.deadLetter("b", c.get(1).fence(), "gave up after 8 attempts");

    assertThat(outbox.deadLetters(10)).extracting(OutboxEntry::lastError)
        .containsExactly("HTTP 400: invalid embed", "gave up after 8 attempts");
    assertThat(outbox.counts()).isEqualTo(new OutboxCounts(0, 0, 2));
    assertThat(outbox.nextDue()).isEmpty();

    assertThat(outbox.replay("a", T0.plusSeconds(5))).isTrue();
    assertThat(outbox.replay("nope", T0)).isFalse();
    OutboxEntry replayed = outbox.claim("s", T0.plusSeconds(5), LEASE, 10).get(0);
    assertThat(replayed.key()).isEqualTo("a");
    assertThat(replayed.attempts()).isZero();
    assertThat(outbox.complete("a", c.get(0).fence())).isFalse();
    assertThat(outbox.complete("a", replayed.fence())).isTrue();
  }

  @Test
  void purgeDeliveredKeepsPendingAndDeadMessages() {
    outbox.enqueue(message("delivered", T0));
    outbox.enqueue(message("dead", T0));
    outbox.enqueue(message("pending", T0));
    for (OutboxEntry e : outbox.claim("s", T0, LEASE, 10)) {
      switch (e.key()) {
        case "delivered" -> outbox.complete(e.key(), e.fence());
        case "dead" -> outbox.deadLetter(e.key(), e.fence(), "x");
        default -> { }
      }
    }

    assertThat(outbox.purgeDelivered(T0.plusSeconds(1))).isEqualTo(1);

    assertThat(outbox.counts()).isEqualTo(new OutboxCounts(1, 0, 1));
    assertThat(outbox.nextDue()).contains(T0.plus(LEASE));
  }

  @Test
  void concurrentSendersNeverClaimOneMessageTwice() throws Exception {
    for (int i = 0; i < 100; i++) {
      outbox.enqueue(message("k" + i, T0.plusMillis(i)));
    }

    List<List<String>> perSender = runConcurrently(4, s -> {
      List<String> mine = new ArrayList<>();
      List<OutboxEntry> batch;
      while (!(batch = outbox.claim("s" + s, T0.plusSeconds(1), LEASE, 3)).isEmpty()) {
        batch.forEach(e -> mine.add(e.key()));
      }
      return mine;
    });

    Set<String> seen = new HashSet<>();
    perSender.forEach(keys -> keys.forEach(k -> assertThat(seen.add(k)).as("claimed twice: %s", k).isTrue()));
    assertThat(seen).hasSize(100);
  }
}
