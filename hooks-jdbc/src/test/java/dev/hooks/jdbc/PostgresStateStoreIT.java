package dev.hooks.jdbc;

import static dev.hooks.testing.Concurrently.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.state.StateStore;
import dev.hooks.state.StateStoreContract;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The StateStore contract against a real PostgreSQL, and two replicas racing on one key. */
class PostgresStateStoreIT extends StateStoreContract {
  private JdbcJournals db;

  @Override
  protected StateStore newStore() {
    db = TestPostgres.replica().build();
    TestPostgres.truncate();
    return db.stateStore();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void twoReplicasRacingToMoveOneServiceStateExactlyOneWins() throws Exception {
    try (JdbcJournals replicaA = TestPostgres.replica().build(); JdbcJournals replicaB = TestPostgres.replica().build()) {
      StateStore a = replicaA.stateStore();
      StateStore b = replicaB.stateStore();
      for (int round = 0; round < 50; round++) {
        String key = "remediation/api-" + round;
        a.compareAndSet(key, 0, "{\"state\":\"unhealthy\",\"failures\":3}");

        // Both replicas saw version 1 and both decide to restart the service.
        List<OptionalLong> results = runConcurrently(2, i -> (i == 0 ? a : b)
            .compareAndSet(key, 1, "{\"state\":\"restarting\",\"by\":\"replica-" + i + "\"}"));

        assertThat(results.stream().filter(OptionalLong::isPresent).count()).as("winners in round %d", round).isEqualTo(1);
        assertThat(a.get(key).orElseThrow().version()).isEqualTo(2);
        assertThat(b.get(key).orElseThrow().value()).contains("restarting");
      }
    }
  }

  @Test
  void twoReplicasRacingToCreateOneLockExactlyOneWins() throws Exception {
    try (JdbcJournals replicaA = TestPostgres.replica().build(); JdbcJournals replicaB = TestPostgres.replica().build()) {
      StateStore a = replicaA.stateStore();
      StateStore b = replicaB.stateStore();
      for (int round = 0; round < 50; round++) {
        String key = "deploy-lock/web-" + round;

        List<OptionalLong> results = runConcurrently(2, i -> (i == 0 ? a : b).compareAndSet(key, 0, "replica-" + i));

        assertThat(results.stream().filter(OptionalLong::isPresent).count()).as("winners in round %d", round).isEqualTo(1);
      }
    }
  }
}
