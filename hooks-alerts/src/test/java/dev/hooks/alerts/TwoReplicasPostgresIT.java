package dev.hooks.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two routers, each with its own store and pool on one real PostgreSQL (io.zonky.test embedded
 * binaries), take the same alert at once from many threads: one ticket, every other alert a note.
 */
class TwoReplicasPostgresIT {
  private static EmbeddedPostgres pg;
  private static ConnectWiseServer cw;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
    cw = ConnectWiseServer.standard();
  }

  @AfterAll
  static void stop() throws Exception {
    cw.close();
    pg.close();
  }

  private static AlertRouter replica() {
    ConnectWiseSink sink = ConnectWiseSink.builder("cw", cw.url()).credentials("acme", "pub", "priv", "client-1").board("Alerts")
        .statuses("New", "Closed").build();
    return AlertRouter.builder().endpoint(Payloads.kumaRecipe("kuma").build()).sink(sink)
        .store(new JdbcIncidentStore(pg.getPostgresDatabase())).build();
  }

  @Test
  void concurrentOpensOfOneFingerprintOnTwoReplicasFileOneTicket() throws Exception {
    List<AlertRouter> replicas = List.of(replica(), replica());
    int n = 16;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<HistoryEntry>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AlertRouter r = replicas.get(i % 2);
      String requestId = "r" + i;
      results.add(pool.submit(() -> {
        go.await();
        return r.process("kuma", requestId, Payloads.json("uptime-kuma/down-timeout.json")).get(0);
      }));
    }
    go.countDown();
    List<Outcome> outcomes = new ArrayList<>();
    for (Future<HistoryEntry> f : results) {
      outcomes.add(f.get(60, TimeUnit.SECONDS).outcome());
    }
    pool.shutdown();

    assertThat(cw.tickets()).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o == Outcome.CREATED).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o == Outcome.UPDATED).hasSize(n - 1);
    assertThat(cw.tickets().get(0).notes).hasSize(n - 1);
    assertThat(replicas.get(0).store().list()).singleElement().extracting(Incident::updates).isEqualTo(n - 1);
  }
}
