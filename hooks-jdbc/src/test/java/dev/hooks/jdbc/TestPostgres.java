package dev.hooks.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * One real PostgreSQL server (io.zonky.test embedded binaries) shared by the integration tests of
 * this JVM; it stops when the JVM exits.
 */
final class TestPostgres {
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "200")
            .setPGStartupWait(Duration.ofSeconds(60))
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
    }
    return server;
  }

  static String url() {
    return server().getJdbcUrl("postgres", "postgres");
  }

  /** A builder for one replica: its own pool on the shared server. */
  static JdbcJournals.Builder replica() {
    return JdbcJournals.builder().url(url()).user("postgres").password("").purgeInterval(Duration.ZERO);
  }

  /** Empties the hooks tables (the schema is created by the first {@link JdbcJournals}). */
  static void truncate() {
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE hooks_journal_entry, hooks_journal_pending, hooks_journal_outcome, hooks_dedupe, hooks_state, hooks_outbox");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the hooks tables", e);
    }
  }
}
