package dev.hooks.jdbc;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.journal.AppendResult;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.JournalCounts;
import dev.hooks.journal.JournalEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three replicas, each with its own connection pool, share one PostgreSQL: every delivery is
 * handled once and completed once, and the leased work of a replica killed in the middle is
 * taken over when its lease ends. Each replica runs two workers: claim, handle (idempotent by
 * request id), complete. Time is a test clock, moved past the lease by the test.
 */
class PostgresReplicasIT {
  private static final int DELIVERIES = 10_000;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(T0);
  private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
  private final Map<String, String> effects = new ConcurrentHashMap<>();
  private final AtomicInteger completions = new AtomicInteger();
  private final Set<String> abandoned = ConcurrentHashMap.newKeySet();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicBoolean killC = new AtomicBoolean();
  private final AtomicInteger completedByC = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();
  private final List<JdbcJournals> replicas = new ArrayList<>();

  @AfterEach
  void stopEverything() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(10_000);
    }
    replicas.forEach(JdbcJournals::close);
  }

  @Test
  void threeReplicasHandleEveryDeliveryOnceAndTakeOverTheLeasesOfAKilledOne() throws Exception {
    for (int i = 0; i < 3; i++) {
      replicas.add(TestPostgres.replica().maxPoolSize(5).clock(clock).build());
    }
    TestPostgres.truncate();
    String[] names = {"replica-a", "replica-b", "replica-c"};

    // Ingest on all three replicas at once, then dispatch; every tenth delivery is also redelivered to the next replica.
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger duplicates = new AtomicInteger();
    List<Thread> ingest = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      int replica = r;
      ingest.add(start("ingest-" + r, () -> {
        for (int i = replica; i < DELIVERIES; i += 3) {
          count(replicas.get(replica).eventJournal().append(entry("req-" + i, "delivery-" + i)), accepted, duplicates);
          if (i % 10 == 0) {
            int next = (replica + 1) % 3;
            count(replicas.get(next).eventJournal().append(entry("req-" + i + "-again", "delivery-" + i)), accepted, duplicates);
          }
        }
      }));
    }
    for (Thread t : ingest) {
      t.join(120_000);
    }
    assertThat(failures).isEmpty();
    assertThat(accepted.get()).isEqualTo(DELIVERIES);
    assertThat(duplicates.get()).isEqualTo(DELIVERIES / 10);

    for (int r = 0; r < 3; r++) {
      for (int w = 0; w < 2; w++) {
        int replica = r;
        start(names[r] + "-worker-" + w, () -> work(names[replica], replicas.get(replica).eventJournal(), replica == 2));
      }
    }

    // Kill replica C in the middle: its workers take one more batch each and vanish with it.
    await().atMost(Duration.ofSeconds(120)).until(() -> completedByC.get() >= 500);
    killC.set(true);
    EventJournal survivor = replicas.get(0).eventJournal();
    await().atMost(Duration.ofSeconds(300)).until(() -> survivor.counts().pending() == abandoned.size() && workersOfCGone());
    replicas.get(2).close();

    assertThat(abandoned).isNotEmpty();
    assertThat(survivor.counts().done()).isLessThan(DELIVERIES);
    assertThat(abandoned).allSatisfy(id -> assertThat(invocations).doesNotContainKey(id));

    // Until the lease ends nobody else takes C's entries; after it, A and B do.
    clock.advance(LEASE);
    await().atMost(Duration.ofSeconds(120)).until(() -> survivor.counts().equals(new JournalCounts(0, DELIVERIES, 0)));

    assertThat(failures).isEmpty();
    assertThat(effects).hasSize(DELIVERIES);
    assertThat(invocations).hasSize(DELIVERIES);
    assertThat(invocations.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(completions.get()).isEqualTo(DELIVERIES);
    for (String id : abandoned) {
      assertThat(effects.get(id)).isIn("replica-a", "replica-b");
      JournalEntry done = survivor.find(id).orElseThrow();
      assertThat(done.status()).isEqualTo(JournalEntry.Status.DONE);
      assertThat(done.fence()).isGreaterThanOrEqualTo(3);
    }
  }

  private void work(String name, EventJournal journal, boolean isC) {
    while (!stop.get()) {
      if (isC && killC.get()) {
        journal.claim(name, clock.instant(), LEASE, 25).forEach(e -> abandoned.add(e.requestId()));
        cGone.incrementAndGet();
        return;
      }
      List<JournalEntry> batch = journal.claim(name, clock.instant(), LEASE, 25);
      if (batch.isEmpty()) {
        LockSupport.parkNanos(2_000_000);
        continue;
      }
      for (JournalEntry e : batch) {
        handle(name, e);
        if (journal.complete(e.requestId(), e.fence())) {
          completions.incrementAndGet();
          if (isC) {
            completedByC.incrementAndGet();
          }
        }
      }
    }
  }

  private final AtomicInteger cGone = new AtomicInteger();

  private boolean workersOfCGone() {
    return cGone.get() == 2;
  }

  /** The handler: counts calls, and applies its effect once per request id. */
  private void handle(String replica, JournalEntry e) {
    invocations.computeIfAbsent(e.requestId(), k -> new AtomicInteger()).incrementAndGet();
    effects.putIfAbsent(e.requestId(), replica);
  }

  private static void count(AppendResult r, AtomicInteger accepted, AtomicInteger duplicates) {
    (r.duplicate() ? duplicates : accepted).incrementAndGet();
  }

  private JournalEntry entry(String requestId, String deliveryId) {
    Delivery d = Delivery.builder("github")
        .url("https://hooks.example.com/hooks/github")
        .headers(Headers.of(Map.of("X-GitHub-Delivery", deliveryId, "X-GitHub-Event", "push")))
        .body(("{\"ref\":\"refs/heads/main\",\"delivery\":\"" + deliveryId + "\"}").getBytes(StandardCharsets.UTF_8))
        .receivedAt(clock.instant())
        .build();
    return JournalEntry.accepted(requestId, deliveryId, d, "ingress", clock.instant());
  }

  private Thread start(String name, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        failures.add(e);
      }
    }, name);
    threads.add(t);
    t.start();
    return t;
  }
}
