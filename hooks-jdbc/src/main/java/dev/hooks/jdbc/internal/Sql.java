package dev.hooks.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JDBC plumbing shared by the journal, the outbox and the state store. Not API. */
public final class Sql {
  private static final Logger LOG = LoggerFactory.getLogger(Sql.class);

  private Sql() {}

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs one update with positional {@code args}; returns the rows changed. */
  public static int execute(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    }
  }

  /**
   * Runs one update in its own transaction. With {@code asynchronousCommit} (PostgreSQL only) the
   * commit does not wait for the WAL flush: for writes whose loss in a database crash only
   * repeats work that is idempotent anyway, such as an outcome that leads to one more dispatch.
   */
  public static int executeOutcome(DataSource dataSource, boolean asynchronousCommit, String sql, Object... args) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (!asynchronousCommit) {
        return execute(c, sql, args);
      }
      c.setAutoCommit(false);
      try {
        setSynchronousCommit(c, false);
        int n = execute(c, sql, args);
        c.commit();
        return n;
      } catch (SQLException e) {
        rollbackQuietly(c);
        throw e;
      }
    }
  }

  /** PostgreSQL's {@code synchronous_commit} for the current transaction. */
  public static void setSynchronousCommit(Connection c, boolean on) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(on ? "SET LOCAL synchronous_commit TO on" : "SET LOCAL synchronous_commit TO off");
    }
  }

  public static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed", e);
    }
  }

  /** Every row of {@code ps}'s query, mapped by {@code reader}. */
  public static <T> List<T> readAll(PreparedStatement ps, RowReader<T> reader) throws SQLException {
    List<T> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(reader.read(rs));
      }
    }
    return out;
  }

  /**
   * Row counts of {@code table} by its {@code status} column, of the given statuses only (read
   * through the status index) or, with none given, of all; statuses with no rows are absent.
   */
  public static Map<String, Long> countByStatus(DataSource dataSource, String table, String... statuses) throws SQLException {
    String where = statuses.length == 0 ? "" : " WHERE status IN (" + String.join(", ", Collections.nCopies(statuses.length, "?")) + ")";
    Map<String, Long> counts = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM " + table + where + " GROUP BY status")) {
      for (int i = 0; i < statuses.length; i++) {
        ps.setString(i + 1, statuses[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return counts;
  }

  /** {@code s} cut to at most {@code max} characters, for bounded error columns. */
  public static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
