package dev.hooks.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.jdbc.JdbcJournals;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two trackers over one H2 file {@code JdbcStateStore} (H2 serves one process, so the two
 * trackers share its store, as two dispatcher threads and the Docker events source of one
 * server do) racing one threshold crossing: the ladder runs once per crossing.
 */
class JdbcStateRemediationTest {
  @TempDir Path dir;

  @Test
  void twoTrackersRacingOneThresholdCrossingOnAnH2StoreRunTheLadderOnce() throws Exception {
    try (JdbcJournals db = JdbcJournals.builder().url("jdbc:h2:file:" + dir.resolve("hooks")).build()) {
      ThresholdRace race = new ThresholdRace(db.stateStore(), db.stateStore());

      race.race("distinct", 20, false);
      race.race("same", 20, true);

      assertThat(race.runs).hasSize(40);
      assertThat(race.runs.stream().map(r -> r.substring(0, r.indexOf(" by "))).distinct()).hasSize(40);
      for (var round : race.outcomes) {
        assertThat(round).containsOnlyOnce(FailureTracker.Outcome.REMEDIATED);
      }
    }
  }

  @Test
  void thePhaseAndTimersAreReadBackByANewTrackerOverTheSameFile() throws Exception {
    try (JdbcJournals db = JdbcJournals.builder().url("jdbc:h2:file:" + dir.resolve("hooks")).build()) {
      ThresholdRace first = new ThresholdRace(db.stateStore(), db.stateStore());
      first.race("shop", 1, false);
    }
    try (JdbcJournals db = JdbcJournals.builder().url("jdbc:h2:file:" + dir.resolve("hooks")).build()) {
      ServiceStatus status = FailureTracker.builder(db.stateStore(), RemediationLadder.builder().verify(s -> true).build())
          .build().status(ServiceKey.of("shop-0", "web")).orElseThrow();

      assertThat(status.phase()).isEqualTo(ServicePhase.COOLDOWN);
      assertThat(status.incident()).isEqualTo(1);
      assertThat(status.verifyDueAt()).isNotNull();
    }
  }
}
