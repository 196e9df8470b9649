package dev.hooks.outbox;

import dev.hooks.outbox.OutboxEntry.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An outbox held in memory, for embedding and tests: messages survive a restart of the sender
 * but not of the process. Thread-safe; every method takes one lock.
 *
 * <pre>{@code
 * NotificationOutbox outbox = new InMemoryNotificationOutbox();
 * }</pre>
 */
public final class InMemoryNotificationOutbox implements NotificationOutbox {
  private final Map<String, OutboxEntry> byKey = new LinkedHashMap<>();
  private long sequence;
  private final Map<String, Long> order = new java.util.HashMap<>();

  @Override
  public synchronized boolean enqueue(OutboxMessage message) {
    if (byKey.containsKey(message.key())) {
      return false;
    }
    byKey.put(message.key(), OutboxEntry.pending(message));
    order.put(message.key(), sequence++);
    return true;
  }

  @Override
  public synchronized List<OutboxEntry> claim(String owner, Instant now, Duration lease, int max) {
    return claim(owner, now, lease, max, java.util.Set.of());
  }

  @Override
  public synchronized List<OutboxEntry> claim(String owner, Instant now, Duration lease, int max, java.util.Set<String> skipTargets) {
    List<OutboxEntry> due = new ArrayList<>();
    for (OutboxEntry e : byKey.values()) {
      if (e.status() == Status.PENDING && !skipTargets.contains(e.message().target()) && !e.nextAttemptAt().isAfter(now) && !e.leaseUntil().isAfter(now)) {
        due.add(e);
      }
    }
    due.sort(Comparator.comparing((OutboxEntry e) -> e.message().createdAt()).thenComparing(e -> order.get(e.key())));
    List<OutboxEntry> claimed = new ArrayList<>(Math.min(max, due.size()));
    for (OutboxEntry e : due.subList(0, Math.min(max, due.size()))) {
      OutboxEntry c = e.with(Status.PENDING, e.attempts(), e.nextAttemptAt(), owner, now.plus(lease), e.fence() + 1, e.lastError());
      byKey.put(c.key(), c);
      claimed.add(c);
    }
    return claimed;
  }

  @Override
  public synchronized boolean complete(String key, long fence) {
    OutboxEntry e = current(key, fence);
    if (e == null) {
      return false;
    }
    byKey.put(key, e.with(Status.DELIVERED, e.attempts(), e.nextAttemptAt(), "", Instant.EPOCH, fence, ""));
    return true;
  }

  @Override
  public synchronized boolean retryLater(String key, long fence, int attempts, Instant nextAttemptAt, String reason) {
    OutboxEntry e = current(key, fence);
    if (e == null) {
      return false;
    }
    byKey.put(key, e.with(Status.PENDING, attempts, nextAttemptAt, "", Instant.EPOCH, fence, reason));
    return true;
  }

  @Override
  public synchronized boolean deadLetter(String key, long fence, String reason) {
    OutboxEntry e = current(key, fence);
    if (e == null) {
      return false;
    }
    byKey.put(key, e.with(Status.DEAD, e.attempts(), e.nextAttemptAt(), "", Instant.EPOCH, fence, reason));
    return true;
  }

  @Override
  public synchronized boolean replay(String key, Instant now) {
    OutboxEntry e = byKey.get(key);
    if (e == null) {
      return false;
    }
    byKey.put(key, e.with(Status.PENDING, 0, now, "", Instant.EPOCH, e.fence() + 1, ""));
    return true;
  }

  @Override
  public synchronized Optional<OutboxEntry> find(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  @Override
  public synchronized List<OutboxEntry> deadLetters(int max) {
    return byKey.values().stream().filter(e -> e.status() == Status.DEAD).limit(max).toList();
  }

  @Override
  public synchronized int purgeDelivered(Instant before) {
    int[] removed = {0};
    byKey.values().removeIf(e -> {
      boolean purge = e.status() == Status.DELIVERED && e.message().createdAt().isBefore(before);
      if (purge) {
        order.remove(e.key());
        removed[0]++;
      }
      return purge;
    });
    return removed[0];
  }

  @Override
  public synchronized OutboxCounts counts() {
    long pending = 0;
    long delivered = 0;
    long dead = 0;
    for (OutboxEntry e : byKey.values()) {
      switch (e.status()) {
        case PENDING -> pending++;
        case DELIVERED -> delivered++;
        case DEAD -> dead++;
      }
    }
    return new OutboxCounts(pending, delivered, dead);
  }

  @Override
  public synchronized Optional<Instant> nextDue() {
    Instant next = null;
    for (OutboxEntry e : byKey.values()) {
      if (e.status() == Status.PENDING) {
        Instant at = e.leaseUntil().isAfter(e.nextAttemptAt()) ? e.leaseUntil() : e.nextAttemptAt();
        if (next == null || at.isBefore(next)) {
          next = at;
        }
      }
    }
    return Optional.ofNullable(next);
  }

  private @Nullable OutboxEntry current(String key, long fence) {
    OutboxEntry e = byKey.get(key);
    return e != null && e.status() == Status.PENDING && e.fence() == fence ? e : null;
  }
}
