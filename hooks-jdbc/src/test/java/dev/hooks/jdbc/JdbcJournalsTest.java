package dev.hooks.jdbc;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hooks.HooksException;
import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.journal.AppendResult;
import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.JournalEntry;
import dev.hooks.journal.JournalUnavailableException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hooks-jdbc on an H2 file: what the EventJournal contract does not cover. */
class JdbcJournalsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(T0);

  private JdbcJournals.Builder h2() {
    return JdbcJournals.builder().url("jdbc:h2:file:" + dir.resolve("hooks")).clock(clock).purgeInterval(Duration.ZERO);
  }

  private static JournalEntry entry(String requestId, String endpoint, String deliveryId, Instant receivedAt, byte[] body) {
    Delivery d = Delivery.builder(endpoint)
        .url("https://hooks.example.com/hooks/" + endpoint)
        .headers(Headers.of(java.util.Map.of("X-GitHub-Delivery", deliveryId, "X-Hub-Signature-256", "****")))
        .body(body)
        .receivedAt(receivedAt)
        .build();
    return JournalEntry.accepted(requestId, deliveryId, d, "ingress", receivedAt);
  }

  private static JournalEntry entry(String requestId, String endpoint, String deliveryId, Instant receivedAt) {
    return entry(requestId, endpoint, deliveryId, receivedAt, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void completeAll(EventJournal journal, Instant now) {
    for (JournalEntry e : journal.claim("w", now, Duration.ofMinutes(1), 100)) {
      assertThat(journal.complete(e.requestId(), e.fence())).isTrue();
    }
  }

  @Test
  void entriesSurviveClosingAndReopeningTheDatabaseFile() {
    try (JdbcJournals db = h2().build()) {
      db.eventJournal().append(entry("r1", "github", "d1", T0));
    }

    try (JdbcJournals db = h2().build()) {
      assertThat(db.eventJournal().find("r1")).isPresent();
      assertThat(db.eventJournal().append(entry("r2", "github", "d1", T0))).isEqualTo(AppendResult.duplicateOf("r1"));
      assertThat(db.isEmbedded()).isTrue();
    }
  }

  @Test
  void redeliveryAfterTheEntryWasPurgedIsStillADuplicateWithinTheDedupeTtl() {
    try (JdbcJournals db = h2().dedupeTtl(Duration.ofDays(7)).build()) {
      EventJournal journal = db.eventJournal();
      journal.append(entry("r1", "github", "d1", T0));
      completeAll(journal, T0);
      clock.advance(Duration.ofDays(2));

      assertThat(journal.purgeDone(clock.instant().minus(Duration.ofDays(1)))).isEqualTo(1);

      assertThat(journal.find("r1")).isEmpty();
      assertThat(journal.append(entry("r2", "github", "d1", clock.instant()))).isEqualTo(AppendResult.duplicateOf("r1"));
    }
  }

  @Test
  void deliveryIdIsNewAgainOnceItsEndpointsTtlEndedAndTheEntryWasPurged() {
    try (JdbcJournals db = h2().dedupeTtl(Duration.ofDays(30)).dedupeTtl("uptime-kuma", Duration.ofHours(1)).build()) {
      EventJournal journal = db.eventJournal();
      journal.append(entry("short-1", "uptime-kuma", "d1", T0));
      journal.append(entry("long-1", "github", "d1", T0));
      completeAll(journal, T0);
      clock.advance(Duration.ofHours(2));

      assertThat(journal.purgeDone(clock.instant())).isEqualTo(2);

      assertThat(journal.append(entry("short-2", "uptime-kuma", "d1", clock.instant()))).isEqualTo(AppendResult.appended("short-2"));
      assertThat(journal.append(entry("long-2", "github", "d1", clock.instant()))).isEqualTo(AppendResult.duplicateOf("long-1"));
    }
  }

  @Test
  void dedupeKeyOfAnEntryStillStoredOutlivesItsTtl() {
    try (JdbcJournals db = h2().dedupeTtl(Duration.ofHours(1)).build()) {
      EventJournal journal = db.eventJournal();
      journal.append(entry("r1", "github", "d1", T0));
      clock.advance(Duration.ofHours(2));

      journal.purgeDone(clock.instant());

      assertThat(journal.append(entry("r2", "github", "d1", clock.instant()))).isEqualTo(AppendResult.duplicateOf("r1"));
    }
  }

  @Test
  void entryStoredWithTheFirstSchemaKeepsItsHeadersAndBodyAfterTheUpgrade() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("hooks");
    org.flywaydb.core.Flyway.configure()
        .dataSource(url, "sa", "")
        .locations("classpath:db/migration/hooks")
        .table("hooks_schema_history")
        .target("1")
        .load()
        .migrate();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
        java.sql.Statement st = c.createStatement()) {
      st.execute("INSERT INTO hooks_journal VALUES ('r1', 'github', 'd1', 0, 'POST', 'https://x/hooks/github', "
          + "'{\"x-github-event\":[\"push\"]}', X'7b7d', 'PENDING', 0, 0, 'ingress', 0, 1, '')");
      st.execute("INSERT INTO hooks_dedupe VALUES ('github', 'd1', 'r1', 9999999999999999)");
    }

    try (JdbcJournals db = h2().build()) {
      JournalEntry e = db.eventJournal().find("r1").orElseThrow();
      assertThat(e.delivery().body()).containsExactly('{', '}');
      assertThat(e.delivery().headers().first("X-GitHub-Event")).contains("push");
      assertThat(db.eventJournal().claim("w", T0, Duration.ofMinutes(1), 10)).extracting(JournalEntry::requestId).containsExactly("r1");
    }
  }

  @Test
  void largeBodiesAreStoredByteForByte() {
    byte[] body = new byte[3 * 1024 * 1024];
    new Random(42).nextBytes(body);
    try (JdbcJournals db = h2().build()) {
      db.eventJournal().append(entry("r1", "github", "d1", T0, body));

      assertThat(db.eventJournal().find("r1").orElseThrow().delivery().body()).isEqualTo(body);
    }
  }

  @Test
  void syncDurabilityStoresEachBatchAndSaysSo() {
    try (JdbcJournals db = h2().durability(Durability.SYNC).build()) {
      EventJournal journal = db.eventJournal();

      assertThat(journal.append(entry("r1", "github", "d1", T0)).duplicate()).isFalse();

      assertThat(journal.durability()).isEqualTo(Durability.SYNC);
      assertThat(journal.find("r1")).isPresent();
    }
  }

  @Test
  void defaultDurabilityIsOs() {
    try (JdbcJournals db = h2().build()) {
      assertThat(db.eventJournal().durability()).isEqualTo(Durability.OS);
    }
  }

  @Test
  void appendThrowsJournalUnavailableWhenTheDatabaseIsGone() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("hooks"));
    config.setUsername("sa");
    config.setConnectionTimeout(500);
    HikariDataSource pool = new HikariDataSource(config);
    try (JdbcJournals db = JdbcJournals.builder().dataSource(pool).purgeInterval(Duration.ZERO).build()) {
      EventJournal journal = db.eventJournal();
      journal.append(entry("r1", "github", "d1", T0));

      pool.close();

      assertThatThrownBy(() -> journal.append(entry("r2", "github", "d2", T0)))
          .isInstanceOf(JournalUnavailableException.class)
          .hasMessageContaining("journal write failed");
      assertThatThrownBy(() -> journal.claim("w", T0, Duration.ofMinutes(1), 10)).isInstanceOf(JournalUnavailableException.class);
      assertThat(journal.isReachable()).isFalse();
    }
  }

  @Test
  void appendThrowsJournalUnavailableWhileTheWriteQueueStaysFull() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("hooks"));
    config.setUsername("sa");
    GatedDataSource gate = new GatedDataSource(new HikariDataSource(config));
    try (JdbcJournals db = JdbcJournals.builder().dataSource(gate).purgeInterval(Duration.ZERO)
        .appendQueueCapacity(1).maxBatch(1).appendTimeout(Duration.ofSeconds(2)).build()) {
      JdbcEventJournal journal = db.eventJournal();
      gate.close();
      // The writer takes the first append and waits for a connection; the second fills the queue.
      var first = java.util.concurrent.CompletableFuture.runAsync(() -> journal.append(entry("r1", "github", "d1", T0)));
      await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);
      var second = java.util.concurrent.CompletableFuture.runAsync(() -> journal.append(entry("r2", "github", "d2", T0)));
      await().atMost(Duration.ofSeconds(10)).until(() -> journal.queuedAppends() == 1);

      assertThatThrownBy(() -> journal.append(entry("r3", "github", "d3", T0)))
          .isInstanceOf(dev.hooks.journal.JournalBusyException.class)
          .hasMessageContaining("queue full");

      gate.open();
      java.util.concurrent.CompletableFuture.allOf(first, second).handle((v, e) -> null).get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(journal.append(entry("r4", "github", "d4", T0))).isEqualTo(AppendResult.appended("r4"));
      assertThat(journal.find("r3")).isEmpty();
    } finally {
      gate.open();
      ((HikariDataSource) gate.delegate()).close();
    }
  }

  @Test
  void closingTheJournalClosesThePoolItCameWith() {
    JdbcJournals db = h2().build();
    EventJournal journal = db.eventJournal();

    journal.close();

    assertThat(journal.isReachable()).isFalse();
    assertThatThrownBy(() -> db.stateStore().get("k")).isInstanceOf(HooksException.class);
  }

  @Test
  void scheduledPurgeRemovesDoneEntriesOlderThanTheRetention() {
    try (JdbcJournals db = h2().retainDone(Duration.ofHours(1)).purgeInterval(Duration.ofMillis(20)).build()) {
      EventJournal journal = db.eventJournal();
      journal.append(entry("old", "github", "d1", T0));
      journal.append(entry("young", "github", "d2", T0.plus(Duration.ofMinutes(90))));
      completeAll(journal, T0.plus(Duration.ofMinutes(90)));

      clock.advance(Duration.ofHours(2));

      await().atMost(Duration.ofSeconds(10)).until(() -> journal.find("old").isEmpty());
      assertThat(journal.find("young")).isPresent();
    }
  }

  @Test
  void memoryDurabilityIsRefusedWithTheFix() {
    assertThatThrownBy(() -> JdbcJournals.builder().durability(Durability.MEMORY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("InMemoryEventJournal");
  }

  @Test
  void wrongPasswordFailsAtStartNamingTheUrlButNotThePassword() {
    try (JdbcJournals db = h2().build()) {
      db.stateStore().compareAndSet("k", 0, "v");
    }

    assertThatThrownBy(() -> h2().user("nobody").password("s3cr3t-value").build())
        .isInstanceOf(HooksException.class)
        .hasMessageContaining("jdbc:h2:file:")
        .hasMessageNotContaining("s3cr3t-value");
  }

  @Test
  void h2UrlsItOpensAreClosedByTheJournalNotByH2sShutdownHook() {
    assertThat(JdbcJournals.ownedLifecycle("jdbc:h2:file:./data/hooks")).isEqualTo("jdbc:h2:file:./data/hooks;DB_CLOSE_ON_EXIT=FALSE");
    assertThat(JdbcJournals.ownedLifecycle("jdbc:h2:file:/x;db_close_on_exit=true")).isEqualTo("jdbc:h2:file:/x;db_close_on_exit=true");
    assertThat(JdbcJournals.ownedLifecycle("jdbc:postgresql://db/hooks")).isEqualTo("jdbc:postgresql://db/hooks");
  }
}
