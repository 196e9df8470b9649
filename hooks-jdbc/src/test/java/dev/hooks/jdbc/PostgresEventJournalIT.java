package dev.hooks.jdbc;

import static dev.hooks.testing.Concurrently.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.EventJournalContract;
import dev.hooks.journal.JournalEntry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The EventJournal contract against a real PostgreSQL, plus what only several replicas show. */
class PostgresEventJournalIT extends EventJournalContract {
  private JdbcJournals other;

  @Override
  protected EventJournal newJournal() {
    JdbcJournals db = TestPostgres.replica().build();
    TestPostgres.truncate();
    return db.eventJournal();
  }

  @Test
  void isNotEmbedded() {
    try (JdbcJournals db = TestPostgres.replica().build()) {
      assertThat(db.isEmbedded()).isFalse();
    }
  }

  @Test
  void concurrentAppendsOfOneDeliveryOnTwoReplicasAcceptExactlyOne() throws Exception {
    other = TestPostgres.replica().build();
    try {
      EventJournal second = other.eventJournal();
      for (int round = 0; round < 20; round++) {
        String deliveryId = "d" + round;
        int roundNo = round;
        List<dev.hooks.journal.AppendResult> results = runConcurrently(8, i ->
            (i % 2 == 0 ? journal : second).append(entry("r" + roundNo + "-" + i, deliveryId, T0)));

        assertThat(results.stream().filter(r -> !r.duplicate()).count()).isEqualTo(1);
        assertThat(results.stream().map(dev.hooks.journal.AppendResult::requestId).distinct().count()).isEqualTo(1);
      }
      assertThat(journal.counts().pending()).isEqualTo(20);
    } finally {
      other.close();
    }
  }

  @Test
  void claimersOnTwoReplicasSplitTheWorkWithoutSharingAnEntry() throws Exception {
    other = TestPostgres.replica().build();
    try {
      EventJournal second = other.eventJournal();
      for (int i = 0; i < 300; i++) {
        journal.append(entry("r" + i, "d" + i, T0.plusMillis(i)));
      }

      List<List<String>> perWorker = runConcurrently(6, w -> {
        EventJournal mine = w % 2 == 0 ? journal : second;
        List<String> ids = new java.util.ArrayList<>();
        List<JournalEntry> batch;
        while (!(batch = mine.claim("replica-" + w, T0.plusSeconds(1), Duration.ofMinutes(1), 5)).isEmpty()) {
          batch.forEach(e -> ids.add(e.requestId()));
        }
        return ids;
      });

      Set<String> seen = new HashSet<>();
      perWorker.forEach(ids -> ids.forEach(id -> assertThat(seen.add(id)).as("claimed twice: %s", id).isTrue()));
      assertThat(seen).hasSize(300);
    } finally {
      other.close();
    }
  }

  @Test
  void bodiesAreCompressedWithLz4WhenTheServerHasIt() throws Exception {
    byte[] body = ("{\"commits\":[" + "{\"message\":\"update README\",\"added\":[],\"removed\":[]},".repeat(200) + "{}]}")
        .getBytes(StandardCharsets.UTF_8);
    JournalEntry e = entry("r-big", "d-big", T0);
    journal.append(JournalEntry.accepted(e.requestId(), e.deliveryId(), e.delivery().toBuilder().body(body).build(), "me", T0));

    try (Connection c = TestPostgres.server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      ResultSet lz4 = s.executeQuery(
          "SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)");
      lz4.next();
      String expected = lz4.getInt(1) == 1 ? "lz4" : "pglz";
      ResultSet stored = s.executeQuery("SELECT pg_column_compression(body), body FROM hooks_journal_entry WHERE request_id = 'r-big'");
      assertThat(stored.next()).isTrue();
      assertThat(stored.getString(1)).isEqualTo(expected);
      assertThat(stored.getBytes(2)).isEqualTo(body);
    }
  }

  @Test
  void aJournalOnAnApplicationsDataSourceWritesAppendsAndCompletionsInItsOwnTransactions() throws Exception {
    for (Durability level : List.of(Durability.OS, Durability.SYNC)) {
      TestPostgres.truncate();
      try (JdbcJournals db = JdbcJournals.builder().dataSource(TestPostgres.server().getPostgresDatabase())
          .durability(level).purgeInterval(Duration.ZERO).build()) {
        EventJournal onDataSource = db.eventJournal();
        assertThat(onDataSource.append(entry("a1", "d1", T0)).duplicate()).isFalse();
        assertThat(onDataSource.append(entry("a2", "d1", T0)).requestId()).isEqualTo("a1");
        long fence = onDataSource.find("a1").orElseThrow().fence();

        assertThat(onDataSource.completeAll(List.of(new EventJournal.Completion("a1", fence)))).isEqualTo(1);
        assertThat(onDataSource.completeAll(List.of(new EventJournal.Completion("a1", fence)))).isZero();
        assertThat(onDataSource.find("a1").orElseThrow().status()).as("%s", level).isEqualTo(JournalEntry.Status.DONE);
      }
    }
  }
}
