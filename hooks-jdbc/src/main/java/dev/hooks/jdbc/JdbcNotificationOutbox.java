package dev.hooks.jdbc;

import dev.hooks.HooksException;
import dev.hooks.jdbc.internal.Dialect;
import dev.hooks.jdbc.internal.Micros;
import dev.hooks.jdbc.internal.Sql;
import dev.hooks.journal.Durability;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.outbox.OutboxCounts;
import dev.hooks.outbox.OutboxEntry;
import dev.hooks.outbox.OutboxEntry.Status;
import dev.hooks.outbox.OutboxMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * A {@link NotificationOutbox} in the {@code hooks_outbox} table, shared by every replica on one
 * PostgreSQL. The idempotency key is the primary key, so enqueueing a key twice, on any
 * replica, stores it once. Senders claim with {@code FOR UPDATE SKIP LOCKED} on PostgreSQL (on
 * H2, one process, claims are serialized) under a lease with a fencing token; a write naming a
 * stale fence is refused. Obtain it from {@link JdbcJournals#outbox()}.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * NotificationOutbox outbox = db.outbox();
 * outbox.enqueue(message);
 * }</pre>
 */
public final class JdbcNotificationOutbox implements NotificationOutbox {
  private static final String COLUMNS = "message_key, event_id, route, target, content_type, body, created_at_us, "
      + "status, attempts, next_attempt_us, lease_owner, lease_until_us, fence, last_error";
  private static final String DUE = "status = 'PENDING' AND next_attempt_us <= ? AND lease_until_us <= ?";
  private static final String ORDER = " ORDER BY created_at_us, seq";
  private static final int MAX_ERROR = 4000;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final boolean asyncSessions;
  private final Durability durability;
  private final ReentrantLock h2ClaimLock = new ReentrantLock();

