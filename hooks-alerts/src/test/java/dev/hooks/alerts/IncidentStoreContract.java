package dev.hooks.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link IncidentStore} passes: a change sees the current state and stores
 * what it returns; a change that throws stores nothing; changes of one fingerprint never overlap,
 * also from two store instances on one database ({@link #second()}).
 */
public abstract class IncidentStoreContract {

  /** The store under test. */
  protected abstract IncidentStore store();

  /** Another instance sharing the first's data (another process on the same database), or the same instance. */
  protected abstract IncidentStore second();

  private static Incident open(String fp, String ticket, String key) {
    return new Incident(fp, "cw", ticket, true, Instant.parse("2026-03-10T12:00:00Z"), null, 0, key);
  }

  @Test
  void aChangeSeesTheCurrentStateAndStoresItsResult() throws Exception {
    IncidentStore s = store();
    List<Optional<Incident>> seen = new ArrayList<>();
    s.update("fp-1", current -> {
      seen.add(current);
      return Optional.of(open("fp-1", "1001", "r1#0"));
    });
    s.update("fp-1", current -> {
      seen.add(current);
      return Optional.of(new Incident("fp-1", "cw", "1001", false, current.get().openedAt(), Instant.parse("2026-03-10T12:05:00Z"), 2, "r2#0"));
    });
    assertThat(seen.get(0)).isEmpty();
    assertThat(seen.get(1)).contains(open("fp-1", "1001", "r1#0"));
    Incident stored = second().find("fp-1").orElseThrow();
    assertThat(stored.open()).isFalse();
    assertThat(stored.closedAt()).isEqualTo(Instant.parse("2026-03-10T12:05:00Z"));
    assertThat(stored.updates()).isEqualTo(2);
    assertThat(stored.lastKey()).isEqualTo("r2#0");
  }

  @Test
  void anEmptyResultLeavesTheStateAsItIs() throws Exception {
    store().update("fp-2", current -> Optional.of(open("fp-2", "1002", "r1#0")));
    store().update("fp-2", current -> Optional.empty());
    assertThat(store().find("fp-2")).contains(open("fp-2", "1002", "r1#0"));
  }

  @Test
  void aChangeThatThrowsStoresNothing() {
    assertThatThrownBy(() -> store().update("fp-3", current -> {
      throw new SinkException("ConnectWise create ticket answered 500", true);
    })).isInstanceOf(SinkException.class);
    assertThat(store().find("fp-3")).isEmpty();
    assertThat(store().list()).extracting(Incident::fingerprint).doesNotContain("fp-3");
  }

  @Test
  void findOpenByTicketNamesTheOpenHolder() throws Exception {
    store().update("fp-4", current -> Optional.of(open("fp-4", "1004", "r1#0")));
    assertThat(second().findOpenByTicket("cw", "1004")).get().extracting(Incident::fingerprint).isEqualTo("fp-4");
    assertThat(second().findOpenByTicket("cw", "9999")).isEmpty();
    assertThat(second().findOpenByTicket("pd", "1004")).isEmpty();
  }

  @Test
  void changesOfOneFingerprintNeverOverlapAcrossInstances() throws Exception {
    int n = 12;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      IncidentStore s = i % 2 == 0 ? store() : second();
      done.add(pool.submit(() -> {
        go.await();
        s.update("fp-5", current -> {
          maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
          Thread.sleep(20);
          inside.decrementAndGet();
          Incident base = current.orElse(open("fp-5", "1005", "start"));
          return Optional.of(new Incident("fp-5", "cw", "1005", true, base.openedAt(), null, current.isPresent() ? base.updates() + 1 : 0, "k"));
        });
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(maxInside.get()).isEqualTo(1);
    assertThat(store().find("fp-5").orElseThrow().updates()).isEqualTo(n - 1);
  }
}
