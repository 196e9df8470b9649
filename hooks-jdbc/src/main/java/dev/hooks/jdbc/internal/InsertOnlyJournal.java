package dev.hooks.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Schema version 6: on PostgreSQL the journal becomes insert-only. An entry is split by how
 * often each part is written:
 *
 * <ul>
 *   <li>{@code hooks_journal_entry}: the delivery (endpoint, delivery id, method, URL, headers,
 *       body), inserted once and never updated;
 *   <li>{@code hooks_journal_pending}: the small row of an entry still to be dispatched (attempts,
 *       next attempt, lease, fence, last error). Claims and retries update it in place with no
 *       indexed column changed, so PostgreSQL writes them as heap-only (HOT) updates on the same
 *       page (the table leaves 30% of each page free for that);
 *   <li>{@code hooks_journal_outcome}: a row inserted when the entry is done or dead, in the same
 *       statement that deletes its pending row.
 * </ul>
 *
 * <p>So a delivery costs three inserts (dedupe key, entry, pending row), HOT updates for its
 * claims and one insert and one delete for its completion, where version 5 rewrote the entry's
 * row with a changed status (a new index entry in every index) on each completion. Existing rows
 * are copied: pending entries to the pending table, done and dead ones to the outcome table.
 * A no-op on H2, which keeps the version 5 layout.
 */
public final class InsertOnlyJournal implements JavaMigration {
  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("6");
  }

  @Override
  public String getDescription() {
    return "insert-only journal on postgresql";
  }

  @Override
  public Integer getChecksum() {
    return 6;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    if (Dialect.of(c) != Dialect.POSTGRESQL) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE hooks_journal_entry ("
          + "request_id VARCHAR(100) NOT NULL, endpoint_id VARCHAR(200) NOT NULL, delivery_id VARCHAR(500) NOT NULL, "
          + "received_at_us BIGINT NOT NULL, method VARCHAR(16) NOT NULL, url VARCHAR(4000) NOT NULL, "
          + "headers_json VARCHAR(1000000) NOT NULL, body BYTEA NOT NULL, "
          + "CONSTRAINT hooks_journal_entry_pk PRIMARY KEY (request_id))");
      // The body column of version 5 may have been switched to lz4; the new one follows it.
      s.execute("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
          + "AND 'lz4' = ANY (enumvals)) THEN ALTER TABLE hooks_journal_entry ALTER COLUMN body SET COMPRESSION lz4; END IF; END $$");
      s.execute("CREATE TABLE hooks_journal_pending ("
          + "request_id VARCHAR(100) NOT NULL, received_at_us BIGINT NOT NULL, attempts INTEGER NOT NULL, "
          + "next_attempt_us BIGINT NOT NULL, lease_owner VARCHAR(200) NOT NULL, lease_until_us BIGINT NOT NULL, "
          + "fence BIGINT NOT NULL, last_error VARCHAR(4000) NOT NULL, "
          + "CONSTRAINT hooks_journal_pending_pk PRIMARY KEY (request_id)) WITH (fillfactor = 70)");
      s.execute("CREATE INDEX hooks_journal_pending_order_idx ON hooks_journal_pending (received_at_us, request_id)");
      s.execute("CREATE TABLE hooks_journal_outcome ("
          + "request_id VARCHAR(100) NOT NULL, status VARCHAR(8) NOT NULL, received_at_us BIGINT NOT NULL, "
          + "attempts INTEGER NOT NULL, next_attempt_us BIGINT NOT NULL, fence BIGINT NOT NULL, last_error VARCHAR(4000) NOT NULL, "
          + "CONSTRAINT hooks_journal_outcome_pk PRIMARY KEY (request_id))");
      // Purging walks done entries by age; dead letters are few and have their own small index.
      s.execute("CREATE INDEX hooks_journal_outcome_received_idx ON hooks_journal_outcome (received_at_us)");
      s.execute("CREATE INDEX hooks_journal_outcome_dead_idx ON hooks_journal_outcome (received_at_us, request_id) "
          + "WHERE status = 'DEAD'");

      s.execute("INSERT INTO hooks_journal_entry (request_id, endpoint_id, delivery_id, received_at_us, method, url, headers_json, body) "
          + "SELECT j.request_id, j.endpoint_id, j.delivery_id, j.received_at_us, j.method, j.url, b.headers_json, b.body "
          + "FROM hooks_journal j JOIN hooks_journal_body b ON b.request_id = j.request_id");
      s.execute("INSERT INTO hooks_journal_pending (request_id, received_at_us, attempts, next_attempt_us, lease_owner, "
          + "lease_until_us, fence, last_error) SELECT request_id, received_at_us, attempts, next_attempt_us, lease_owner, "
          + "lease_until_us, fence, last_error FROM hooks_journal WHERE status = 'PENDING'");
      s.execute("INSERT INTO hooks_journal_outcome (request_id, status, received_at_us, attempts, next_attempt_us, fence, last_error) "
          + "SELECT request_id, status, received_at_us, attempts, next_attempt_us, fence, last_error FROM hooks_journal "
          + "WHERE status <> 'PENDING'");
      s.execute("DROP TABLE hooks_journal_body");
      s.execute("DROP TABLE hooks_journal");
    }
  }
}
