package dev.hooks.embedded;

import dev.hooks.embedded.internal.Codec;
import dev.hooks.embedded.internal.Codec.State;
import dev.hooks.event.Delivery;
import dev.hooks.journal.AppendResult;
import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.HistoryPage;
import dev.hooks.journal.HistoryQuery;
import dev.hooks.journal.JournalCounts;
import dev.hooks.journal.JournalEntry;
import dev.hooks.journal.JournalEntry.Status;
import dev.hooks.journal.JournalUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of one process on RocksDB, in one directory: the default of hooks-server and the
 * Spring starter, with nothing to install.
 *
 * <p>Column families: {@code deliveries} (request id → the delivery, written once; bodies in blob
 * files, never rewritten by compaction), {@code states} (request id → status, attempts, due time,
 * lease, fence, last error), {@code dedupe} (endpoint + delivery id → request id), and three
 * time-ordered indexes: {@code claimable} (pending entries by the instant a claim may take them:
 * the later of due time and lease end), {@code dead} and {@code done} (by received-at, for the
 * dead-letter list and retention). Every change is one {@link WriteBatch}: atomic, through the
 * write-ahead log.
 *
 * <p>Durability: {@link Durability#OS} writes the log to the operating system before {@link
 * #append} returns (an entry survives the process being killed); {@link Durability#SYNC} also
 * fsyncs it, and appends that arrive together share one fsync (RocksDB's group commit). A log
 * record torn by a crash is dropped at the next open (RocksDB's recovery), never read as an
 * entry.
 *
 * <p>One process: RocksDB locks the directory, so no other process holds a lease on its entries.
 * At open, leases of the previous process are therefore released at once and its pending entries
 * are claimable without waiting for their lease to end. Replicas sharing work need the JDBC
 * journal on PostgreSQL.
 *
 * <p>Thread-safe: writes to one entry are serialized by a lock stripe of its request id, appends
 * of one delivery id by a stripe of its dedupe key.
 */
public final class EmbeddedEventJournal implements EventJournal {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedEventJournal.class);
  private static final int STRIPES = 256;
  /** The most states one {@link #history} call reads. */
  static final int HISTORY_SCAN = 10_000;
  private static final byte[] EMPTY = new byte[0];

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final Durability durability;
  private final DBOptions options;
  private final ColumnFamilyOptions blobOptions;
  private final ColumnFamilyOptions smallOptions;
  private final LRUCache cache;
  private final BloomFilter bloom;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final ColumnFamilyHandle deliveries;
  private final ColumnFamilyHandle states;
  private final ColumnFamilyHandle dedupe;
  private final ColumnFamilyHandle claimable;
  private final ColumnFamilyHandle dead;
  private final ColumnFamilyHandle done;
  private final WriteOptions write;
  private final ReentrantLock[] entryLocks = new ReentrantLock[STRIPES];
  private final ReentrantLock[] dedupeLocks = new ReentrantLock[STRIPES];
  private final AtomicLong pendingCount = new AtomicLong();
  /** Counted on the first {@link #counts()} (it reads every done entry), then kept; -1 until then. */
  private final AtomicLong doneCount = new AtomicLong(-1);
  private final AtomicLong deadCount = new AtomicLong();
  private final @Nullable ScheduledExecutorService purger;
  /**
   * Where a claim starts reading {@code claimable} (epoch millis): no pending key is older. A queue
   * in RocksDB leaves a tombstone per removed key until compaction; reading from the floor, and
   * compacting the index every {@value #COMPACT_CLAIMABLE_AFTER} removals, keeps claims from
   * scanning them.
   */
  private final AtomicLong claimFloor = new AtomicLong(Long.MIN_VALUE);
  /** The oldest claimable key written since the last claim read the floor. */
  private final AtomicLong writtenSinceClaim = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong claimableRemovals = new AtomicLong();
  private static final long COMPACT_CLAIMABLE_AFTER = 100_000;
  private volatile boolean closed;

  private EmbeddedEventJournal(Builder b) {
    this.dir = b.dir;
    this.durability = b.durability;
    Clock clock = b.clock;
    for (int i = 0; i < STRIPES; i++) {
      entryLocks[i] = new ReentrantLock();
      dedupeLocks[i] = new ReentrantLock();
    }
    cache = new LRUCache(32L << 20);
    options = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setMaxLogFileSize(1 << 20)
        .setKeepLogFileNum(2)
        // The log holds the bodies: at 64 MB it forced a flush of every small column family about
        // once a second under load, and their compactions cost more than the appends. 256 MB lets
        // them flush a quarter as often; a full log adds about a second to the next open (replay).
        .setMaxTotalWalSize(256L << 20)
        // Many request threads on few cores: one leader writes a group's log record and memtable
        // entries while the others sleep, instead of waking each to insert its own in parallel
        // (RocksDB's pipelined and concurrent memtable writes) or spinning before it sleeps.
        .setEnablePipelinedWrite(false)
        .setAllowConcurrentMemtableWrite(false)
        .setEnableWriteThreadAdaptiveYield(false);
    BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache);
    blobOptions = new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setEnableBlobFiles(true)
        .setMinBlobSize(512)
        .setBlobFileSize(64L << 20)
        // JSON bodies shrink to a third; LZ4 costs less than writing the bytes it saves.
        .setBlobCompressionType(CompressionType.LZ4_COMPRESSION)
        // No blob garbage collection: it rewrites the oldest live bodies at every compaction. Bodies
        // are deleted oldest first (retention), so whole blob files turn to garbage and are dropped.
        .setEnableBlobGarbageCollection(false)
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setWriteBufferSize(32L << 20);
    // Bloom filters: an append looks up a dedupe key that is almost never there.
    bloom = new BloomFilter(10);
    smallOptions = new ColumnFamilyOptions()
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom))
        .setWriteBufferSize(8L << 20);
    List<ColumnFamilyDescriptor> families = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, smallOptions),
        new ColumnFamilyDescriptor(Codec.utf8("deliveries"), blobOptions),
        new ColumnFamilyDescriptor(Codec.utf8("states"), smallOptions),
        new ColumnFamilyDescriptor(Codec.utf8("dedupe"), smallOptions),
        new ColumnFamilyDescriptor(Codec.utf8("claimable"), smallOptions),
        new ColumnFamilyDescriptor(Codec.utf8("dead"), smallOptions),
        new ColumnFamilyDescriptor(Codec.utf8("done"), smallOptions));
    try {
      createPrivateDirectory(dir);
      db = RocksDB.open(options, dir.toString(), families, handles);
    } catch (RocksDBException | java.io.IOException e) {
      closeOptions();
      throw new JournalUnavailableException("cannot open the embedded journal in " + dir + ": " + e.getMessage(), e);
    }
    deliveries = handles.get(1);
    states = handles.get(2);
    dedupe = handles.get(3);
    claimable = handles.get(4);
    dead = handles.get(5);
    done = handles.get(6);
    write = new WriteOptions().setSync(durability == Durability.SYNC);
    recover(clock.instant());
    if (b.purgeInterval.isZero()) {
      purger = null;
    } else {
      purger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hooks-embedded-purge");
        t.setDaemon(true);
        return t;
      });
      Duration retain = b.retainDone;
      long every = b.purgeInterval.toMillis();
      purger.scheduleWithFixedDelay(() -> purgeQuietly(clock.instant().minus(retain)), every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Opens (or creates) the journal in {@code dir}, without a purge schedule.
   *
   * @throws JournalUnavailableException if the directory cannot be opened (another process
   *     holds it, or it is not a journal)
   */
  public static EmbeddedEventJournal open(Path dir, Durability durability) {
    return builder(dir).durability(durability).purgeInterval(Duration.ZERO).build();
  }

  /** A builder of the journal in {@code dir}: durability {@code OS}, done entries kept 7 days, purged every 10 minutes. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** Options of {@link EmbeddedEventJournal}. */
  public static final class Builder {
    private final Path dir;
    private Durability durability = Durability.OS;
    private Duration retainDone = Duration.ofDays(7);
    private Duration purgeInterval = Duration.ofMinutes(10);
    private Clock clock = Clock.systemUTC();

    private Builder(Path dir) {
      this.dir = dir;
    }

    public Builder durability(Durability durability) {
      this.durability = durability;
      return this;
    }

    /** How long done entries (and their dedupe keys) are kept, by their receive time. */
    public Builder retainDone(Duration retain) {
      if (retain.isNegative()) {
        throw new IllegalArgumentException("retainDone must not be negative: " + retain);
      }
      this.retainDone = retain;
      return this;
    }

    /** How often the purge of done entries runs; {@link Duration#ZERO} turns it off. */
    public Builder purgeInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("purgeInterval must not be negative: " + interval);
      }
      this.purgeInterval = interval;
      return this;
    }

    /** The clock of the purge and of the lease release at open. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Opens the journal.
     *
     * @throws JournalUnavailableException if the directory cannot be opened
     */
    public EmbeddedEventJournal build() {
      return new EmbeddedEventJournal(this);
    }
  }

  private void purgeQuietly(Instant before) {
    try {
      int n = purgeDone(before);
      if (n > 0) {
        LOG.info("embedded journal {}: purged {} done entries received before {}", dir, n, before);
      }
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn("embedded journal {}: purge failed: {}", dir, e.getMessage());
      }
    }
  }

  /** The directory of the journal's files. */
  public Path directory() {
    return dir;
  }

  @Override
  public AppendResult append(JournalEntry entry) {
    checkOpen();
    byte[] key = Codec.dedupeKey(entry.endpointId(), entry.deliveryId());
    ReentrantLock lock = dedupeLocks[Math.floorMod(Arrays.hashCode(key), STRIPES)];
    lock.lock();
    try {
      byte[] first = db.get(dedupe, key);
      if (first != null) {
        return AppendResult.duplicateOf(Codec.utf8(first));
      }
      byte[] id = Codec.utf8(entry.requestId());
      State state = State.of(entry);
      try (WriteBatch batch = new WriteBatch()) {
        batch.put(deliveries, id, Codec.delivery(entry.delivery()));
        batch.put(states, id, Codec.state(state));
        batch.put(dedupe, key, id);
        index(batch, entry.requestId(), state);
        db.write(write, batch);
      }
      written(state);
      count(null, state.status());
      return AppendResult.appended(entry.requestId());
    } catch (RocksDBException e) {
      throw unavailable("append", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<JournalEntry> claim(String owner, Instant now, Duration lease, int max) {
    checkOpen();
    List<JournalEntry> out = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    long lower = Math.min(claimFloor.get(), writtenSinceClaim.getAndSet(Long.MAX_VALUE));
    long upperMillis = Codec.millis(now) + 1;
    long firstSeen = upperMillis;
    try (Slice upper = new Slice(Codec.timeBound(upperMillis));
        ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(claimable, read)) {
      // Twice max: some candidates may be taken by a concurrent claimer before we lock them.
      for (it.seek(Codec.timeBound(lower)); it.isValid() && candidates.size() < max * 2; it.next()) {
        if (candidates.isEmpty()) {
          firstSeen = Codec.millis(Codec.keyTime(it.key()));
        }
        candidates.add(Codec.keyRequestId(it.key()));
      }
    }
    // Nothing older than the first key seen is pending; keys written meanwhile are in writtenSinceClaim.
    claimFloor.set(firstSeen);
    Instant until = now.plus(lease);
    for (String requestId : candidates) {
      if (out.size() == max) {
        break;
      }
      ReentrantLock lock = entryLock(requestId);
      lock.lock();
      try {
        State s = readState(requestId);
        if (s == null || s.status() != Status.PENDING || s.nextAttemptAt().isAfter(now) || s.leaseUntil().isAfter(now)) {
          continue;
        }
        State claimed = s.with(Status.PENDING, s.attempts(), s.nextAttemptAt(), owner, until, s.fence() + 1, s.lastError());
        rewrite(requestId, s, claimed);
        byte[] d = db.get(deliveries, Codec.utf8(requestId));
        if (d != null) {
          out.add(claimed.entry(requestId, Codec.delivery(d)));
        }
      } catch (RocksDBException e) {
        throw unavailable("claim", e);
      } finally {
        lock.unlock();
      }
    }
    return out;
  }

  @Override
  public boolean complete(String requestId, long fence) {
    return completeAll(List.of(new Completion(requestId, fence))) == 1;
  }

  @Override
  public int completeAll(List<Completion> completions) {
    checkOpen();
    // One batch for all: lock the stripes in index order, so two batches never wait on each other.
    int[] stripes = completions.stream().mapToInt(c -> stripe(c.requestId())).distinct().sorted().toArray();
    for (int s : stripes) {
      entryLocks[s].lock();
    }
    try (WriteBatch batch = new WriteBatch()) {
      int n = 0;
      for (Completion c : completions) {
        State s = readState(c.requestId());
        if (s == null || s.status() != Status.PENDING || s.fence() != c.fence()) {
          continue;
        }
        State completed = s.with(Status.DONE, s.attempts() + 1, s.nextAttemptAt(), "", Instant.EPOCH, s.fence(), "");
        stage(batch, c.requestId(), s, completed);
        n++;
      }
      if (n > 0) {
        db.write(write, batch);
        pendingCount.addAndGet(-n);
        addDone(n);
        removedClaimable(n);
      }
      return n;
    } catch (RocksDBException e) {
      throw unavailable("complete", e);
    } finally {
      for (int i = stripes.length - 1; i >= 0; i--) {
        entryLocks[stripes[i]].unlock();
      }
    }
  }

  @Override
  public boolean retryLater(String requestId, long fence, int attempts, Instant nextAttemptAt, Instant leaseUntil, String reason) {
    return update(requestId, fence, s -> s.with(Status.PENDING, attempts, nextAttemptAt, s.owner(), leaseUntil, s.fence(), reason));
  }

  @Override
  public boolean deadLetter(String requestId, long fence, String reason) {
    return update(requestId, fence, s -> s.with(Status.DEAD, s.attempts(), s.nextAttemptAt(), "", Instant.EPOCH, s.fence(), reason));
  }

  @Override
  public boolean replay(String requestId, Instant now) {
    checkOpen();
    ReentrantLock lock = entryLock(requestId);
    lock.lock();
    try {
      State s = readState(requestId);
      if (s == null) {
        return false;
      }
      rewrite(requestId, s, s.with(Status.PENDING, 0, now, "", Instant.EPOCH, s.fence() + 1, ""));
      return true;
    } catch (RocksDBException e) {
      throw unavailable("replay", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<JournalEntry> find(String requestId) {
    checkOpen();
    try {
      byte[] id = Codec.utf8(requestId);
      byte[] s = db.get(states, id);
      byte[] d = s == null ? null : db.get(deliveries, id);
      return s == null || d == null ? Optional.empty() : Optional.of(Codec.state(s).entry(requestId, Codec.delivery(d)));
    } catch (RocksDBException e) {
      throw unavailable("find", e);
    }
  }

  @Override
  public List<JournalEntry> deadLetters(int max) {
    checkOpen();
    List<JournalEntry> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(dead)) {
      for (it.seekToFirst(); it.isValid() && out.size() < max; it.next()) {
        find(Codec.keyRequestId(it.key())).filter(e -> e.status() == Status.DEAD).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Walks the states backwards from {@code before}, reading a delivery only for an entry that
   * passes the filters; one call reads at most {@value #HISTORY_SCAN} states, so a filter that
   * matches rarely returns a short page with a {@code next} to go on from.
   */
  @Override
  public HistoryPage history(HistoryQuery query) {
    checkOpen();
    List<JournalEntry> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(states)) {
      if (query.before() == null) {
        it.seekToLast();
      } else {
        it.seekForPrev(Codec.utf8(query.before()));
        if (it.isValid() && Codec.utf8(it.key()).equals(query.before())) {
          it.prev();
        }
      }
      String last = null;
      for (int scanned = 0; it.isValid(); it.prev(), scanned++) {
        if (scanned == HISTORY_SCAN || out.size() == query.limit()) {
          return new HistoryPage(out, last);
        }
        last = Codec.utf8(it.key());
        State s = Codec.state(it.value());
        if (query.endpointId() != null && !query.endpointId().equals(s.endpointId())
            || query.status() != null && query.status() != s.status()
            || query.since() != null && s.receivedAt().isBefore(query.since())) {
          continue;
        }
        byte[] d = db.get(deliveries, it.key());
        if (d != null) {
          out.add(s.entry(last, Codec.delivery(d)));
        }
      }
      return new HistoryPage(out, null);
    } catch (RocksDBException e) {
      throw unavailable("history", e);
    }
  }

  @Override
  public int purgeDone(Instant before) {
    checkOpen();
    int purged = 0;
    byte[] from = null;
    while (!closed) {
      List<byte[]> keys = new ArrayList<>();
      try (Slice upper = new Slice(Codec.timeBound(before));
          ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
          RocksIterator it = db.newIterator(done, read)) {
        // Seek past what the last batch deleted rather than scan its tombstones again.
        if (from == null) {
          it.seekToFirst();
        } else {
          it.seek(from);
        }
        for (; it.isValid() && keys.size() < 1000; it.next()) {
          if (from == null || !Arrays.equals(it.key(), from)) {
            keys.add(it.key());
          }
        }
      }
      if (keys.isEmpty()) {
        break;
      }
      from = keys.get(keys.size() - 1);
      purged += purgeBatch(keys);
      if (keys.size() < 1000) {
        break;
      }
    }
    if (purged > 0) {
      try {
        // Return the space now: drop the tombstones and the bodies' blob files, and flush every
        // family (the claim index too), so that no memtable holds on to an older log file.
        for (ColumnFamilyHandle h : handles) {
          db.compactRange(h);
        }
      } catch (RocksDBException e) {
        LOG.warn("compaction after purging {} entries failed: {}", purged, e.getMessage());
      }
    }
    return purged;
  }

  /** Deletes the done entries of these index keys in one batch, their stripes locked in order. */
  private int purgeBatch(List<byte[]> keys) {
    int[] stripes = keys.stream().mapToInt(k -> stripe(Codec.keyRequestId(k))).distinct().sorted().toArray();
    for (int st : stripes) {
      entryLocks[st].lock();
    }
    try (WriteBatch batch = new WriteBatch()) {
      int n = 0;
      for (byte[] key : keys) {
        String requestId = Codec.keyRequestId(key);
        State s = readState(requestId);
        if (s != null && s.status() != Status.DONE) {
          continue; // replayed since the index was read
        }
        batch.delete(done, key);
        if (s != null) {
          byte[] id = Codec.utf8(requestId);
          batch.delete(states, id);
          batch.delete(deliveries, id);
          batch.delete(dedupe, Codec.dedupeKey(s.endpointId(), s.deliveryId()));
          n++;
        }
      }
      db.write(write, batch);
      addDone(-n);
      return n;
    } catch (RocksDBException e) {
      throw unavailable("purge", e);
    } finally {
      for (int i = stripes.length - 1; i >= 0; i--) {
        entryLocks[stripes[i]].unlock();
      }
    }
  }

  @Override
  public JournalCounts counts() {
    checkOpen();
    synchronized (doneCount) {
      if (doneCount.get() < 0) {
        doneCount.set(count(done));
      }
    }
    return new JournalCounts(pendingCount.get(), doneCount.get(), deadCount.get());
  }

  /** Keeps the done count once it is known; before, {@link #counts()} will read it. */
  private void addDone(long n) {
    doneCount.getAndUpdate(c -> c < 0 ? c : c + n);
  }

  @Override
  public Backlog backlog() {
    checkOpen();
    return new Backlog(pendingCount.get(), deadCount.get());
  }

  @Override
  public boolean isReachable() {
    return !closed;
  }

  @Override
  public Durability durability() {
    return durability;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (purger != null) {
      purger.shutdownNow();
      try {
        purger.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Wait for writers holding a stripe, so none writes to a closed database.
    for (ReentrantLock l : entryLocks) {
      l.lock();
    }
    for (ReentrantLock l : dedupeLocks) {
      l.lock();
    }
    try {
      try {
        db.syncWal();
      } catch (RocksDBException e) {
        LOG.warn("syncing the journal's log at close: {}", e.getMessage());
      }
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      write.close();
      closeOptions();
    } finally {
      for (ReentrantLock l : dedupeLocks) {
        l.unlock();
      }
      for (ReentrantLock l : entryLocks) {
        l.unlock();
      }
    }
  }

  @Override
  public String toString() {
    return "EmbeddedEventJournal[" + dir + ", " + durability + "]";
  }

  // ---------------------------------------------------------------- internals

  private interface Change {
    State apply(State s);
  }

  private boolean update(String requestId, long fence, Change change) {
    checkOpen();
    ReentrantLock lock = entryLock(requestId);
    lock.lock();
    try {
      State s = readState(requestId);
      if (s == null || s.status() != Status.PENDING || s.fence() != fence) {
        return false;
      }
      rewrite(requestId, s, change.apply(s));
      return true;
    } catch (RocksDBException e) {
      throw unavailable("update", e);
    } finally {
      lock.unlock();
    }
  }

  /** Writes an entry's new state with its index keys, under the entry's lock. */
  private void rewrite(String requestId, State before, State after) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      stage(batch, requestId, before, after);
      db.write(write, batch);
    }
    written(after);
    if (before.status() == Status.PENDING) {
      removedClaimable(1);
    }
    count(before.status(), after.status());
  }

  /** After a write made {@code s} visible: a pending entry's key may be older than the claim floor. */
  private void written(State s) {
    if (s.status() == Status.PENDING) {
      writtenSinceClaim.accumulateAndGet(Codec.millis(s.claimableAt()), Math::min);
    }
  }

  /** Counts removed claimable keys; past the bound, compacts the index so its tombstones go. */
  private void removedClaimable(long n) {
    if (claimableRemovals.addAndGet(n) < COMPACT_CLAIMABLE_AFTER) {
      return;
    }
    claimableRemovals.set(0);
    try {
      db.compactRange(claimable);
    } catch (RocksDBException e) {
      LOG.debug("compacting the claimable index failed: {}", e.getMessage());
    }
  }

  private void stage(WriteBatch batch, String requestId, State before, State after) throws RocksDBException {
    unindex(batch, requestId, before);
    batch.put(states, Codec.utf8(requestId), Codec.state(after));
    index(batch, requestId, after);
  }

  private void index(WriteBatch batch, String requestId, State s) throws RocksDBException {
    switch (s.status()) {
      case PENDING -> batch.put(claimable, Codec.timeKey(s.claimableAt(), requestId), EMPTY);
      case DONE -> batch.put(done, Codec.timeKey(s.receivedAt(), requestId), EMPTY);
      case DEAD -> batch.put(dead, Codec.timeKey(s.receivedAt(), requestId), EMPTY);
    }
  }

  private void unindex(WriteBatch batch, String requestId, State s) throws RocksDBException {
    switch (s.status()) {
      case PENDING -> batch.delete(claimable, Codec.timeKey(s.claimableAt(), requestId));
      case DONE -> batch.delete(done, Codec.timeKey(s.receivedAt(), requestId));
      case DEAD -> batch.delete(dead, Codec.timeKey(s.receivedAt(), requestId));
    }
  }

  private void count(@Nullable Status before, Status after) {
    if (before == after) {
      return;
    }
    if (before != null) {
      add(before, -1);
    }
    add(after, 1);
  }

  private void add(Status s, long n) {
    switch (s) {
      case PENDING -> pendingCount.addAndGet(n);
      case DONE -> addDone(n);
      case DEAD -> deadCount.addAndGet(n);
    }
  }

  private @Nullable State readState(String requestId) throws RocksDBException {
    byte[] s = db.get(states, Codec.utf8(requestId));
    return s == null ? null : Codec.state(s);
  }

  /**
   * Counts the entries by status and releases the previous process's leases: it is gone (RocksDB
   * locks the directory), so its pending entries may be claimed now.
   */
  private void recover(Instant now) {
    long released = 0;
    try (WriteBatch batch = new WriteBatch()) {
      List<String> leased = new ArrayList<>();
      try (RocksIterator it = db.newIterator(claimable)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          pendingCount.incrementAndGet();
          if (Codec.keyTime(it.key()).isAfter(now)) {
            leased.add(Codec.keyRequestId(it.key()));
          }
        }
      }
      for (String requestId : leased) {
        State s = readState(requestId);
        if (s != null && s.status() == Status.PENDING && s.leaseUntil().isAfter(now)) {
          stage(batch, requestId, s, s.with(Status.PENDING, s.attempts(), s.nextAttemptAt(), "", now, s.fence(), s.lastError()));
          released++;
        }
      }
      if (released > 0) {
        db.write(write, batch);
      }
      deadCount.set(count(dead));
    } catch (RocksDBException e) {
      throw unavailable("recover", e);
    }
    if (pendingCount.get() > 0) {
      LOG.info("embedded journal {}: {} pending entries ({} leases of the previous process released), {} dead letters", dir,
          pendingCount.get(), released, deadCount.get());
    }
  }

  private long count(ColumnFamilyHandle family) {
    long n = 0;
    try (RocksIterator it = db.newIterator(family)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        n++;
      }
    }
    return n;
  }

  private ReentrantLock entryLock(String requestId) {
    return entryLocks[stripe(requestId)];
  }

  private static int stripe(String requestId) {
    return Math.floorMod(requestId.hashCode(), STRIPES);
  }

  private void checkOpen() {
    if (closed) {
      throw new JournalUnavailableException("the embedded journal in " + dir + " is closed");
    }
  }

  private JournalUnavailableException unavailable(String what, RocksDBException e) {
    return new JournalUnavailableException("embedded journal " + what + " failed: " + e.getMessage(), e);
  }

  private void closeOptions() {
    options.close();
    blobOptions.close();
    smallOptions.close();
    cache.close();
    bloom.close();
  }

  private static void createPrivateDirectory(Path dir) throws java.io.IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }
}
