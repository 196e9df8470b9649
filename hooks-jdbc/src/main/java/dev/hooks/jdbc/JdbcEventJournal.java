package dev.hooks.jdbc;

import dev.hooks.event.Delivery;
import dev.hooks.jdbc.internal.Dialect;
import dev.hooks.jdbc.internal.GroupCommitQueue;
import dev.hooks.jdbc.internal.HeadersJson;
import dev.hooks.jdbc.internal.Micros;
import dev.hooks.jdbc.internal.Sql;
import dev.hooks.journal.AppendResult;
import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.HistoryPage;
import dev.hooks.journal.HistoryQuery;
import dev.hooks.journal.JournalCounts;
import dev.hooks.journal.JournalEntry;
import dev.hooks.journal.JournalEntry.Status;
import dev.hooks.journal.JournalUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventJournal} in a relational database: an H2 file for one process, PostgreSQL for
 * several replicas sharing the work. Obtain it from {@link JdbcJournals#eventJournal()}.
 *
 * <ul>
 *   <li><b>Group commit.</b> {@link #append} queues the entry and waits; a writer thread takes
 *       everything waiting (up to a batch) and stores it in one transaction with one commit, so
 *       concurrent requests share one disk sync. {@link #completeAll} goes through the same
 *       queue, so completions share those transactions too. The queue is bounded: when it stays full for
 *       the append timeout, {@code append} throws {@link JournalUnavailableException} and
 *       ingress answers 503 rather than 202 (a sender retries).
 *   <li><b>Deduplication.</b> A key per endpoint and delivery id is inserted in the same
 *       transaction as the entry ({@code ON CONFLICT DO NOTHING} on PostgreSQL), so of two
 *       concurrent appends of one delivery, on any replica, exactly one is accepted. Keys live
 *       for the endpoint's dedupe time to live, also after the entry was purged.
 *   <li><b>Claiming.</b> On PostgreSQL {@link #claim} takes due rows with
 *       {@code FOR UPDATE SKIP LOCKED}, so replicas never wait for nor take each other's rows,
 *       and raises each row's fence. Every later write carries the fence in its {@code WHERE};
 *       a holder whose lease was taken over is refused. On H2 (one process) claims are
 *       serialized in the process.
 *   <li><b>Durability.</b> {@link Durability#OS}: on PostgreSQL the commit is acknowledged by the
 *       server without waiting for its WAL flush ({@code synchronous_commit = off}), so the entry
 *       survives this process being killed; on H2 a {@code CHECKPOINT} after each batch writes
 *       it to the database file. {@link Durability#SYNC}: on PostgreSQL an ordinary synchronous
 *       commit; on H2 {@code CHECKPOINT SYNC} (written and fsynced) after each batch. Claims and
 *       outcomes on H2 reach the file within H2's write delay (500 ms): a completion lost with a
 *       killed process means one more dispatch.
 * </ul>
 *
 * <p>Thread-safe. Closing the journal stops its writer and purge schedule and closes the
 * {@link JdbcJournals} it came from (its connection pool); entries stay stored.
 *
 * <pre>{@code
 * JdbcJournals db = JdbcJournals.builder().url("jdbc:postgresql://db/hooks").user("hooks").password(pw).build();
 * EventJournal journal = db.eventJournal();
 * }</pre>
 */
public final class JdbcEventJournal implements EventJournal {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcEventJournal.class);

  private static final String COLUMNS = "request_id, endpoint_id, delivery_id, received_at_us, method, url, "
      + "status, attempts, next_attempt_us, lease_owner, lease_until_us, fence, last_error";
  /** The entry with its headers and body: {@code j} is hooks_journal, {@code b} hooks_journal_body. */
  private static final String SELECT = "SELECT j.request_id, j.endpoint_id, j.delivery_id, j.received_at_us, j.method, j.url, "
      + "b.headers_json, b.body, j.status, j.attempts, j.next_attempt_us, j.lease_owner, j.lease_until_us, j.fence, j.last_error "
      + "FROM hooks_journal j JOIN hooks_journal_body b ON b.request_id = j.request_id";
  private static final String INSERT = "INSERT INTO hooks_journal (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_BODY = "INSERT INTO hooks_journal_body (request_id, headers_json, body) VALUES (?, ?, ?)";
  private static final String DUE = "status = 'PENDING' AND next_attempt_us <= ? AND lease_until_us <= ?";
  private static final String DUE_J = "j.status = 'PENDING' AND j.next_attempt_us <= ? AND j.lease_until_us <= ?";
  private static final int MAX_ERROR = 4000;

  // PostgreSQL's insert-only layout (schema version 6): the delivery in hooks_journal_entry,
  // written once; the dispatch state of a pending entry in hooks_journal_pending (claims and
  // retries are HOT updates of that small row); done and dead entries in hooks_journal_outcome.
  private static final String PG_PENDING_COLUMNS = "request_id, received_at_us, attempts, next_attempt_us, lease_owner, "
      + "lease_until_us, fence, last_error";
  private static final String PG_OUTCOME_COLUMNS = "request_id, status, received_at_us, attempts, next_attempt_us, fence, last_error";
  /** The entry as {@link #read} expects it, whatever table its state is in. */
  private static final String PG_SELECT = "SELECT e.request_id, e.endpoint_id, e.delivery_id, e.received_at_us, e.method, e.url, "
      + "e.headers_json, e.body, COALESCE(o.status, 'PENDING') AS status, COALESCE(p.attempts, o.attempts) AS attempts, "
      + "COALESCE(p.next_attempt_us, o.next_attempt_us) AS next_attempt_us, COALESCE(p.lease_owner, '') AS lease_owner, "
      + "COALESCE(p.lease_until_us, 0) AS lease_until_us, COALESCE(p.fence, o.fence) AS fence, "
      + "COALESCE(p.last_error, o.last_error) AS last_error FROM hooks_journal_entry e "
      + "LEFT JOIN hooks_journal_pending p ON p.request_id = e.request_id "
      + "LEFT JOIN hooks_journal_outcome o ON o.request_id = e.request_id";
  /** Moves a pending entry, under its fence, to the outcome table; the last parameter is its error. */
  private static final String PG_SETTLE = "WITH gone AS (DELETE FROM hooks_journal_pending WHERE request_id = ? AND fence = ? "
      + "RETURNING *) INSERT INTO hooks_journal_outcome (" + PG_OUTCOME_COLUMNS + ") SELECT request_id, ?, received_at_us, "
      + "attempts + ?, next_attempt_us, fence, ? FROM gone";

  private final DataSource dataSource;
  private final Dialect dialect;
  /** Whether the pool's sessions already commit asynchronously (PostgreSQL, Durability.OS). */
  private final boolean asyncSessions;
  private final Durability durability;
  private final Clock clock;
  private final Duration defaultDedupeTtl;
  private final Map<String, Duration> dedupeTtls;
  private final GroupCommitQueue<Write, Object> writes;
  private final ReentrantLock h2ClaimLock = new ReentrantLock();
  private final @Nullable ScheduledExecutorService purger;
  private final Runnable onClose;
  private volatile boolean closed;

  JdbcEventJournal(DataSource dataSource, Dialect dialect, boolean asyncSessions, JdbcJournals.Builder b, Runnable onClose) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.asyncSessions = asyncSessions;
    this.durability = b.durability;
    this.clock = b.clock;
    this.defaultDedupeTtl = b.dedupeTtl;
    this.dedupeTtls = Map.copyOf(b.dedupeTtls);
    this.onClose = onClose;
    this.writes = new GroupCommitQueue<>("hooks-journal-writer", b.appendQueueCapacity, b.maxBatch, b.writerThreads, b.appendTimeout, this::writeBatch);
    if (!b.purgeInterval.isZero()) {
      ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "hooks-journal-purge");
        t.setDaemon(true);
        return t;
      });
      Duration retain = b.retainDone;
      long every = b.purgeInterval.toMillis();
      p.scheduleWithFixedDelay(() -> purgeQuietly(retain), every, every, TimeUnit.MILLISECONDS);
      this.purger = p;
    } else {
      this.purger = null;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Waits for the group commit of the batch holding the entry.
   *
   * @throws JournalUnavailableException if the entry was not stored: database unreachable, write
   *     queue full for the append timeout, or the journal closed
   */
  @Override
  public AppendResult append(JournalEntry entry) {
    return (AppendResult) writes.submit(new Append(entry));
  }

  /** What the writer threads store: appends, and completions that share their transaction. */
  private sealed interface Write permits Append, Complete {}

  private record Append(JournalEntry entry) implements Write {}

  private record Complete(List<Completion> completions) implements Write {}

  /** One transaction for the batch; one result per write, in order: an AppendResult or an Integer. */
  private List<Object> writeBatch(List<Write> batch) throws SQLException {
    return dialect == Dialect.POSTGRESQL ? writeBatchPostgres(batch) : writeBatchH2(batch);
  }

  /**
   * The whole batch is one statement (see {@link #PG_WRITE}). On the journal's own pool with
   * {@link Durability#OS} the sessions already commit asynchronously, so the statement runs on
   * its own: one round trip for the batch. Otherwise a transaction sets the commit level first.
   */
  private List<Object> writeBatchPostgres(List<Write> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (asyncSessions) {
        return writePostgres(c, batch);
      }
      c.setAutoCommit(false);
      try {
        Sql.setSynchronousCommit(c, durability == Durability.SYNC);
        List<Object> results = writePostgres(c, batch);
        c.commit();
        return results;
      } catch (SQLException e) {
        Sql.rollbackQuietly(c);
        throw e;
      }
    }
  }

  private List<Object> writeBatchH2(List<Write> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<Object> results = writeH2(c, batch);
        c.commit();
        // H2 writes committed changes to its file in the background after a delay; a
        // checkpoint writes them now, so the batch reaches the operating system (OS) or the
        // disk (SYNC) before its callers return. One checkpoint covers the whole batch.
        try (Statement s = c.createStatement()) {
          s.execute(durability == Durability.SYNC ? "CHECKPOINT SYNC" : "CHECKPOINT");
        }
        c.commit();
        return results;
      } catch (SQLException e) {
        Sql.rollbackQuietly(c);
        if (Dialect.isUniqueViolation(e)) {
          // A concurrent writer stored the same key between our check and insert: redo one by
          // one so that only the entry concerned becomes a duplicate.
          if (batch.size() > 1) {
            List<Object> results = new ArrayList<>(batch.size());
            for (Write one : batch) {
              results.addAll(writeBatchH2(List.of(one)));
            }
            return results;
          }
          if (batch.get(0) instanceof Append one) {
            return List.of(AppendResult.duplicateOf(firstRequestId(c, one.entry())));
          }
        }
        throw e;
      }
    }
  }

  private List<Object> writeH2(Connection c, List<Write> batch) throws SQLException {
    List<JournalEntry> entries = new ArrayList<>(batch.size());
    for (Write w : batch) {
      if (w instanceof Append a) {
        entries.add(a.entry());
      }
    }
    Iterator<AppendResult> appended = entries.isEmpty() ? Collections.emptyIterator() : insertH2(c, entries).iterator();
    List<Object> results = new ArrayList<>(batch.size());
    for (Write w : batch) {
      if (w instanceof Complete done) {
        results.add(completeAllBatched(c, done.completions()));
      } else {
        results.add(appended.next());
      }
    }
    return results;
  }

  /**
   * H2 serves one process, so a statement-level existence check is atomic enough for the dedupe
   * key; a unique violation from a concurrent writer is handled by {@link #writeBatchH2}.
   */
  private static final String H2_INSERT_DEDUPE = "INSERT INTO hooks_dedupe (endpoint_id, delivery_id, request_id, expires_at_us) "
      + "SELECT ?, ?, ?, ? FROM (VALUES (1)) AS one(x) "
      + "WHERE NOT EXISTS (SELECT 1 FROM hooks_dedupe d WHERE d.endpoint_id = ? AND d.delivery_id = ?)";

  private List<AppendResult> insertH2(Connection c, List<JournalEntry> batch) throws SQLException {
    int[] inserted;
    try (PreparedStatement ps = c.prepareStatement(H2_INSERT_DEDUPE)) {
      for (JournalEntry e : batch) {
        ps.setString(1, e.endpointId());
        ps.setString(2, e.deliveryId());
        ps.setString(3, e.requestId());
        ps.setLong(4, Micros.of(e.receivedAt().plus(dedupeTtl(e.endpointId()))));
        ps.setString(5, e.endpointId());
        ps.setString(6, e.deliveryId());
        ps.addBatch();
      }
      inserted = ps.executeBatch();
    }
    List<AppendResult> results = new ArrayList<>(batch.size());
    List<JournalEntry> fresh = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      JournalEntry e = batch.get(i);
      // A driver may answer SUCCESS_NO_INFO for a batched row: then the stored key tells.
      String first = inserted[i] > 0 ? e.requestId() : firstRequestId(c, e);
      if (first.equals(e.requestId())) {
        fresh.add(e);
        results.add(AppendResult.appended(e.requestId()));
      } else {
        results.add(AppendResult.duplicateOf(first));
      }
    }
    if (!fresh.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (JournalEntry e : fresh) {
          Delivery d = e.delivery();
          ps.setString(1, e.requestId());
          ps.setString(2, e.endpointId());
          ps.setString(3, e.deliveryId());
          ps.setLong(4, Micros.of(d.receivedAt()));
          ps.setString(5, d.method());
          ps.setString(6, d.url());
          ps.setString(7, e.status().name());
          ps.setInt(8, e.attempts());
          ps.setLong(9, Micros.of(e.nextAttemptAt()));
          ps.setString(10, e.owner());
          ps.setLong(11, Micros.of(e.leaseUntil()));
          ps.setLong(12, e.fence());
          ps.setString(13, Sql.truncate(e.lastError(), MAX_ERROR));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement(INSERT_BODY)) {
        for (JournalEntry e : fresh) {
          ps.setString(1, e.requestId());
          ps.setString(2, HeadersJson.write(e.delivery().headers()));
          ps.setBytes(3, e.delivery().body());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    return results;
  }

  /**
   * Runs {@link #PG_WRITE} for the batch: the appends' rows travel as one array per column and
   * the completions as two more. An append whose dedupe key a concurrent writer (on any replica)
   * stored first is a duplicate of that writer's entry.
   */
  private List<Object> writePostgres(Connection c, List<Write> batch) throws SQLException {
    List<JournalEntry> entries = new ArrayList<>(batch.size());
    List<Completion> completions = new ArrayList<>();
    for (Write w : batch) {
      if (w instanceof Append a) {
        entries.add(a.entry());
      } else {
        completions.addAll(((Complete) w).completions());
      }
    }
    int n = entries.size();
    String[] requestIds = new String[n];
    String[] endpointIds = new String[n];
    String[] deliveryIds = new String[n];
    Long[] receivedAt = new Long[n];
    Long[] expiresAt = new Long[n];
    String[] methods = new String[n];
    String[] urls = new String[n];
    String[] statuses = new String[n];
    Integer[] attempts = new Integer[n];
    Long[] nextAttempts = new Long[n];
    String[] owners = new String[n];
    Long[] leases = new Long[n];
    Long[] fences = new Long[n];
    String[] errors = new String[n];
    String[] headers = new String[n];
    byte[][] bodies = new byte[n][];
    for (int i = 0; i < n; i++) {
      JournalEntry e = entries.get(i);
      Delivery d = e.delivery();
      requestIds[i] = e.requestId();
      endpointIds[i] = e.endpointId();
      deliveryIds[i] = e.deliveryId();
      receivedAt[i] = Micros.of(d.receivedAt());
      expiresAt[i] = Micros.of(d.receivedAt().plus(dedupeTtl(e.endpointId())));
      methods[i] = d.method();
      urls[i] = d.url();
      statuses[i] = e.status().name();
      attempts[i] = e.attempts();
      nextAttempts[i] = Micros.of(e.nextAttemptAt());
      owners[i] = e.owner();
      leases[i] = Micros.of(e.leaseUntil());
      fences[i] = e.fence();
      errors[i] = Sql.truncate(e.lastError(), MAX_ERROR);
      headers[i] = HeadersJson.write(d.headers());
      bodies[i] = d.body();
    }
    String[] doneIds = new String[completions.size()];
    Long[] doneFences = new Long[completions.size()];
    for (int i = 0; i < doneIds.length; i++) {
      doneIds[i] = completions.get(i).requestId();
      doneFences[i] = completions.get(i).fence();
    }
    Set<String> fresh = new HashSet<>(n * 2);
    Set<String> completed = new HashSet<>(doneIds.length * 2);
    try (PreparedStatement ps = c.prepareStatement(PG_WRITE)) {
      ps.setArray(1, c.createArrayOf("varchar", requestIds));
      ps.setArray(2, c.createArrayOf("varchar", endpointIds));
      ps.setArray(3, c.createArrayOf("varchar", deliveryIds));
      ps.setArray(4, c.createArrayOf("int8", receivedAt));
      ps.setArray(5, c.createArrayOf("int8", expiresAt));
      ps.setArray(6, c.createArrayOf("varchar", methods));
      ps.setArray(7, c.createArrayOf("varchar", urls));
      ps.setArray(8, c.createArrayOf("varchar", statuses));
      ps.setArray(9, c.createArrayOf("int4", attempts));
      ps.setArray(10, c.createArrayOf("int8", nextAttempts));
      ps.setArray(11, c.createArrayOf("varchar", owners));
      ps.setArray(12, c.createArrayOf("int8", leases));
      ps.setArray(13, c.createArrayOf("int8", fences));
      ps.setArray(14, c.createArrayOf("varchar", errors));
      ps.setArray(15, c.createArrayOf("varchar", headers));
      ps.setArray(16, c.createArrayOf("bytea", bodies));
      ps.setArray(17, c.createArrayOf("varchar", doneIds));
      ps.setArray(18, c.createArrayOf("int8", doneFences));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          (rs.getBoolean(1) ? fresh : completed).add(rs.getString(2));
        }
      }
    }
    List<Object> results = new ArrayList<>(batch.size());
    for (Write w : batch) {
      if (w instanceof Append a) {
        String id = a.entry().requestId();
        results.add(fresh.contains(id) ? AppendResult.appended(id) : AppendResult.duplicateOf(firstRequestId(c, a.entry())));
      } else {
        results.add((int) ((Complete) w).completions().stream().filter(done -> completed.contains(done.requestId())).count());
      }
    }
    return results;
  }

  /**
   * A batch on PostgreSQL, in one statement: the dedupe keys are inserted first
   * ({@code ON CONFLICT DO NOTHING}, so a key stored by a concurrent writer only makes its entry
   * a duplicate), only the entries whose key was inserted are journaled (the delivery in
   * {@code hooks_journal_entry}, its dispatch state in {@code hooks_journal_pending}), and each
   * completion deletes its pending row under its fence and inserts its outcome row. Nothing is
   * updated. The rows are {@code (true, request id)} for each entry stored and
   * {@code (false, request id)} for each entry marked done.
   */
  private static final String PG_WRITE = "WITH input AS (SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], "
      + "?::int8[], ?::int8[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int4[], ?::int8[], ?::varchar[], ?::int8[], "
      + "?::int8[], ?::varchar[], ?::varchar[], ?::bytea[]) AS u(request_id, endpoint_id, delivery_id, received_at_us, "
      + "expires_at_us, method, url, status, attempts, next_attempt_us, lease_owner, lease_until_us, fence, last_error, "
      + "headers_json, body)), "
      + "fresh AS (INSERT INTO hooks_dedupe (endpoint_id, delivery_id, request_id, expires_at_us) "
      + "SELECT endpoint_id, delivery_id, request_id, expires_at_us FROM input ON CONFLICT DO NOTHING RETURNING request_id), "
      + "kept AS (SELECT * FROM input WHERE request_id IN (SELECT request_id FROM fresh)), "
      + "entries AS (INSERT INTO hooks_journal_entry (request_id, endpoint_id, delivery_id, received_at_us, method, url, "
      + "headers_json, body) SELECT request_id, endpoint_id, delivery_id, received_at_us, method, url, headers_json, body FROM kept), "
      + "queued AS (INSERT INTO hooks_journal_pending (" + PG_PENDING_COLUMNS + ") SELECT " + PG_PENDING_COLUMNS
      + " FROM kept WHERE status = 'PENDING'), "
      + "settled AS (INSERT INTO hooks_journal_outcome (" + PG_OUTCOME_COLUMNS + ") SELECT " + PG_OUTCOME_COLUMNS
      + " FROM kept WHERE status <> 'PENDING'), "
      + "gone AS (DELETE FROM hooks_journal_pending p USING unnest(?::varchar[], ?::int8[]) AS u(request_id, fence) "
      + "WHERE p.request_id = u.request_id AND p.fence = u.fence RETURNING p.*), "
      + "done AS (INSERT INTO hooks_journal_outcome (" + PG_OUTCOME_COLUMNS + ") SELECT request_id, 'DONE', received_at_us, "
      + "attempts + 1, next_attempt_us, fence, '' FROM gone RETURNING request_id) "
      + "SELECT true, request_id FROM fresh UNION ALL SELECT false, request_id FROM done";

  private String firstRequestId(Connection c, JournalEntry e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT request_id FROM hooks_dedupe WHERE endpoint_id = ? AND delivery_id = ?")) {
      ps.setString(1, e.endpointId());
      ps.setString(2, e.deliveryId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("dedupe key of " + e.endpointId() + "/" + e.deliveryId() + " vanished during append");
        }
        return rs.getString(1);
      }
    }
  }

  private Duration dedupeTtl(String endpointId) {
    return dedupeTtls.getOrDefault(endpointId, defaultDedupeTtl);
  }

  @Override
  public List<JournalEntry> claim(String owner, Instant now, Duration lease, int max) {
    if (max <= 0) {
      return List.of();
    }
    try {
      return dialect == Dialect.POSTGRESQL ? claimSkipLocked(owner, now, lease, max) : claimSerialized(owner, now, lease, max);
    } catch (SQLException e) {
      throw unavailable("claim", e);
    }
  }

  private List<JournalEntry> claimSkipLocked(String owner, Instant now, Duration lease, int max) throws SQLException {
    // The CTE claims the rows; the outer query joins each claimed row (as updated) to its body.
    String sql = "WITH claimed AS (UPDATE hooks_journal_pending SET lease_owner = ?, lease_until_us = ?, fence = fence + 1 "
        + "WHERE request_id IN (SELECT request_id FROM hooks_journal_pending WHERE next_attempt_us <= ? AND lease_until_us <= ?"
        + " ORDER BY received_at_us, request_id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + PG_PENDING_COLUMNS + ") "
        + "SELECT e.request_id, e.endpoint_id, e.delivery_id, e.received_at_us, e.method, e.url, e.headers_json, e.body, "
        + "'PENDING' AS status, j.attempts, j.next_attempt_us, j.lease_owner, j.lease_until_us, j.fence, j.last_error "
        + "FROM claimed j JOIN hooks_journal_entry e ON e.request_id = j.request_id";
    long nowUs = Micros.of(now);
    try (Connection c = dataSource.getConnection()) {
      if (asyncSessions) {
        // A claim raises fences: it must not be lost in a database crash, or a fence could be
        // handed out twice.
        c.setAutoCommit(false);
        Sql.setSynchronousCommit(c, true);
      }
      List<JournalEntry> claimed;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, owner);
        ps.setLong(2, Micros.of(now.plus(lease)));
        ps.setLong(3, nowUs);
        ps.setLong(4, nowUs);
        ps.setInt(5, max);
        claimed = Sql.readAll(ps, JdbcEventJournal::read);
        if (asyncSessions) {
          c.commit();
        }
      } catch (SQLException e) {
        if (asyncSessions) {
          Sql.rollbackQuietly(c);
        }
        throw e;
      }
      claimed.sort(Comparator.comparing(JournalEntry::receivedAt).thenComparing(JournalEntry::requestId));
      return claimed;
    }
  }

  private List<JournalEntry> claimSerialized(String owner, Instant now, Duration lease, int max) throws SQLException {
    // H2 locks every row it scans for FOR UPDATE SKIP LOCKED, so it cannot share rows between
    // claimers; one process claims one batch at a time and the fence check keeps it exact.
    long nowUs = Micros.of(now);
    long leaseUntil = Micros.of(now.plus(lease));
    h2ClaimLock.lock();
    try (Connection c = dataSource.getConnection()) {
      List<JournalEntry> due;
      try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE " + DUE_J
          + " ORDER BY j.received_at_us, j.request_id LIMIT ?")) {
        ps.setLong(1, nowUs);
        ps.setLong(2, nowUs);
        ps.setInt(3, max);
        due = Sql.readAll(ps, JdbcEventJournal::read);
      }
      if (due.isEmpty()) {
        return due;
      }
      c.setAutoCommit(false);
      try {
        int[] updated;
        try (PreparedStatement ps = c.prepareStatement("UPDATE hooks_journal SET lease_owner = ?, lease_until_us = ?, fence = fence + 1 "
            + "WHERE request_id = ? AND fence = ? AND " + DUE)) {
          for (JournalEntry e : due) {
            ps.setString(1, owner);
            ps.setLong(2, leaseUntil);
            ps.setString(3, e.requestId());
            ps.setLong(4, e.fence());
            ps.setLong(5, nowUs);
            ps.setLong(6, nowUs);
            ps.addBatch();
          }
          updated = ps.executeBatch();
        }
        c.commit();
        List<JournalEntry> claimed = new ArrayList<>(due.size());
        for (int i = 0; i < due.size(); i++) {
          if (updated[i] != 0) {
            JournalEntry e = due.get(i);
            claimed.add(e.with(Status.PENDING, e.attempts(), e.nextAttemptAt(), owner, now.plus(lease), e.fence() + 1, e.lastError()));
          }
        }
        return claimed;
      } catch (SQLException e) {
        Sql.rollbackQuietly(c);
        throw e;
      }
    } finally {
      h2ClaimLock.unlock();
    }
  }

  private static final String COMPLETE = "UPDATE hooks_journal SET status = 'DONE', attempts = attempts + 1, lease_owner = '', "
      + "lease_until_us = 0, last_error = '' WHERE request_id = ? AND fence = ? AND status = 'PENDING'";

  @Override
  public boolean complete(String requestId, long fence) {
    if (dialect == Dialect.POSTGRESQL) {
      return update("complete", PG_SETTLE, requestId, fence, "DONE", 1, "") == 1;
    }
    return update("complete", COMPLETE, requestId, fence) == 1;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The completions join the writer's next transaction, so under load they share a commit
   * (and a round trip) with appends instead of taking their own.
   */
  @Override
  public int completeAll(List<Completion> completions) {
    if (completions.isEmpty()) {
      return 0;
    }
    return (Integer) writes.submit(new Complete(List.copyOf(completions)));
  }

  private static int completeAllBatched(Connection c, List<Completion> completions) throws SQLException {
    int done = 0;
    try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
      for (Completion one : completions) {
        ps.setString(1, one.requestId());
        ps.setLong(2, one.fence());
        ps.addBatch();
      }
      for (int n : ps.executeBatch()) {
        done += Math.max(n, 0);
      }
    }
    return done;
  }

  @Override
  public boolean retryLater(String requestId, long fence, int attempts, Instant nextAttemptAt, Instant leaseUntil, String reason) {
    if (dialect == Dialect.POSTGRESQL) {
      return update("retry", "UPDATE hooks_journal_pending SET attempts = ?, next_attempt_us = ?, lease_until_us = ?, last_error = ? "
          + "WHERE request_id = ? AND fence = ?",
          attempts, Micros.of(nextAttemptAt), Micros.of(leaseUntil), Sql.truncate(reason, MAX_ERROR), requestId, fence) == 1;
    }
    return update("retry", "UPDATE hooks_journal SET attempts = ?, next_attempt_us = ?, lease_until_us = ?, last_error = ? "
        + "WHERE request_id = ? AND fence = ? AND status = 'PENDING'",
        attempts, Micros.of(nextAttemptAt), Micros.of(leaseUntil), Sql.truncate(reason, MAX_ERROR), requestId, fence) == 1;
  }

  @Override
  public boolean deadLetter(String requestId, long fence, String reason) {
    if (dialect == Dialect.POSTGRESQL) {
      return update("dead-letter", PG_SETTLE, requestId, fence, "DEAD", 0, Sql.truncate(reason, MAX_ERROR)) == 1;
    }
    return update("dead-letter", "UPDATE hooks_journal SET status = 'DEAD', lease_owner = '', lease_until_us = 0, last_error = ? "
        + "WHERE request_id = ? AND fence = ? AND status = 'PENDING'", Sql.truncate(reason, MAX_ERROR), requestId, fence) == 1;
  }

  @Override
  public boolean replay(String requestId, Instant now) {
    if (dialect == Dialect.POSTGRESQL) {
      // Pending: reset in place. Done or dead: the outcome row moves back to the pending table.
      return update("replay", "UPDATE hooks_journal_pending SET attempts = 0, next_attempt_us = ?, lease_owner = '', "
          + "lease_until_us = 0, fence = fence + 1, last_error = '' WHERE request_id = ?", Micros.of(now), requestId) == 1
          || update("replay", "WITH back AS (DELETE FROM hooks_journal_outcome WHERE request_id = ? RETURNING *) "
          + "INSERT INTO hooks_journal_pending (" + PG_PENDING_COLUMNS + ") SELECT request_id, received_at_us, 0, ?, '', 0, "
          + "fence + 1, '' FROM back", requestId, Micros.of(now)) == 1;
    }
    return update("replay", "UPDATE hooks_journal SET status = 'PENDING', attempts = 0, next_attempt_us = ?, lease_owner = '', "
        + "lease_until_us = 0, fence = fence + 1, last_error = '' WHERE request_id = ?", Micros.of(now), requestId) == 1;
  }

  @Override
  public Optional<JournalEntry> find(String requestId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(dialect == Dialect.POSTGRESQL
            ? PG_SELECT + " WHERE e.request_id = ?" : SELECT + " WHERE j.request_id = ?")) {
      ps.setString(1, requestId);
      List<JournalEntry> found = Sql.readAll(ps, JdbcEventJournal::read);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    } catch (SQLException e) {
      throw unavailable("find", e);
    }
  }

  @Override
  public List<JournalEntry> deadLetters(int max) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(dialect == Dialect.POSTGRESQL
            ? PG_SELECT.replace("LEFT JOIN hooks_journal_outcome o", "JOIN hooks_journal_outcome o")
                + " WHERE o.status = 'DEAD' ORDER BY o.received_at_us, o.request_id LIMIT ?"
            : SELECT + " WHERE j.status = 'DEAD' ORDER BY j.received_at_us, j.request_id LIMIT ?")) {
      ps.setInt(1, max);
      return Sql.readAll(ps, JdbcEventJournal::read);
    } catch (SQLException e) {
      throw unavailable("dead letters", e);
    }
  }

  @Override
  public HistoryPage history(HistoryQuery query) {
    boolean pg = dialect == Dialect.POSTGRESQL;
    String alias = pg ? "e." : "j.";
    StringBuilder sql = new StringBuilder(pg ? PG_SELECT : SELECT).append(" WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (query.endpointId() != null) {
      sql.append(" AND ").append(alias).append("endpoint_id = ?");
      args.add(query.endpointId());
    }
    if (query.status() != null) {
      sql.append(pg ? " AND COALESCE(o.status, 'PENDING') = ?" : " AND j.status = ?");
      args.add(query.status().name());
    }
    if (query.since() != null) {
      sql.append(" AND ").append(alias).append("received_at_us >= ?");
      args.add(Micros.of(query.since()));
    }
    if (query.before() != null) {
      sql.append(" AND ").append(alias).append("request_id < ?");
      args.add(query.before());
    }
    sql.append(" ORDER BY ").append(alias).append("request_id DESC LIMIT ?");
    args.add(query.limit() + 1);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<JournalEntry> found = Sql.readAll(ps, JdbcEventJournal::read);
      if (found.size() <= query.limit()) {
        return new HistoryPage(found, null);
      }
      List<JournalEntry> page = found.subList(0, query.limit());
      return new HistoryPage(page, page.get(page.size() - 1).requestId());
    } catch (SQLException e) {
      throw unavailable("history", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Also removes the dedupe keys whose time to live has ended at the journal's clock and
   * whose entry is gone.
   */
  @Override
  public int purgeDone(Instant before) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int purged;
        String entries;
        if (dialect == Dialect.POSTGRESQL) {
          entries = "hooks_journal_entry";
          try (PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM hooks_journal_outcome WHERE status = 'DONE' "
              + "AND received_at_us < ? RETURNING request_id) DELETE FROM hooks_journal_entry WHERE request_id IN "
              + "(SELECT request_id FROM gone)")) {
            ps.setLong(1, Micros.of(before));
            purged = ps.executeUpdate();
          }
        } else {
          entries = "hooks_journal";
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM hooks_journal_body WHERE request_id IN "
              + "(SELECT request_id FROM hooks_journal WHERE status = 'DONE' AND received_at_us < ?)")) {
            ps.setLong(1, Micros.of(before));
            ps.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM hooks_journal WHERE status = 'DONE' AND received_at_us < ?")) {
            ps.setLong(1, Micros.of(before));
            purged = ps.executeUpdate();
          }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM hooks_dedupe WHERE expires_at_us < ? AND NOT EXISTS "
            + "(SELECT 1 FROM " + entries + " j WHERE j.request_id = hooks_dedupe.request_id)")) {
          ps.setLong(1, Micros.of(clock.instant()));
          ps.executeUpdate();
        }
        c.commit();
        return purged;
      } catch (SQLException e) {
        Sql.rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw unavailable("purge", e);
    }
  }

  private void purgeQuietly(Duration retain) {
    try {
      int purged = purgeDone(clock.instant().minus(retain));
      LOG.debug("purged {} done journal entries", purged);
    } catch (RuntimeException e) {
      LOG.warn("journal purge failed: {}", e.getMessage());
    }
  }

  @Override
  public JournalCounts counts() {
    try {
      Map<String, Long> n = dialect == Dialect.POSTGRESQL ? countPostgres(true) : Sql.countByStatus(dataSource, "hooks_journal");
      return new JournalCounts(n.getOrDefault("PENDING", 0L), n.getOrDefault("DONE", 0L), n.getOrDefault("DEAD", 0L));
    } catch (SQLException e) {
      throw unavailable("counts", e);
    }
  }

  /** {@inheritDoc} Reads the status index for the two statuses, never the done entries. */
  @Override
  public Backlog backlog() {
    try {
      Map<String, Long> n = dialect == Dialect.POSTGRESQL
          ? countPostgres(false) : Sql.countByStatus(dataSource, "hooks_journal", "PENDING", "DEAD");
      return new Backlog(n.getOrDefault("PENDING", 0L), n.getOrDefault("DEAD", 0L));
    } catch (SQLException e) {
      throw unavailable("backlog", e);
    }
  }


  /** Entries by status on PostgreSQL; the done ones only if {@code withDone} (they can be many). */
  private Map<String, Long> countPostgres(boolean withDone) throws SQLException {
    String sql = "SELECT (SELECT COUNT(*) FROM hooks_journal_pending), "
        + "(SELECT COUNT(*) FROM hooks_journal_outcome WHERE status = 'DEAD'), "
        + (withDone ? "(SELECT COUNT(*) FROM hooks_journal_outcome WHERE status = 'DONE')" : "0");
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return Map.of("PENDING", rs.getLong(1), "DEAD", rs.getLong(2), "DONE", rs.getLong(3));
    }
  }

  /** Whether the journal is open, its writer runs and the database answers within 2 seconds. */
  @Override
  public boolean isReachable() {
    if (closed || !writes.isRunning()) {
      return false;
    }
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public Durability durability() {
    return durability;
  }

  /**
   * Writes waiting for the group commit: appends, and the dispatcher's batches of completions,
   * which share the queue. A rising number means the database cannot keep up.
   */
  public int queuedAppends() {
    return writes.queued();
  }

  /** Stores what is queued, stops the writer and the purge schedule, then closes the pool. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writes.close();
    if (purger != null) {
      purger.shutdownNow();
    }
    onClose.run();
  }

  private int update(String what, String sql, Object... args) {
    try {
      // Losing an outcome in a database crash only repeats a dispatch (handlers are idempotent),
      // so outcomes need not wait for the WAL flush; the SYNC level keeps them synchronous.
      return Sql.executeOutcome(dataSource, asynchronousOutcomes(), sql, args);
    } catch (SQLException e) {
      throw unavailable(what, e);
    }
  }

  private boolean asynchronousOutcomes() {
    return dialect == Dialect.POSTGRESQL && durability != Durability.SYNC && !asyncSessions;
  }


  private static JournalEntry read(ResultSet rs) throws SQLException {
    Delivery delivery = Delivery.builder(rs.getString("endpoint_id"))
        .receivedAt(Micros.toInstant(rs.getLong("received_at_us")))
        .method(rs.getString("method"))
        .url(rs.getString("url"))
        .headers(HeadersJson.read(rs.getString("headers_json")))
        .body(rs.getBytes("body"))
        .build();
    return new JournalEntry(
        rs.getString("request_id"),
        rs.getString("delivery_id"),
        delivery,
        Status.valueOf(rs.getString("status")),
        rs.getInt("attempts"),
        Micros.toInstant(rs.getLong("next_attempt_us")),
        rs.getString("lease_owner"),
        Micros.toInstant(rs.getLong("lease_until_us")),
        rs.getLong("fence"),
        rs.getString("last_error"));
  }

  private static JournalUnavailableException unavailable(String what, SQLException e) {
    return new JournalUnavailableException("journal " + what + " failed: " + e.getMessage(), e);
  }
}
