package dev.hooks.testing;

import dev.hooks.journal.AppendResult;
import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.journal.JournalCounts;
import dev.hooks.journal.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** An in-memory journal whose appends fail with a chosen exception while one is set. */
public final class FlakyJournal implements EventJournal {
  private final InMemoryEventJournal delegate = new InMemoryEventJournal();
  private volatile @Nullable Supplier<RuntimeException> appendFailure;

  public void failAppends(@Nullable Supplier<RuntimeException> failure) {
    this.appendFailure = failure;
  }

  @Override
  public AppendResult append(JournalEntry entry) {
    Supplier<RuntimeException> f = appendFailure;
    if (f != null) {
      throw f.get();
    }
    return delegate.append(entry);
  }

  @Override
  public List<JournalEntry> claim(String owner, Instant now, Duration lease, int max) {
    return delegate.claim(owner, now, lease, max);
  }

  @Override
  public boolean complete(String requestId, long fence) {
    return delegate.complete(requestId, fence);
  }

  @Override
  public boolean retryLater(String requestId, long fence, int attempts, Instant nextAttemptAt, Instant leaseUntil, String reason) {
    return delegate.retryLater(requestId, fence, attempts, nextAttemptAt, leaseUntil, reason);
  }

  @Override
  public boolean deadLetter(String requestId, long fence, String reason) {
    return delegate.deadLetter(requestId, fence, reason);
  }

  @Override
  public boolean replay(String requestId, Instant now) {
    return delegate.replay(requestId, now);
  }

  @Override
  public Optional<JournalEntry> find(String requestId) {
    return delegate.find(requestId);
  }

  @Override
  public List<JournalEntry> deadLetters(int max) {
    return delegate.deadLetters(max);
  }

  @Override
  public dev.hooks.journal.HistoryPage history(dev.hooks.journal.HistoryQuery query) {
    return delegate.history(query);
  }

  @Override
  public int purgeDone(Instant before) {
    return delegate.purgeDone(before);
  }

  @Override
  public JournalCounts counts() {
    return delegate.counts();
  }

  @Override
  public boolean isReachable() {
    return delegate.isReachable();
  }

  @Override
  public Durability durability() {
    return Durability.MEMORY;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
