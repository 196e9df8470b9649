package dev.hooks.alerts;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History, replay and daily counts in an H2 file, read back by a re-created history. */
class JdbcAlertHistoryTest {
  @TempDir
  Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T23:59:00Z"));

  private JdbcDataSource ds() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dir.resolve("alerts").toAbsolutePath());
    return ds;
  }

  private AlertRouter router(RecordingSink sink, Maintenance m) {
    return AlertRouter.builder().endpoint(Payloads.kumaRecipe("kuma").build()).sink(sink).maintenance(m)
        .store(new JdbcIncidentStore(ds())).history(new JdbcAlertHistory(ds())).clock(clock).build();
  }

  @Test
  void historyStatsAndReplayOutliveTheProcess() {
    Maintenance m = new Maintenance();
    m.global(true);
    RecordingSink sink = new RecordingSink("cw");
    ObjectNode down = Payloads.json("uptime-kuma/down-timeout.json");
    ((ObjectNode) down.get("monitor")).put("basic_auth_pass", "hunter2");
    router(sink, m).process("kuma", "r1", down);
    clock.advance(Duration.ofMinutes(2)); // the next UTC day
    m.global(false);
    router(sink, m).process("kuma", "r2", Payloads.json("uptime-kuma/down-timeout.json"));

    JdbcAlertHistory again = new JdbcAlertHistory(ds());
    assertThat(again.recent(10)).extracting(HistoryEntry::requestId).containsExactly("r2", "r1");
    assertThat(again.ofRequest("r1")).singleElement().satisfies(h -> {
      assertThat(h.outcome()).isEqualTo(Outcome.SKIPPED);
      assertThat(h.reason()).isEqualTo("suppressed by global maintenance");
      assertThat(h.payload()).doesNotContain("hunter2");
      assertThat(h.matchedRules()).isEmpty();
    });
    assertThat(again.stats()).containsOnlyKeys("2026-03-10", "2026-03-11");
    assertThat(again.stats().get("2026-03-10")).containsEntry("received", 1L).containsEntry("skipped", 1L).containsEntry("created", 0L);
    assertThat(again.stats().get("2026-03-11")).containsEntry("received", 1L).containsEntry("created", 1L);
    assertThat(again.stored("r1")).get().satisfies(s -> assertThat(s.payload().toString()).doesNotContain("hunter2"));

    // replay after the "restart": the skipped down becomes a repeat of the incident r2 opened
    HistoryEntry replayed = router(sink, m).replay("r1").orElseThrow().get(0);
    assertThat(replayed.outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(sink.effects).hasSize(2);

    again.purge(Instant.parse("2026-03-11T00:00:00Z"));
    assertThat(again.stats()).containsOnlyKeys("2026-03-11");
    assertThat(again.stored("r1")).isEmpty();
  }
}
