package dev.hooks.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The few statements that differ between H2 and PostgreSQL. */
public enum Dialect {
  H2(
      // One process: a statement-level existence check is atomic enough, and a unique
      // violation from a concurrent writer is handled by the caller.
      "INSERT INTO hooks_dedupe (endpoint_id, delivery_id, request_id, expires_at_us) "
          + "SELECT ?, ?, ?, ? FROM (VALUES (1)) AS one(x) "
          + "WHERE NOT EXISTS (SELECT 1 FROM hooks_dedupe d WHERE d.endpoint_id = ? AND d.delivery_id = ?)",
      true),
  POSTGRESQL(
      "INSERT INTO hooks_dedupe (endpoint_id, delivery_id, request_id, expires_at_us) "
          + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      false);

  private final String insertDedupeSql;
  private final boolean dedupeKeyTwice;

  Dialect(String insertDedupeSql, boolean dedupeKeyTwice) {
    this.insertDedupeSql = insertDedupeSql;
    this.dedupeKeyTwice = dedupeKeyTwice;
  }

  /** Inserts a dedupe key unless present; update count 1 if inserted, 0 if present. */
  public String insertDedupeSql() {
    return insertDedupeSql;
  }

  /** Whether {@link #insertDedupeSql()} takes endpoint and delivery id again as parameters 5 and 6. */
  public boolean dedupeKeyTwice() {
    return dedupeKeyTwice;
  }

  /**
   * The dialect of the database behind {@code connection}.
   *
   * @throws IllegalArgumentException for a database other than H2 or PostgreSQL
   */
  public static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    String p = product.toLowerCase(Locale.ROOT);
    if (p.contains("h2")) {
      return H2;
    }
    if (p.contains("postgresql")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("hooks-jdbc supports H2 and PostgreSQL, not " + product
        + "; use a jdbc:h2: or jdbc:postgresql: URL");
  }

  /** Whether {@code e} (or a cause) is a unique-key violation (SQLSTATE 23505 on both databases). */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException n = s; n != null; n = n.getNextException()) {
          if ("23505".equals(n.getSQLState())) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
