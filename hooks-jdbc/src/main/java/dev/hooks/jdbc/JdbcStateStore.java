package dev.hooks.jdbc;

import dev.hooks.HooksException;
import dev.hooks.jdbc.internal.Dialect;
import dev.hooks.jdbc.internal.Sql;
import dev.hooks.state.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A {@link StateStore} in the {@code hooks_state} table. Compare-and-set is one statement: an
 * {@code UPDATE ... WHERE version = ?} for an existing key, an {@code INSERT} guarded by the
 * primary key for a new one. So it is atomic across every process sharing the database: of two
 * replicas moving one service's state from the same version, exactly one wins. Obtain it from
 * {@link JdbcJournals#stateStore()}.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * StateStore state = db.stateStore();
 * Optional<StateStore.Versioned> now = state.get("remediation/api");
 * long version = now.map(StateStore.Versioned::version).orElse(0L);
 * if (state.compareAndSet("remediation/api", version, "{\"step\":\"restart\"}").isPresent()) {
 *   // this replica owns the transition
 * }
 * }</pre>
 */
public final class JdbcStateStore implements StateStore {
  private final DataSource dataSource;
  /** Whether the pool's sessions commit asynchronously; state writes then switch back per transaction. */
  private final boolean asyncSessions;

  /** Whether the database is H2, whose file is written after a delay unless checkpointed. */
  private final boolean h2;

  JdbcStateStore(DataSource dataSource, boolean asyncSessions, Dialect dialect) {
    this.dataSource = dataSource;
    this.asyncSessions = asyncSessions;
    this.h2 = dialect == Dialect.H2;
  }

  /** Runs one write; with asynchronous sessions inside a transaction that commits synchronously. */
  private <T> T write(Connection c, SqlWork<T> work) throws SQLException {
    if (h2) {
      // H2 writes commits to its file after a delay; a state change must survive the process
      // being killed right after it returned, so it is written now.
      T result = work.run();
      try (java.sql.Statement s = c.createStatement()) {
        s.execute("CHECKPOINT");
      }
      return result;
    }
    if (!asyncSessions) {
      return work.run();
    }
    // A compare-and-set that a database crash could undo would let two replicas win one
    // transition; state writes are rare, so they always wait for the disk.
    c.setAutoCommit(false);
    try {
      Sql.setSynchronousCommit(c, true);
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException e) {
      Sql.rollbackQuietly(c);
      throw e;
    }
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** @throws HooksException if the database cannot be read */
  @Override
  public Optional<Versioned> get(String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT state_value, version FROM hooks_state WHERE state_key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Versioned(rs.getString(1), rs.getLong(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed("read", key, e);
    }
  }

  /** @throws HooksException if the database cannot be written */
  @Override
  public OptionalLong compareAndSet(String key, long expectedVersion, String value) {
    try (Connection c = dataSource.getConnection()) {
      if (expectedVersion == 0) {
        try {
          return write(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hooks_state (state_key, state_value, version) VALUES (?, ?, 1)")) {
              ps.setString(1, key);
              ps.setString(2, value);
              ps.executeUpdate();
              return OptionalLong.of(1);
            }
          });
        } catch (SQLException e) {
          if (Dialect.isUniqueViolation(e)) {
            return OptionalLong.empty();
          }
          throw e;
        }
      }
      return write(c, () -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE hooks_state SET state_value = ?, version = version + 1 "
            + "WHERE state_key = ? AND version = ?")) {
          ps.setString(1, value);
          ps.setString(2, key);
          ps.setLong(3, expectedVersion);
          return ps.executeUpdate() == 1 ? OptionalLong.of(expectedVersion + 1) : OptionalLong.empty();
        }
      });
    } catch (SQLException e) {
      throw failed("write", key, e);
    }
  }

  /** @throws HooksException if the database cannot be written */
  @Override
  public boolean delete(String key, long expectedVersion) {
    try (Connection c = dataSource.getConnection()) {
      return write(c, () -> {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM hooks_state WHERE state_key = ? AND version = ?")) {
          ps.setString(1, key);
          ps.setLong(2, expectedVersion);
          return ps.executeUpdate() == 1;
        }
      });
    } catch (SQLException e) {
      throw failed("delete", key, e);
    }
  }

  /** @throws HooksException if the database cannot be read */
  @Override
  public Map<String, Versioned> list(String prefix) {
    // The prefix is a literal: escape LIKE's wildcards and the escape character itself.
    String pattern = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT state_key, state_value, version FROM hooks_state "
            + "WHERE state_key LIKE ? ESCAPE '!' ORDER BY state_key")) {
      ps.setString(1, pattern);
      Map<String, Versioned> out = new TreeMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new Versioned(rs.getString(2), rs.getLong(3)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("list", prefix, e);
    }
  }

  private static HooksException failed(String what, String key, SQLException e) {
    return new HooksException("state store " + what + " of '" + key + "' failed: " + e.getMessage(), e);
  }
}
