package dev.hooks.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The database behind a journal: H2 for one process, PostgreSQL for several replicas. */
public enum Dialect {
  H2,
  POSTGRESQL;

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
