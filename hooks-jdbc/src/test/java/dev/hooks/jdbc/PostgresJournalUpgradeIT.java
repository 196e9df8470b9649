package dev.hooks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.jdbc.internal.JournalBodyCompression;
import dev.hooks.journal.AppendResult;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.JournalCounts;
import dev.hooks.journal.JournalEntry;
import dev.hooks.journal.JournalEntry.Status;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL journal written with schema version 5 (one updated row per entry, the body
 * apart) keeps working after the upgrade to the insert-only layout: pending entries are claimed
 * under their old fences, done ones still dedupe and purge, dead letters keep their reason.
 */
class PostgresJournalUpgradeIT {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void entriesStoredWithVersion5KeepWorkingAfterTheUpgrade() throws Exception {
    String database = "hooks_upgrade_" + System.nanoTime();
    try (Connection admin = TestPostgres.server().getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    String url = TestPostgres.server().getJdbcUrl("postgres", database);
    Flyway.configure()
        .dataSource(url, "postgres", "")
        .locations("classpath:db/migration/hooks")
        .javaMigrations(new JournalBodyCompression())
        .table("hooks_schema_history")
        .target("5")
        .load()
        .migrate();
    long t0 = T0.toEpochMilli() * 1000;
    try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
      for (String[] row : List.of(
          new String[] {"r1", "d1", "PENDING", "0", "w-old", "1", ""},
          new String[] {"r2", "d2", "DONE", "1", "", "3", ""},
          new String[] {"r3", "d3", "DEAD", "5", "", "7", "HTTP 500 five times"})) {
        st.execute("INSERT INTO hooks_journal (request_id, endpoint_id, delivery_id, received_at_us, method, url, status, attempts, "
            + "next_attempt_us, lease_owner, lease_until_us, fence, last_error) VALUES ('" + row[0] + "', 'github', '" + row[1]
            + "', " + t0 + ", 'POST', 'https://hooks.example.com/hooks/github', '" + row[2] + "', " + row[3] + ", " + t0
            + ", '" + row[4] + "', 0, " + row[5] + ", '" + row[6] + "')");
        st.execute("INSERT INTO hooks_journal_body (request_id, headers_json, body) VALUES ('" + row[0]
            + "', '{\"x-github-event\":[\"push\"]}', '\\x7b7d'::bytea)");
        st.execute("INSERT INTO hooks_dedupe VALUES ('github', '" + row[1] + "', '" + row[0] + "', 9999999999999999)");
      }
    }

    try (JdbcJournals db = JdbcJournals.builder().url(url).user("postgres").password("").purgeInterval(Duration.ZERO).build()) {
      EventJournal journal = db.eventJournal();
      assertThat(journal.counts()).isEqualTo(new JournalCounts(1, 1, 1));

      JournalEntry pending = journal.find("r1").orElseThrow();
      assertThat(pending.status()).isEqualTo(Status.PENDING);
      assertThat(pending.delivery().body()).containsExactly('{', '}');
      assertThat(pending.delivery().headers().first("X-GitHub-Event")).contains("push");
      assertThat(journal.find("r2").orElseThrow().status()).isEqualTo(Status.DONE);
      assertThat(journal.deadLetters(10)).singleElement().satisfies(dead -> {
        assertThat(dead.requestId()).isEqualTo("r3");
        assertThat(dead.lastError()).isEqualTo("HTTP 500 five times");
        assertThat(dead.attempts()).isEqualTo(5);
      });

      List<JournalEntry> claimed = journal.claim("w-new", T0.plusSeconds(1), Duration.ofMinutes(1), 10);
      assertThat(claimed).extracting(JournalEntry::requestId).containsExactly("r1");
      assertThat(claimed.get(0).fence()).isEqualTo(2);
      assertThat(journal.complete("r1", 1)).as("the fence before the upgrade's claim").isFalse();
      assertThat(journal.complete("r1", 2)).isTrue();

      assertThat(journal.append(entry("r4", "d2"))).isEqualTo(AppendResult.duplicateOf("r2"));
      assertThat(journal.replay("r3", T0.plusSeconds(2))).isTrue();
      JournalEntry replayed = journal.claim("w-new", T0.plusSeconds(3), Duration.ofMinutes(1), 10).get(0);
      assertThat(replayed.requestId()).isEqualTo("r3");
      assertThat(replayed.fence()).as("above every fence the entry had").isEqualTo(9);

      assertThat(journal.purgeDone(T0.plusSeconds(1))).isEqualTo(2);
      assertThat(journal.find("r2")).isEmpty();
      assertThat(journal.counts()).isEqualTo(new JournalCounts(1, 0, 0));
    }
    try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename IN ('hooks_journal', 'hooks_journal_body')")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the version 5 tables are gone").isZero();
    }
  }

  private static JournalEntry entry(String requestId, String deliveryId) {
    Delivery d = Delivery.builder("github")
        .url("https://hooks.example.com/hooks/github")
        .headers(Headers.of(Map.of("X-GitHub-Delivery", deliveryId)))
        .body("{}".getBytes(StandardCharsets.UTF_8))
        .receivedAt(T0.plusSeconds(1))
        .build();
    return JournalEntry.accepted(requestId, deliveryId, d, "ingress", T0.plusSeconds(1));
  }
}
