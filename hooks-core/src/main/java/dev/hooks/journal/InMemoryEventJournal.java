package dev.hooks.journal;

import dev.hooks.journal.JournalEntry.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A journal held in memory, for embedding and tests: entries are lost with the process
 * ({@link Durability#MEMORY}). Thread-safe; every method takes one lock, which is fine for the
 * rates an in-memory journal is meant for.
 */
public final class InMemoryEventJournal implements EventJournal {
  private final Map<String, JournalEntry> byRequestId = new LinkedHashMap<>();
  private final Map<String, String> requestIdByKey = new java.util.HashMap<>();
  private boolean closed;

  @Override
  public synchronized AppendResult append(JournalEntry entry) {
    if (closed) {
      throw new JournalUnavailableException("journal is closed");
    }
    String key = entry.endpointId() + '\u0000' + entry.deliveryId();
    String first = requestIdByKey.putIfAbsent(key, entry.requestId());
    if (first != null) {
      return AppendResult.duplicateOf(first);
    }
    byRequestId.put(entry.requestId(), entry);
    return AppendResult.appended(entry.requestId());
  }

  @Override
  public synchronized List<JournalEntry> claim(String owner, Instant now, Duration lease, int max) {
    List<JournalEntry> due = new ArrayList<>();
    for (JournalEntry e : byRequestId.values()) {
      if (e.status() == Status.PENDING && !e.nextAttemptAt().isAfter(now) && !e.leaseUntil().isAfter(now)) {
        due.add(e);
      }
    }
    due.sort(Comparator.comparing(JournalEntry::receivedAt));
    List<JournalEntry> claimed = new ArrayList<>(Math.min(max, due.size()));
    for (JournalEntry e : due.subList(0, Math.min(max, due.size()))) {
      JournalEntry c = e.with(Status.PENDING, e.attempts(), e.nextAttemptAt(), owner, now.plus(lease), e.fence() + 1, e.lastError());
      byRequestId.put(c.requestId(), c);
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
    byRequestId.put(requestId, e.with(Status.DONE, e.attempts() + 1, e.nextAttemptAt(), "", Instant.EPOCH, fence, ""));
    return true;
  }

  @Override
  public synchronized boolean retryLater(String requestId, long fence, int attempts, Instant nextAttemptAt, Instant leaseUntil, String reason) {
    JournalEntry e = current(requestId, fence);
    if (e == null) {
      return false;
    }
    byRequestId.put(requestId, e.with(Status.PENDING, attempts, nextAttemptAt, e.owner(), leaseUntil, fence, reason));
    return true;
  }

  @Override
  public synchronized boolean deadLetter(String requestId, long fence, String reason) {
    JournalEntry e = current(requestId, fence);
    if (e == null) {
      return false;
    }
    byRequestId.put(requestId, e.with(Status.DEAD, e.attempts(), e.nextAttemptAt(), "", Instant.EPOCH, fence, reason));
    return true;
  }

  @Override
  public synchronized boolean replay(String requestId, Instant now) {
    JournalEntry e = byRequestId.get(requestId);
    if (e == null) {
      return false;
    }
    byRequestId.put(requestId, e.with(Status.PENDING, 0, now, "", Instant.EPOCH, e.fence() + 1, ""));
    return true;
  }

  @Override
  public synchronized Optional<JournalEntry> find(String requestId) {
    return Optional.ofNullable(byRequestId.get(requestId));
  }

  @Override
  public synchronized List<JournalEntry> deadLetters(int max) {
    return byRequestId.values().stream().filter(e -> e.status() == Status.DEAD).limit(max).toList();
  }

  @Override
  public synchronized int purgeDone(Instant before) {
    int[] removed = {0};
    byRequestId.values().removeIf(e -> {
      boolean purge = e.status() == Status.DONE && e.receivedAt().isBefore(before);
      if (purge) {
        requestIdByKey.remove(e.endpointId() + '\u0000' + e.deliveryId());
        removed[0]++;
      }
      return purge;
    });
    return removed[0];
  }

  @Override
  public synchronized JournalCounts counts() {
    long pending = 0;
    long done = 0;
    long dead = 0;
    for (JournalEntry e : byRequestId.values()) {
      switch (e.status()) {
        case PENDING -> pending++;
        case DONE -> done++;
        case DEAD -> dead++;
      }
    }
    return new JournalCounts(pending, done, dead);
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

  private @org.jspecify.annotations.Nullable JournalEntry current(String requestId, long fence) {
    JournalEntry e = byRequestId.get(requestId);
    return e != null && e.status() == Status.PENDING && e.fence() == fence ? e : null;
  }
}
