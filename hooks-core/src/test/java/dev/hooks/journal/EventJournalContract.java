package dev.hooks.journal;

import static dev.hooks.testing.Concurrently.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.journal.JournalEntry.Status;
import java.nio.charset.StandardCharsets;
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
 * The contract kit every {@link EventJournal} must pass. Extend it, return a new empty journal
 * from {@link #newJournal()}, and every test below runs against your implementation:
 *
 * <pre>{@code
 * class MyJournalTest extends EventJournalContract {
 *   @Override
 *   protected EventJournal newJournal() {
 *     return new MyJournal(...);
 *   }
 * }
 * }</pre>
 *
 * <p>Instants are whole milliseconds, so a store may keep them at millisecond or finer
 * precision. Time is passed to the journal by the tests ({@code now}), never read from a clock.
 */
public abstract class EventJournalContract {
  /** A fixed start instant; tests move time by passing later instants. */
  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final Duration LEASE = Duration.ofSeconds(30);

  protected EventJournal journal;

  /** A new, empty journal. Called before every test; the kit closes it after the test. */
  protected abstract EventJournal newJournal();

  @BeforeEach
  void openJournal() {
    journal = newJournal();
  }

  @AfterEach
  void closeJournal() {
    journal.close();
  }

  /** A pending entry of endpoint {@code endpoint}, received at {@code receivedAt}, leased to "ingress" until then. */
  protected static JournalEntry entry(String requestId, String endpoint, String deliveryId, Instant receivedAt) {
    Delivery delivery = Delivery.builder(endpoint)
        .method("POST")
        .url("https://hooks.example.com/hooks/" + endpoint)
        .headers(Headers.builder()
            .add("Content-Type", "application/json")
            .add("X-GitHub-Event", "push")
            .add("X-Multi", "one")
            .add("X-Multi", "two")
            .add("X-Hub-Signature-256", "****")
            .build())
        .body(("{\"delivery\":\"" + deliveryId + "\",\"text\":\"h\u00e9llo \\\"quoted\\\"\"}").getBytes(StandardCharsets.UTF_8))
        .receivedAt(receivedAt)
        .build();
    return JournalEntry.accepted(requestId, deliveryId, delivery, "ingress", receivedAt);
  }

  protected static JournalEntry entry(String requestId, String deliveryId, Instant receivedAt) {
    return entry(requestId, "github", deliveryId, receivedAt);
  }

  @Test
  void appendedEntryIsFoundWithItsExactBytesHeadersAndPendingStatus() {
    JournalEntry e = entry("r1", "d1", T0);

    AppendResult result = journal.append(e);

    assertThat(result).isEqualTo(AppendResult.appended("r1"));
    JournalEntry found = journal.find("r1").orElseThrow();
    assertThat(found.requestId()).isEqualTo("r1");
    assertThat(found.deliveryId()).isEqualTo("d1");
    assertThat(found.endpointId()).isEqualTo("github");
    assertThat(found.status()).isEqualTo(Status.PENDING);
    assertThat(found.attempts()).isZero();
    assertThat(found.fence()).isEqualTo(1);
    assertThat(found.owner()).isEqualTo("ingress");
    assertThat(found.leaseUntil()).isEqualTo(T0);
    assertThat(found.nextAttemptAt()).isEqualTo(T0);
    assertThat(found.receivedAt()).isEqualTo(T0);
    assertThat(found.delivery().method()).isEqualTo("POST");
    assertThat(found.delivery().url()).isEqualTo("https://hooks.example.com/hooks/github");
    assertThat(found.delivery().body()).isEqualTo(e.delivery().body());
    assertThat(found.delivery().headers().asMap()).isEqualTo(e.delivery().headers().asMap());
    assertThat(found.delivery().headers().all("x-multi")).containsExactly("one", "two");
  }

  @Test
  void findOfUnknownRequestIdIsEmpty() {
    assertThat(journal.find("nope")).isEmpty();
  }

  @Test
  void secondAppendOfOneDeliveryIdIsADuplicateOfTheFirstRequestId() {
    journal.append(entry("r1", "d1", T0));

    AppendResult again = journal.append(entry("r2", "d1", T0.plusSeconds(1)));

    assertThat(again).isEqualTo(AppendResult.duplicateOf("r1"));
    assertThat(journal.find("r2")).isEmpty();
    assertThat(journal.counts()).isEqualTo(new JournalCounts(1, 0, 0));
  }

  @Test
  void sameDeliveryIdOnAnotherEndpointIsNotADuplicate() {
    journal.append(entry("r1", "github", "d1", T0));

    AppendResult other = journal.append(entry("r2", "gitlab", "d1", T0));

    assertThat(other).isEqualTo(AppendResult.appended("r2"));
    assertThat(journal.counts().pending()).isEqualTo(2);
  }

  @Test
  void concurrentAppendsOfOneDeliveryIdAcceptExactlyOne() throws Exception {
    int threads = 16;
    List<AppendResult> results = runConcurrently(threads, i -> journal.append(entry("r" + i, "same", T0)));

    List<AppendResult> accepted = results.stream().filter(r -> !r.duplicate()).toList();
    assertThat(accepted).hasSize(1);
    String winner = accepted.get(0).requestId();
    assertThat(results).allSatisfy(r -> assertThat(r.requestId()).isEqualTo(winner));
    assertThat(journal.counts()).isEqualTo(new JournalCounts(1, 0, 0));
  }

  @Test
  void concurrentAppendsOfDistinctDeliveriesAreAllStored() throws Exception {
    int threads = 8;
    int perThread = 50;
    List<AppendResult> results = runConcurrently(threads, t -> {
      for (int i = 0; i < perThread; i++) {
        AppendResult r = journal.append(entry("r" + t + "-" + i, "d" + t + "-" + i, T0.plusMillis(i)));
        assertThat(r.duplicate()).isFalse();
      }
      return AppendResult.appended("t" + t);
    });

    assertThat(results).hasSize(threads);
    assertThat(journal.counts().pending()).isEqualTo((long) threads * perThread);
    assertThat(journal.find("r7-49")).isPresent();
  }

  @Test
  void appendedEntryStaysWithItsWriterUntilTheLeaseEnds() {
    Instant leaseEnd = T0.plusSeconds(10);
    journal.append(JournalEntry.accepted("r1", "d1", entry("r1", "d1", T0).delivery(), "ingress", leaseEnd));

    assertThat(journal.claim("worker", T0.plusSeconds(9), LEASE, 10)).isEmpty();
    List<JournalEntry> claimed = journal.claim("worker", leaseEnd, LEASE, 10);

    assertThat(claimed).extracting(JournalEntry::requestId).containsExactly("r1");
  }

  @Test
  void claimLeasesToOwnerRaisesFenceAndHidesTheEntryFromOthersDuringTheLease() {
    journal.append(entry("r1", "d1", T0));
    Instant now = T0.plusSeconds(1);

    List<JournalEntry> claimed = journal.claim("worker-a", now, LEASE, 10);

    assertThat(claimed).hasSize(1);
    JournalEntry c = claimed.get(0);
    assertThat(c.owner()).isEqualTo("worker-a");
    assertThat(c.leaseUntil()).isEqualTo(now.plus(LEASE));
    assertThat(c.fence()).isEqualTo(2);
    assertThat(c.status()).isEqualTo(Status.PENDING);
    assertThat(c.delivery().body()).isEqualTo(entry("r1", "d1", T0).delivery().body());
    assertThat(journal.claim("worker-b", now.plusSeconds(29), LEASE, 10)).isEmpty();
    assertThat(journal.find("r1").orElseThrow().fence()).isEqualTo(2);
  }

  @Test
  void claimTakesDueEntriesOldestFirstUpToMax() {
    journal.append(entry("r3", "d3", T0.plusMillis(3)));
    journal.append(entry("r1", "d1", T0.plusMillis(1)));
    journal.append(entry("r2", "d2", T0.plusMillis(2)));
    journal.append(entry("r4", "d4", T0.plusMillis(4)));
    Instant now = T0.plusSeconds(1);

    List<JournalEntry> first = journal.claim("w", now, LEASE, 2);
    List<JournalEntry> rest = journal.claim("w", now, LEASE, 10);

    assertThat(first).extracting(JournalEntry::requestId).containsExactly("r1", "r2");
    assertThat(rest).extracting(JournalEntry::requestId).containsExactly("r3", "r4");
  }

  @Test
  void expiredLeaseIsTakenOverAndTheStaleHolderIsRefused() {
    journal.append(entry("r1", "d1", T0));
    JournalEntry byA = journal.claim("worker-a", T0, LEASE, 1).get(0);

    Instant afterLease = T0.plus(LEASE);
    JournalEntry byB = journal.claim("worker-b", afterLease, LEASE, 1).get(0);

    assertThat(byB.fence()).isGreaterThan(byA.fence());
    assertThat(byB.owner()).isEqualTo("worker-b");
    assertThat(journal.complete("r1", byA.fence())).isFalse();
    assertThat(journal.retryLater("r1", byA.fence(), 1, afterLease, afterLease, "late")).isFalse();
    assertThat(journal.deadLetter("r1", byA.fence(), "late")).isFalse();
    assertThat(journal.find("r1").orElseThrow().status()).isEqualTo(Status.PENDING);
    assertThat(journal.complete("r1", byB.fence())).isTrue();
    assertThat(journal.find("r1").orElseThrow().status()).isEqualTo(Status.DONE);
  }

  @Test
  void completeMarksTheEntryDoneOnceAndDoneEntriesAreNotClaimed() {
    journal.append(entry("r1", "d1", T0));
    JournalEntry c = journal.claim("w", T0, LEASE, 1).get(0);

    assertThat(journal.complete("r1", c.fence())).isTrue();
    assertThat(journal.complete("r1", c.fence())).isFalse();

    JournalEntry done = journal.find("r1").orElseThrow();
    assertThat(done.status()).isEqualTo(Status.DONE);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(journal.claim("w", T0.plus(Duration.ofDays(1)), LEASE, 10)).isEmpty();
    assertThat(journal.counts()).isEqualTo(new JournalCounts(0, 1, 0));
  }

  @Test
  void completionsAndAppendsFromManyThreadsAtOnceAreEachStoredWithItsOwnResult() throws Exception {
    for (int i = 0; i < 100; i++) {
      journal.append(entry("old" + i, "old" + i, T0));
    }
    long fence = journal.find("old0").orElseThrow().fence();

    List<Integer> done = runConcurrently(5, t -> {
      int n = 0;
      if (t == 0) {
        for (int i = 0; i < 100; i += 10) {
          List<EventJournal.Completion> batch = new ArrayList<>();
          for (int k = i; k < i + 10; k++) {
            batch.add(new EventJournal.Completion("old" + k, fence));
          }
          n += journal.completeAll(batch);
        }
      } else {
        for (int i = 0; i < 50; i++) {
          assertThat(journal.append(entry("new" + t + "-" + i, "new" + t + "-" + i, T0)).duplicate()).isFalse();
        }
      }
      return n;
    });

    assertThat(done.get(0)).isEqualTo(100);
    assertThat(journal.counts()).isEqualTo(new JournalCounts(200, 100, 0));
  }

  @Test
  void completeAllMarksEachEntryUnderItsOwnFenceAndSkipsStaleOnes() {
    journal.append(entry("r1", "d1", T0));
    journal.append(entry("r2", "d2", T0.plusMillis(1)));
    journal.append(entry("r3", "d3", T0.plusMillis(2)));
    List<JournalEntry> claimed = journal.claim("w", T0.plusMillis(2), LEASE, 3);
    long f1 = claimed.get(0).fence();
    long f2 = claimed.get(1).fence();

    int done = journal.completeAll(List.of(
        new EventJournal.Completion("r1", f1),
        new EventJournal.Completion("r2", f2 - 1),
        new EventJournal.Completion("nope", 1)));

    assertThat(done).isEqualTo(1);
    assertThat(journal.find("r1").orElseThrow().status()).isEqualTo(Status.DONE);
    assertThat(journal.find("r2").orElseThrow().status()).isEqualTo(Status.PENDING);
    assertThat(journal.find("r3").orElseThrow().status()).isEqualTo(Status.PENDING);
    assertThat(journal.completeAll(List.of())).isZero();
  }

  @Test
  void writesToAnUnknownEntryAreRefused() {
    assertThat(journal.complete("nope", 1)).isFalse();
    assertThat(journal.retryLater("nope", 1, 1, T0, T0, "x")).isFalse();
    assertThat(journal.deadLetter("nope", 1, "x")).isFalse();
    assertThat(journal.replay("nope", T0)).isFalse();
  }

  @Test
  void retryLaterRecordsTheAttemptAndDelaysTheNextClaim() {
    journal.append(entry("r1", "d1", T0));
    JournalEntry c = journal.claim("w", T0, LEASE, 1).get(0);
    Instant next = T0.plusSeconds(10);

    assertThat(journal.retryLater("r1", c.fence(), 1, next, T0.plusSeconds(1), "HTTP 502 from handler")).isTrue();

    JournalEntry waiting = journal.find("r1").orElseThrow();
    assertThat(waiting.status()).isEqualTo(Status.PENDING);
    assertThat(waiting.attempts()).isEqualTo(1);
    assertThat(waiting.nextAttemptAt()).isEqualTo(next);
    assertThat(waiting.lastError()).isEqualTo("HTTP 502 from handler");
    assertThat(journal.claim("w", T0.plusSeconds(9), LEASE, 1)).isEmpty();
    List<JournalEntry> again = journal.claim("w2", next, LEASE, 1);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).attempts()).isEqualTo(1);
    assertThat(again.get(0).fence()).isGreaterThan(c.fence());
  }

  @Test
  void retryLaterKeepsTheLeaseUntilTheGivenInstant() {
    journal.append(entry("r1", "d1", T0));
    JournalEntry c = journal.claim("w", T0, LEASE, 1).get(0);

    journal.retryLater("r1", c.fence(), 1, T0, T0.plusSeconds(5), "busy");

    assertThat(journal.claim("other", T0.plusSeconds(4), LEASE, 1)).isEmpty();
    assertThat(journal.claim("other", T0.plusSeconds(5), LEASE, 1)).hasSize(1);
  }

  @Test
  void holderMayCompleteAfterItsOwnRetryLater() {
    journal.append(entry("r1", "d1", T0));
    JournalEntry c = journal.claim("w", T0, LEASE, 1).get(0);
    journal.retryLater("r1", c.fence(), 1, T0, T0.plusSeconds(5), "busy");

    assertThat(journal.complete("r1", c.fence())).isTrue();
  }

  @Test
  void deadLetterKeepsTheReasonAndIsNeverClaimed() {
    journal.append(entry("r1", "d1", T0));
    journal.append(entry("r2", "d2", T0.plusMillis(1)));
    journal.append(entry("r3", "d3", T0.plusMillis(2)));
    List<JournalEntry> claimed = journal.claim("w", T0.plusSeconds(1), LEASE, 3);

    assertThat(journal.deadLetter("r1", claimed.get(0).fence(), "handler rejected: 400")).isTrue();
    assertThat(journal.deadLetter("r2", claimed.get(1).fence(), "gave up after 8 attempts")).isTrue();
    assertThat(journal.deadLetter("r1", claimed.get(0).fence(), "again")).isFalse();

    List<JournalEntry> dead = journal.deadLetters(10);
    assertThat(dead).extracting(JournalEntry::requestId).containsExactly("r1", "r2");
    assertThat(dead).extracting(JournalEntry::lastError).containsExactly("handler rejected: 400", "gave up after 8 attempts");
    assertThat(dead).allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.DEAD));
    assertThat(journal.deadLetters(1)).extracting(JournalEntry::requestId).containsExactly("r1");
    assertThat(journal.claim("w", T0.plus(Duration.ofDays(1)), LEASE, 10)).extracting(JournalEntry::requestId).containsExactly("r3");
    assertThat(journal.counts()).isEqualTo(new JournalCounts(1, 0, 2));
  }

  @Test
  void historyPagesNewestFirstByRequestIdAcrossStatuses() {
    for (int i = 1; i <= 5; i++) {
      journal.append(entry("r" + i, "d" + i, T0.plusSeconds(i)));
    }
    List<JournalEntry> claimed = journal.claim("w", T0.plusSeconds(10), LEASE, 2);
    journal.complete(claimed.get(0).requestId(), claimed.get(0).fence());
    journal.deadLetter(claimed.get(1).requestId(), claimed.get(1).fence(), "handler rejected: 400");

    HistoryPage first = journal.history(HistoryQuery.latest(2));
    assertThat(first.entries()).extracting(JournalEntry::requestId).containsExactly("r5", "r4");
    assertThat(first.next()).isEqualTo("r4");
    HistoryPage second = journal.history(new HistoryQuery(null, null, null, first.next(), 2));
    assertThat(second.entries()).extracting(JournalEntry::requestId).containsExactly("r3", "r2");
    HistoryPage last = journal.history(new HistoryQuery(null, null, null, second.next(), 2));
    assertThat(last.entries()).extracting(JournalEntry::requestId).containsExactly("r1");
    assertThat(last.next()).isNull();
    assertThat(journal.history(HistoryQuery.latest(10)).next()).isNull();

    JournalEntry r1 = last.entries().get(0);
    assertThat(r1.status()).isEqualTo(Status.DONE);
    assertThat(r1.delivery().body()).isEqualTo(entry("r1", "d1", T0.plusSeconds(1)).delivery().body());
    assertThat(journal.history(new HistoryQuery(null, Status.DEAD, null, null, 10)).entries())
        .singleElement().satisfies(e -> {
          assertThat(e.requestId()).isEqualTo("r2");
          assertThat(e.lastError()).isEqualTo("handler rejected: 400");
        });
    assertThat(journal.history(new HistoryQuery(null, Status.PENDING, null, null, 10)).entries())
        .extracting(JournalEntry::requestId).containsExactly("r5", "r4", "r3");
  }

  @Test
  void historyFiltersByEndpointAndReceivedTime() {
    journal.append(entry("r1", "github", "d1", T0));
    journal.append(entry("r2", "gitlab", "d2", T0.plusSeconds(60)));
    journal.append(entry("r3", "github", "d3", T0.plusSeconds(120)));
    journal.append(entry("r4", "gitlab", "d4", T0.plusSeconds(180)));

    assertThat(journal.history(new HistoryQuery("github", null, null, null, 10)).entries())
        .extracting(JournalEntry::requestId).containsExactly("r3", "r1");
    assertThat(journal.history(new HistoryQuery(null, null, T0.plusSeconds(60), null, 10)).entries())
        .extracting(JournalEntry::requestId).containsExactly("r4", "r3", "r2");
    assertThat(journal.history(new HistoryQuery("gitlab", null, T0.plusSeconds(61), null, 10)).entries())
        .extracting(JournalEntry::requestId).containsExactly("r4");
    assertThat(journal.history(new HistoryQuery("gitlab", null, null, "r4", 10)).entries())
        .extracting(JournalEntry::requestId).containsExactly("r2");
    assertThat(journal.history(new HistoryQuery("bitbucket", null, null, null, 10)).entries()).isEmpty();
  }

  @Test
  void historyLeavesOutPurgedEntries() {
    journal.append(entry("r1", "d1", T0));
    journal.append(entry("r2", "d2", T0.plusSeconds(3600)));
    for (JournalEntry c : journal.claim("w", T0.plusSeconds(7200), LEASE, 10)) {
      journal.complete(c.requestId(), c.fence());
    }
    journal.purgeDone(T0.plusSeconds(60));

    assertThat(journal.history(HistoryQuery.latest(10)).entries()).extracting(JournalEntry::requestId).containsExactly("r2");
  }

  @Test
  void replayPutsADeadLetterBackToPendingDueNowWithAttemptsReset() {
    journal.append(entry("r1", "d1", T0));
    JournalEntry c = journal.claim("w", T0, LEASE, 1).get(0);
    journal.retryLater("r1", c.fence(), 3, T0, T0, "boom");
    JournalEntry c2 = journal.claim("w", T0, LEASE, 1).get(0);
    journal.deadLetter("r1", c2.fence(), "gave up");
    Instant now = T0.plusSeconds(60);

    assertThat(journal.replay("r1", now)).isTrue();

    JournalEntry replayed = journal.find("r1").orElseThrow();
    assertThat(replayed.status()).isEqualTo(Status.PENDING);
    assertThat(replayed.attempts()).isZero();
    assertThat(replayed.nextAttemptAt()).isEqualTo(now);
    assertThat(journal.deadLetters(10)).isEmpty();
    assertThat(journal.complete("r1", c2.fence())).isFalse();
    List<JournalEntry> again = journal.claim("w", now, LEASE, 10);
    assertThat(again).extracting(JournalEntry::requestId).containsExactly("r1");
    assertThat(again.get(0).attempts()).isZero();
    assertThat(journal.complete("r1", again.get(0).fence())).isTrue();
  }

  @Test
  void replayOfADoneEntryDispatchesItAgain() {
    journal.append(entry("r1", "d1", T0));
    journal.complete("r1", journal.claim("w", T0, LEASE, 1).get(0).fence());

    assertThat(journal.replay("r1", T0.plusSeconds(1))).isTrue();

    assertThat(journal.counts()).isEqualTo(new JournalCounts(1, 0, 0));
    assertThat(journal.claim("w", T0.plusSeconds(1), LEASE, 1)).extracting(JournalEntry::requestId).containsExactly("r1");
  }

  @Test
  void purgeDoneRemovesOnlyDoneEntriesReceivedBeforeTheCutoff() {
    journal.append(entry("old-done", "d1", T0));
    journal.append(entry("old-dead", "d2", T0.plusMillis(1)));
    journal.append(entry("old-pending", "d3", T0.plusMillis(2)));
    journal.append(entry("new-done", "d4", T0.plusSeconds(100)));
    for (JournalEntry c : journal.claim("w", T0.plusSeconds(100), LEASE, 10)) {
      switch (c.requestId()) {
        case "old-done", "new-done" -> journal.complete(c.requestId(), c.fence());
        case "old-dead" -> journal.deadLetter(c.requestId(), c.fence(), "bad");
        default -> { }
      }
    }

    int purged = journal.purgeDone(T0.plusSeconds(50));

    assertThat(purged).isEqualTo(1);
    assertThat(journal.find("old-done")).isEmpty();
    assertThat(journal.find("old-dead")).isPresent();
    assertThat(journal.find("old-pending")).isPresent();
    assertThat(journal.find("new-done")).isPresent();
    assertThat(journal.counts()).isEqualTo(new JournalCounts(1, 1, 1));
    assertThat(journal.backlog()).isEqualTo(new EventJournal.Backlog(1, 1));
  }

  @Test
  void concurrentClaimersNeverReceiveTheSameEntry() throws Exception {
    int entries = 200;
    for (int i = 0; i < entries; i++) {
      journal.append(entry("r" + i, "d" + i, T0.plusMillis(i)));
    }
    Instant now = T0.plusSeconds(1);

    List<List<String>> perWorker = runConcurrently(4, w -> {
      List<String> mine = new ArrayList<>();
      List<JournalEntry> batch;
      while (!(batch = journal.claim("worker-" + w, now, LEASE, 7)).isEmpty()) {
        batch.forEach(e -> mine.add(e.requestId()));
      }
      return mine;
    });

    Set<String> seen = new HashSet<>();
    perWorker.forEach(list -> list.forEach(id -> assertThat(seen.add(id)).as("claimed twice: %s", id).isTrue()));
    assertThat(seen).hasSize(entries);
  }

  @Test
  void countsReportEntriesByStatus() {
    assertThat(journal.counts()).isEqualTo(new JournalCounts(0, 0, 0));
    journal.append(entry("r1", "d1", T0));
    journal.append(entry("r2", "d2", T0));
    journal.append(entry("r3", "d3", T0));
    List<JournalEntry> c = journal.claim("w", T0, LEASE, 2);
    journal.complete(c.get(0).requestId(), c.get(0).fence());
    journal.deadLetter(c.get(1).requestId(), c.get(1).fence(), "x");

    assertThat(journal.counts()).isEqualTo(new JournalCounts(1, 1, 1));
  }

  @Test
  void closedJournalIsUnreachableAndRefusesAppends() {
    assertThat(journal.isReachable()).isTrue();
    assertThat(journal.durability()).isNotNull();

    journal.close();

    assertThat(journal.isReachable()).isFalse();
    assertThatThrownBy(() -> journal.append(entry("r1", "d1", T0))).isInstanceOf(JournalUnavailableException.class);
  }
}
