package dev.hooks.alerts;

import dev.hooks.HooksException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Incidents in a database (H2 for one process, PostgreSQL for several): migrated by Flyway
 * (history in {@code hooks_alerts_schema_history}). {@link #update} locks the fingerprint's row
 * ({@code SELECT ... FOR UPDATE}) for the whole change, sink call included, so a second replica
 * waits and then sees the ticket the first opened. Thread-safe.
 */
public final class JdbcIncidentStore implements IncidentStore {
  private final DataSource ds;

  /**
   * Migrates the schema.
   *
   * @throws HooksException if the database cannot be migrated
   */
  public JdbcIncidentStore(DataSource ds) {
    this.ds = ds;
    migrate(ds);
  }

  /** Migrates the alerts tables (incidents, history); idempotent. */
  static void migrate(DataSource ds) {
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration/alerts").table("hooks_alerts_schema_history")
          .baselineOnMigrate(true).baselineVersion("0").load().migrate();
    } catch (FlywayException e) {
      throw new HooksException("cannot migrate the alerts tables: " + e.getMessage(), e);
    }
  }

  @Override
  public void update(String fingerprint, Change change) throws Exception {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        lockRow(c, fingerprint);
        Optional<Incident> current = read(c, fingerprint);
        Optional<Incident> next = change.apply(current);
        if (next.isPresent()) {
          write(c, next.get(), current.isPresent());
        }
        c.commit();
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static void lockRow(Connection c, String fp) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT fingerprint FROM hooks_alerts_lock WHERE fingerprint = ? FOR UPDATE")) {
      s.setString(1, fp);
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          return;
        }
      }
    }
    // first sight of this fingerprint: insert the lock row; a concurrent insert makes ours fail, then lock theirs
    try (PreparedStatement s = c.prepareStatement("INSERT INTO hooks_alerts_lock (fingerprint) VALUES (?)")) {
      s.setString(1, fp);
      s.executeUpdate();
      c.commit();
    } catch (SQLException dup) {
      c.rollback();
    }
    try (PreparedStatement s = c.prepareStatement("SELECT fingerprint FROM hooks_alerts_lock WHERE fingerprint = ? FOR UPDATE")) {
      s.setString(1, fp);
      s.executeQuery().close();
    }
  }

  private static Optional<Incident> read(Connection c, String fp) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT fingerprint, sink, ticket, is_open, opened_at, closed_at, updates, last_key"
        + " FROM hooks_alerts_incident WHERE fingerprint = ?")) {
      s.setString(1, fp);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(row(r)) : Optional.empty();
      }
    }
  }

  private static Incident row(ResultSet r) throws SQLException {
    long closed = r.getLong(6);
    boolean noClose = r.wasNull();
    return new Incident(r.getString(1), r.getString(2), r.getString(3), r.getBoolean(4), Instant.ofEpochMilli(r.getLong(5)),
        noClose ? null : Instant.ofEpochMilli(closed), r.getInt(7), r.getString(8));
  }

  private static void write(Connection c, Incident i, boolean exists) throws SQLException {
    String sql = exists
        ? "UPDATE hooks_alerts_incident SET sink = ?, ticket = ?, is_open = ?, opened_at = ?, closed_at = ?, updates = ?, last_key = ? WHERE fingerprint = ?"
        : "INSERT INTO hooks_alerts_incident (sink, ticket, is_open, opened_at, closed_at, updates, last_key, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, i.sink());
      s.setString(2, i.ticket());
      s.setBoolean(3, i.open());
      s.setLong(4, i.openedAt().toEpochMilli());
      if (i.closedAt() == null) {
        s.setNull(5, java.sql.Types.BIGINT);
      } else {
        s.setLong(5, i.closedAt().toEpochMilli());
      }
      s.setInt(6, i.updates());
      s.setString(7, i.lastKey());
      s.setString(8, i.fingerprint());
      s.executeUpdate();
    }
  }

  @Override
  public Optional<Incident> find(String fingerprint) {
    try (Connection c = ds.getConnection()) {
      return read(c, fingerprint);
    } catch (SQLException e) {
      throw new HooksException("cannot read incident: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Incident> findOpenByTicket(String sink, String ticket) {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT fingerprint, sink, ticket, is_open, opened_at, closed_at, updates, last_key"
            + " FROM hooks_alerts_incident WHERE sink = ? AND ticket = ? AND is_open = TRUE")) {
      s.setString(1, sink);
      s.setString(2, ticket);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(row(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new HooksException("cannot read incident: " + e.getMessage(), e);
    }
  }

  @Override
  public List<Incident> list() {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT fingerprint, sink, ticket, is_open, opened_at, closed_at, updates, last_key"
            + " FROM hooks_alerts_incident ORDER BY opened_at");
        ResultSet r = s.executeQuery()) {
      List<Incident> out = new ArrayList<>();
      while (r.next()) {
        out.add(row(r));
      }
      return out;
    } catch (SQLException e) {
      throw new HooksException("cannot list incidents: " + e.getMessage(), e);
    }
  }
}
