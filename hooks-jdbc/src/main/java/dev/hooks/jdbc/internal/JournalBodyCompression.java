package dev.hooks.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Schema version 5: on PostgreSQL built with LZ4 (14 and later, as Debian's and most others
 * are), journal bodies are compressed with LZ4 instead of the default pglz. A webhook body is
 * JSON well over PostgreSQL's 2 KB TOAST threshold, so every append compresses it; pglz spends
 * about three times the CPU of LZ4 on that for the same size. A no-op on H2 and on servers
 * without LZ4; rows already stored keep their compression.
 */
public final class JournalBodyCompression implements JavaMigration {
  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("5");
  }

  @Override
  public String getDescription() {
    return "journal bodies compressed with lz4 on postgresql";
  }

  @Override
  public Integer getChecksum() {
    return 5;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    if (Dialect.of(c) == Dialect.POSTGRESQL && lz4Available(c)) {
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE hooks_journal_body ALTER COLUMN body SET COMPRESSION lz4");
      }
    }
  }

  private static boolean lz4Available(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)");
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }
}
