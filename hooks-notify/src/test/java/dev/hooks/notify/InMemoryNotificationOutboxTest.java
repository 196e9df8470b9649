package dev.hooks.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.outbox.OutboxEntry;
import dev.hooks.outbox.OutboxMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryNotificationOutboxTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);
  private final InMemoryNotificationOutbox outbox = new InMemoryNotificationOutbox();

  private static OutboxMessage message(String event, Instant at) {
    return new OutboxMessage(OutboxMessage.idempotencyKey(event, "route", "discord", 0), event, "route", "discord",
        "application/json", "{\"content\":\"" + event + "\"}", at);
  }

  @Test
  void idempotencyKeyIsStableAndDistinguishesEveryPart() {
    String k = OutboxMessage.idempotencyKey("evt", "route", "target", 0);

    assertThat(k).hasSize(32).matches("[0-9a-f]{32}").isEqualTo(OutboxMessage.idempotencyKey("evt", "route", "target", 0));
    assertThat(List.of(
        OutboxMessage.idempotencyKey("evt", "route", "target", 1),
        OutboxMessage.idempotencyKey("evt", "route", "other", 0),
        OutboxMessage.idempotencyKey("evt", "other", "target", 0),
        OutboxMessage.idempotencyKey("other", "route", "target", 0),
        OutboxMessage.idempotencyKey("evt/route", "", "target", 0))).doesNotContain(k).doesNotHaveDuplicates();
  }

  @Test
  void enqueueingAKeyAgainStoresNothing() {
    assertThat(outbox.enqueue(message("a", T0))).isTrue();
    assertThat(outbox.enqueue(message("a", T0.plusSeconds(5)))).isFalse();

    assertThat(outbox.counts().pending()).isEqualTo(1);
    assertThat(outbox.find(message("a", T0).key()).orElseThrow().message().createdAt()).isEqualTo(T0);
  }

  @Test
  void claimsDueMessagesOldestFirstOnlyOnceWhileLeased() {
    outbox.enqueue(message("b", T0.plusSeconds(1)));
    outbox.enqueue(message("a", T0));
    outbox.enqueue(message("later", T0.plusSeconds(60)));

    List<OutboxEntry> first = outbox.claim("s1", T0.plusSeconds(2), LEASE, 10);

    assertThat(first).extracting(e -> e.message().eventId()).containsExactly("a", "b");
    assertThat(first).allSatisfy(e -> {
      assertThat(e.owner()).isEqualTo("s1");
      assertThat(e.fence()).isEqualTo(1);
      assertThat(e.leaseUntil()).isEqualTo(T0.plusSeconds(32));
    });
    assertThat(outbox.claim("s2", T0.plusSeconds(3), LEASE, 10)).isEmpty();
    assertThat(outbox.nextDue()).contains(T0.plusSeconds(32));
  }

  @Test
  void anExpiredLeaseHandsTheMessageToAnotherSenderAndFencesTheFirstOut() {
    outbox.enqueue(message("a", T0));
    OutboxEntry mine = outbox.claim("s1", T0, LEASE, 1).get(0);

    OutboxEntry theirs = outbox.claim("s2", T0.plus(LEASE), LEASE, 1).get(0);

    assertThat(theirs.fence()).isEqualTo(2);
    assertThat(outbox.complete(mine.key(), mine.fence())).isFalse();
    assertThat(outbox.retryLater(mine.key(), mine.fence(), 1, T0, "late")).isFalse();
    assertThat(outbox.deadLetter(mine.key(), mine.fence(), "late")).isFalse();
    assertThat(outbox.complete(theirs.key(), theirs.fence())).isTrue();
    assertThat(outbox.counts().delivered()).isEqualTo(1);
  }

  @Test
  void retryLaterReleasesUntilTheNextAttemptWithItsReason() {
    outbox.enqueue(message("a", T0));
    OutboxEntry e = outbox.claim("s1", T0, LEASE, 1).get(0);

    assertThat(outbox.retryLater(e.key(), e.fence(), 1, T0.plusSeconds(4), "HTTP 503")).isTrue();

    assertThat(outbox.claim("s1", T0.plusSeconds(3), LEASE, 1)).isEmpty();
    OutboxEntry again = outbox.claim("s1", T0.plusSeconds(4), LEASE, 1).get(0);
    assertThat(again.attempts()).isEqualTo(1);
    assertThat(again.lastError()).isEqualTo("HTTP 503");
  }

  @Test
  void deadLettersKeepTheirReasonAndReplayMakesThemDueAgain() {
    outbox.enqueue(message("a", T0));
    outbox.enqueue(message("b", T0));
    List<OutboxEntry> claimed = outbox.claim("s1", T0, LEASE, 2);
    outbox.deadLetter(claimed.get(0).key(), claimed.get(0).fence(), "HTTP 404: Unknown Webhook (code 10015)");
    outbox.complete(claimed.get(1).key(), claimed.get(1).fence());

    assertThat(outbox.deadLetters(10)).singleElement().satisfies(d -> {
      assertThat(d.status()).isEqualTo(OutboxEntry.Status.DEAD);
      assertThat(d.lastError()).isEqualTo("HTTP 404: Unknown Webhook (code 10015)");
    });
    assertThat(outbox.replay(claimed.get(0).key(), T0.plusSeconds(9))).isTrue();
    assertThat(outbox.replay("no-such-key", T0)).isFalse();

    OutboxEntry replayed = outbox.claim("s1", T0.plusSeconds(9), LEASE, 5).get(0);
    assertThat(replayed.key()).isEqualTo(claimed.get(0).key());
    assertThat(replayed.attempts()).isZero();
    assertThat(outbox.deadLetters(10)).isEmpty();
  }

  @Test
  void purgeRemovesOldDeliveredMessagesOnly() {
    outbox.enqueue(message("old", T0));
    outbox.enqueue(message("dead", T0));
    outbox.enqueue(message("new", T0.plusSeconds(100)));
    for (OutboxEntry e : outbox.claim("s", T0.plusSeconds(100), LEASE, 3)) {
      if (e.message().eventId().equals("dead")) {
        outbox.deadLetter(e.key(), e.fence(), "gone");
      } else {
        outbox.complete(e.key(), e.fence());
      }
    }

    assertThat(outbox.purgeDelivered(T0.plusSeconds(50))).isEqualTo(1);

    assertThat(outbox.counts()).isEqualTo(new dev.hooks.outbox.OutboxCounts(0, 1, 1));
    assertThat(outbox.enqueue(message("old", T0))).isTrue();
  }
}
