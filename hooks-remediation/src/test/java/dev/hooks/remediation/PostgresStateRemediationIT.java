package dev.hooks.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.jdbc.JdbcJournals;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas, each with its own connection pool ({@link JdbcJournals}) on one real PostgreSQL
 * (io.zonky.test embedded binaries), racing one threshold crossing per service: the ladder runs
 * exactly once per crossing, whichever replica wins.
 */
class PostgresStateRemediationIT {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  private static JdbcJournals replica() {
    return JdbcJournals.builder().url(postgres.getJdbcUrl("postgres", "postgres")).user("postgres").password("").build();
  }

  @Test
  void twoReplicasRacingOneThresholdCrossingRunTheLadderOnce() throws Exception {
    try (JdbcJournals replicaA = replica(); JdbcJournals replicaB = replica()) {
      ThresholdRace race = new ThresholdRace(replicaA.stateStore(), replicaB.stateStore());

      race.race("distinct", 30, false);
      race.race("same", 30, true);

      assertThat(race.runs).hasSize(60);
      assertThat(race.runs.stream().map(r -> r.substring(0, r.indexOf(" by "))).distinct()).hasSize(60);
      for (var round : race.outcomes) {
        assertThat(round).containsOnlyOnce(FailureTracker.Outcome.REMEDIATED);
      }
    }
  }
}