  JdbcNotificationOutbox(DataSource dataSource, Dialect dialect, boolean asyncSessions, Durability durability) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.asyncSessions = asyncSessions;
    this.durability = durability;
  }

  /** @throws HooksException if the message could not be stored */
  @Override
  public boolean enqueue(OutboxMessage m) {
    try {
      boolean stored = write("enqueue", "INSERT INTO hooks_outbox (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, '', 0, 0, '')",
          m.key(), m.eventId(), m.route(), m.target(), m.contentType(), m.body(), Micros.of(m.createdAt()), Micros.of(m.createdAt())) == 1;
      if (stored && dialect == Dialect.H2) {
        // H2 writes commits to its file after a delay; an enqueued message must survive the
        // process being killed right after enqueue returned.
        write("enqueue", durability == Durability.SYNC ? "CHECKPOINT SYNC" : "CHECKPOINT");
      }
      return stored;
    } catch (HooksException e) {
      if (Dialect.isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public List<OutboxEntry> claim(String owner, Instant now, Duration lease, int max) {
    return claim(owner, now, lease, max, java.util.Set.of());
  }

  @Override
  public List<OutboxEntry> claim(String owner, Instant now, Duration lease, int max, java.util.Set<String> skipTargets) {
    List<String> skip = List.copyOf(skipTargets);
    String skipSql = skip.isEmpty() ? "" : " AND target NOT IN (" + String.join(", ", java.util.Collections.nCopies(skip.size(), "?")) + ")";
    if (max <= 0) {
      return List.of();
    }
    long nowUs = Micros.of(now);
    long leaseUntil = Micros.of(now.plus(lease));
    try {
      if (dialect == Dialect.POSTGRESQL) {
        try (Connection c = dataSource.getConnection();
            PreparedStatement ps = c.prepareStatement("UPDATE hooks_outbox SET lease_owner = ?, lease_until_us = ?, fence = fence + 1 "
                + "WHERE message_key IN (SELECT message_key FROM hooks_outbox WHERE " + DUE + skipSql + ORDER + " LIMIT ? FOR UPDATE SKIP LOCKED) "
                + "RETURNING seq, " + COLUMNS)) {
          ps.setString(1, owner);
          ps.setLong(2, leaseUntil);
          ps.setLong(3, nowUs);
          ps.setLong(4, nowUs);
          int i = 5;
          for (String t : skip) {
            ps.setString(i++, t);
          }
          ps.setInt(i, max);
          List<Sequenced> claimed = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              claimed.add(new Sequenced(rs.getLong("seq"), read(rs)));
            }
          }
          claimed.sort((a, b) -> {
            int byTime = a.entry().message().createdAt().compareTo(b.entry().message().createdAt());
            return byTime != 0 ? byTime : Long.compare(a.seq(), b.seq());
          });
          return claimed.stream().map(Sequenced::entry).toList();
        }
      }
      h2ClaimLock.lock();
      try (Connection c = dataSource.getConnection()) {
        List<OutboxEntry> due;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM hooks_outbox WHERE " + DUE + skipSql + ORDER + " LIMIT ?")) {
          ps.setLong(1, nowUs);
          ps.setLong(2, nowUs);
          int i = 3;
          for (String t : skip) {
            ps.setString(i++, t);
          }
          ps.setInt(i, max);
          due = Sql.readAll(ps, JdbcNotificationOutbox::read);
        }
        List<OutboxEntry> claimed = new ArrayList<>(due.size());
        for (OutboxEntry e : due) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE hooks_outbox SET lease_owner = ?, lease_until_us = ?, fence = fence + 1 "
              + "WHERE message_key = ? AND fence = ? AND " + DUE)) {
            ps.setString(1, owner);
            ps.setLong(2, leaseUntil);
            ps.setString(3, e.key());
            ps.setLong(4, e.fence());
            ps.setLong(5, nowUs);
            ps.setLong(6, nowUs);
            if (ps.executeUpdate() == 1) {
              claimed.add(e.with(Status.PENDING, e.attempts(), e.nextAttemptAt(), owner, now.plus(lease), e.fence() + 1, e.lastError()));
            }
          }
        }
        return claimed;
      } finally {
        h2ClaimLock.unlock();
      }
    } catch (SQLException e) {
      throw failed("claim", e);
    }
  }

  private record Sequenced(long seq, OutboxEntry entry) {}

  @Override
  public boolean complete(String key, long fence) {
    return write("complete", "UPDATE hooks_outbox SET status = 'DELIVERED', lease_owner = '', lease_until_us = 0, last_error = '' "
        + "WHERE message_key = ? AND fence = ? AND status = 'PENDING'", key, fence) == 1;
  }

  @Override
  public boolean retryLater(String key, long fence, int attempts, Instant nextAttemptAt, String reason) {
    return write("retry", "UPDATE hooks_outbox SET attempts = ?, next_attempt_us = ?, lease_owner = '', lease_until_us = 0, last_error = ? "
        + "WHERE message_key = ? AND fence = ? AND status = 'PENDING'", attempts, Micros.of(nextAttemptAt), Sql.truncate(reason, MAX_ERROR), key, fence) == 1;
  }

  @Override
  public boolean deadLetter(String key, long fence, String reason) {
    return write("dead-letter", "UPDATE hooks_outbox SET status = 'DEAD', lease_owner = '', lease_until_us = 0, last_error = ? "
        + "WHERE message_key = ? AND fence = ? AND status = 'PENDING'", Sql.truncate(reason, MAX_ERROR), key, fence) == 1;
  }

  @Override
  public boolean replay(String key, Instant now) {
    return write("replay", "UPDATE hooks_outbox SET status = 'PENDING', attempts = 0, next_attempt_us = ?, lease_owner = '', "
        + "lease_until_us = 0, fence = fence + 1, last_error = '' WHERE message_key = ?", Micros.of(now), key) == 1;
  }

  @Override
  public Optional<OutboxEntry> find(String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM hooks_outbox WHERE message_key = ?")) {
      ps.setString(1, key);
      List<OutboxEntry> found = Sql.readAll(ps, JdbcNotificationOutbox::read);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    } catch (SQLException e) {
      throw failed("find", e);
    }
  }

  @Override
  public List<OutboxEntry> deadLetters(int max) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM hooks_outbox WHERE status = 'DEAD'" + ORDER + " LIMIT ?")) {
      ps.setInt(1, max);
      return Sql.readAll(ps, JdbcNotificationOutbox::read);
    } catch (SQLException e) {
      throw failed("dead letters", e);
    }
  }

  @Override
  public int purgeDelivered(Instant before) {
    return write("purge", "DELETE FROM hooks_outbox WHERE status = 'DELIVERED' AND created_at_us < ?", Micros.of(before));
  }

  @Override
  public OutboxCounts counts() {
    try {
      Map<String, Long> n = Sql.countByStatus(dataSource, "hooks_outbox");
      return new OutboxCounts(n.getOrDefault("PENDING", 0L), n.getOrDefault("DELIVERED", 0L), n.getOrDefault("DEAD", 0L));
    } catch (SQLException e) {
      throw failed("counts", e);
    }
  }


  @Override
  public Optional<Instant> nextDue() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT MIN(CASE WHEN lease_until_us > next_attempt_us THEN lease_until_us "
            + "ELSE next_attempt_us END) FROM hooks_outbox WHERE status = 'PENDING'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long at = rs.getLong(1);
      return rs.wasNull() ? Optional.empty() : Optional.of(Micros.toInstant(at));
    } catch (SQLException e) {
      throw failed("next due", e);
    }
  }

  private int write(String what, String sql, Object... args) {
    try {
      // As for the journal's outcomes: a lost write in a database crash only repeats a send,
      // and every send carries the message's idempotency key.
      return Sql.executeOutcome(dataSource, dialect == Dialect.POSTGRESQL && durability != Durability.SYNC && !asyncSessions, sql, args);
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }


  private static OutboxEntry read(ResultSet rs) throws SQLException {
    OutboxMessage m = new OutboxMessage(
        rs.getString("message_key"),
        rs.getString("event_id"),
        rs.getString("route"),
        rs.getString("target"),
        rs.getString("content_type"),
        rs.getString("body"),
        Micros.toInstant(rs.getLong("created_at_us")));
    return new OutboxEntry(
        m,
        Status.valueOf(rs.getString("status")),
        rs.getInt("attempts"),
        Micros.toInstant(rs.getLong("next_attempt_us")),
        rs.getString("lease_owner"),
        Micros.toInstant(rs.getLong("lease_until_us")),
        rs.getLong("fence"),
        rs.getString("last_error"));
  }

  private static HooksException failed(String what, SQLException e) {
    return new HooksException("outbox " + what + " failed: " + e.getMessage(), e);
  }
}
