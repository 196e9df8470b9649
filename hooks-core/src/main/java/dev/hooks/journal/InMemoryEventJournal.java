package dev.hooks.journal;

import dev.hooks.journal.JournalEntry.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A journal held in memory, for embedding and tests: entries are lost with the process
 * ({@link Durability#MEMORY}). Thread-safe; every method takes one lock.
 *
 * <p>Pending entries and dead letters are kept until they are done, replayed or purged; done
 * entries are kept for {@link #find} and {@link #replay} up to a bound (the most recently
 * finished {@value #DEFAULT_MAX_DONE} by default), the oldest forgotten first with their dedupe
 * keys, so a long-running process holds a bounded heap. Claims, counts and dead letters look
 * only at the entries of their status, so they cost the same however many entries are done.
 */
public final class InMemoryEventJournal implements EventJournal {
  /** Done entries kept by {@link #InMemoryEventJournal()}. */
  public static final int DEFAULT_MAX_DONE = 10_000;

  private final int maxDone;
  private final Map<String, JournalEntry> byRequestId = new HashMap<>();
  private final Map<String, String> requestIdByKey = new HashMap<>();
  // Request ids by status, each in the order its entries reached that status.
  private final Set<String> pending = new LinkedHashSet<>();
  private final Set<String> done = new LinkedHashSet<>();
  private final Set<String> dead = new LinkedHashSet<>();
  private boolean closed;

  /** Keeps the {@value #DEFAULT_MAX_DONE} most recently done entries. */
  public InMemoryEventJournal() {
    this(DEFAULT_MAX_DONE);
  }

  /** Keeps the {@code maxDone} most recently done entries; 0 forgets an entry once it is done. */
  public InMemoryEventJournal(int maxDone) {
    if (maxDone < 0) {
      throw new IllegalArgumentException("maxDone must not be negative: " + maxDone);
    }
    this.maxDone = maxDone;
  }

  @Override
  public synchronized AppendResult append(JournalEntry entry) {
    if (closed) {
      throw new JournalUnavailableException("journal is closed");
    }
    String first = requestIdByKey.putIfAbsent(keyOf(entry), entry.requestId());
    if (first != null) {
      return AppendResult.duplicateOf(first);
    }
    store(entry);
    return AppendResult.appended(entry.requestId());
  }

  @Override
  public synchronized List<JournalEntry> claim(String owner, Instant now, Duration lease, int max) {
    List<JournalEntry> due = new ArrayList<>();
    for (String id : pending) {
      JournalEntry e = byRequestId.get(id);
      if (!e.nextAttemptAt().isAfter(now) && !e.leaseUntil().isAfter(now)) {
        due.add(e);
      }
    }
    due.sort(Comparator.comparing(JournalEntry::receivedAt));
    List<JournalEntry> claimed = new ArrayList<>(Math.min(max, due.size()));
    for (JournalEntry e : due.subList(0, Math.min(max, due.size()))) {
      JournalEntry c = e.with(Status.PENDING, e.attempts(), e.nextAttemptAt(), owner, now.plus(lease), e.fence() + 1, e.lastError());
      store(c);
      claimed.add(c);
    }
    return claimed;
  }

  @Override
  public synchronized boolean complete(String requestId, long fence) {
    JournalEntry e = current(requestId, fence);
    if (e == null) {
      return false;
    }
    store(e.with(Status.DONE, e.attempts() + 1, e.nextAttemptAt(), "", Instant.EPOCH, fence, ""));
    return true;
  }

  @Override
  public synchronized boolean retryLater(String requestId, long fence, int attempts, Instant nextAttemptAt, Instant leaseUntil, String reason) {
    JournalEntry e = current(requestId, fence);
    if (e == null) {
      return false;
    }
    store(e.with(Status.PENDING, attempts, nextAttemptAt, e.owner(), leaseUntil, fence, reason));
    return true;
  }

  @Override
  public synchronized boolean deadLetter(String requestId, long fence, String reason) {
    JournalEntry e = current(requestId, fence);
    if (e == null) {
      return false;
    }
    store(e.with(Status.DEAD, e.attempts(), e.nextAttemptAt(), "", Instant.EPOCH, fence, reason));
    return true;
  }

  @Override
  public synchronized boolean replay(String requestId, Instant now) {
    JournalEntry e = byRequestId.get(requestId);
    if (e == null) {
      return false;
    }
    store(e.with(Status.PENDING, 0, now, "", Instant.EPOCH, e.fence() + 1, ""));
    return true;
  }

  @Override
  public synchronized Optional<JournalEntry> find(String requestId) {
    return Optional.ofNullable(byRequestId.get(requestId));
  }

  @Override
  public synchronized List<JournalEntry> deadLetters(int max) {
    return dead.stream().map(byRequestId::get).sorted(Comparator.comparing(JournalEntry::receivedAt)).limit(max).toList();
  }

  @Override
  public synchronized HistoryPage history(HistoryQuery query) {
    // Sorted on demand: the map stays a hash map so appends cost no ordering.
    List<JournalEntry> found = byRequestId.values().stream()
        .filter(e -> query.before() == null || e.requestId().compareTo(query.before()) < 0)
        .filter(query::matches)
        .sorted(Comparator.comparing(JournalEntry::requestId).reversed())
        .limit(query.limit() + 1L)
        .toList();
    if (found.size() <= query.limit()) {
      return new HistoryPage(found, null);
    }
    List<JournalEntry> page = found.subList(0, query.limit());
    return new HistoryPage(page, page.get(page.size() - 1).requestId());
  }

  @Override
  public synchronized int purgeDone(Instant before) {
    int removed = 0;
    for (Iterator<String> it = done.iterator(); it.hasNext(); ) {
      JournalEntry e = byRequestId.get(it.next());
      if (e.receivedAt().isBefore(before)) {
        it.remove();
        forget(e);
        removed++;
      }
    }
    return removed;
  }

  @Override
  public synchronized JournalCounts counts() {
    return new JournalCounts(pending.size(), done.size(), dead.size());
  }

  @Override
  public synchronized boolean isReachable() {
    return !closed;
  }

  @Override
  public Durability durability() {
    return Durability.MEMORY;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  /** Stores {@code e}, moves its id when its status changed, and forgets the oldest done entries past the bound. */
  private void store(JournalEntry e) {
    JournalEntry old = byRequestId.put(e.requestId(), e);
    if (old != null && old.status() == e.status()) {
      return;
    }
    if (old != null) {
      idsOf(old.status()).remove(e.requestId());
    }
    idsOf(e.status()).add(e.requestId());
    while (done.size() > maxDone) {
      Iterator<String> oldest = done.iterator();
      JournalEntry forgotten = byRequestId.get(oldest.next());
      oldest.remove();
      forget(forgotten);
    }
  }

  private void forget(JournalEntry e) {
    byRequestId.remove(e.requestId());
    requestIdByKey.remove(keyOf(e), e.requestId());
  }

  private Set<String> idsOf(Status status) {
    return switch (status) {
      case PENDING -> pending;
      case DONE -> done;
      case DEAD -> dead;
    };
  }

  private static String keyOf(JournalEntry e) {
    return e.endpointId() + '\u0000' + e.deliveryId();
  }

  private @Nullable JournalEntry current(String requestId, long fence) {
    JournalEntry e = byRequestId.get(requestId);
    return e != null && e.status() == Status.PENDING && e.fence() == fence ? e : null;
  }
}
