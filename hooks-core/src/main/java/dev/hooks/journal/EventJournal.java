package dev.hooks.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable record of accepted deliveries. Ingress appends before it answers 202; the
 * dispatcher claims, completes, retries and dead-letters entries.
 *
 * <p>Work is shared between processes by leases with fencing tokens: {@link #append} gives the
 * new entry to its writer for a lease; {@link #claim} hands out entries that are due and whose
 * lease has expired (a crashed writer's, or one released by {@link #retryLater}), raising the
 * entry's fence; every later write names the fence it was given and is refused (returns
 * {@code false}) if another process has claimed the entry since.
 *
 * <p>Contract for implementations: thread-safe; {@link #append} is durable at the journal's
 * {@link Durability} before it returns and is atomic with the deduplication check, so that of
 * two concurrent appends of one delivery id exactly one is accepted; a failure to store throws
 * {@link JournalUnavailableException}, never returns normally. Implementations are tested
 * with {@code EventJournalContract} from hooks-core's test-jar.
 */
public interface EventJournal extends AutoCloseable {

  /**
   * Stores {@code entry} unless an entry with the same endpoint and delivery id exists.
   *
   * @return the new entry's request id, or the first entry's request id marked duplicate
   * @throws JournalBusyException if the journal cannot take more writes now (ingress answers 429)
   * @throws JournalUnavailableException if the entry could not be stored (ingress answers 503)
   */
  AppendResult append(JournalEntry entry);

  /**
   * Leases up to {@code max} pending entries that are due at {@code now} and not leased to a
   * live holder, oldest first, to {@code owner} until {@code now + lease}, raising each fence.
   *
   * @throws JournalUnavailableException if the journal cannot be read
   */
  List<JournalEntry> claim(String owner, Instant now, Duration lease, int max);

  /** Marks an entry done. {@code false} if the fence is stale or the entry is not pending. */
  boolean complete(String requestId, long fence);

  /**
   * Marks several entries done, each under its own fence; entries whose fence is stale or that
   * are not pending are left as they are. The dispatcher writes completions in batches through
   * this method; implementations should use one transaction for the batch.
   *
   * @return how many entries were marked done
   * @throws JournalUnavailableException if the journal cannot be written; then none, some or
   *     all may have been marked, and those that were not are claimed again after their lease
   */
  default int completeAll(List<Completion> completions) {
    int done = 0;
    for (Completion c : completions) {
      if (complete(c.requestId(), c.fence())) {
        done++;
      }
    }
    return done;
  }

  /**
   * Records a failed attempt: the attempt count, the reason and the next attempt's instant. The
   * holder keeps its lease until {@code leaseUntil}; after it, any process may claim the entry.
   *
   * @return {@code false} if the fence is stale or the entry is not pending
   */
  boolean retryLater(String requestId, long fence, int attempts, Instant nextAttemptAt, Instant leaseUntil, String reason);

  /** Moves an entry to the dead letters with its reason. {@code false} if the fence is stale. */
  boolean deadLetter(String requestId, long fence, String reason);

  /** Puts a done or dead entry back to pending, attempts reset, due now. {@code false} if unknown. */
  boolean replay(String requestId, Instant now);

  Optional<JournalEntry> find(String requestId);

  /** Dead letters, oldest first. */
  List<JournalEntry> deadLetters(int max);

  /** Removes done entries received before {@code before}; dead letters are kept. */
  int purgeDone(Instant before);

  /**
   * Entries newest first, for operators: ordered by request id descending (ingress's request ids
   * sort by arrival), filtered as {@code query} says.
   */
  HistoryPage history(HistoryQuery query);

  /** Entries by status. May read the whole journal (done entries included); see {@link #backlog()}. */
  JournalCounts counts();

  /**
   * Entries waiting for dispatch and dead letters, without counting the done ones: cheap enough
   * for a status page polled often, also when the journal keeps millions of done entries.
   */
  default Backlog backlog() {
    JournalCounts all = counts();
    return new Backlog(all.pending(), all.dead());
  }

  /** Whether the journal can store an entry now; cheap enough for a health probe. */
  boolean isReachable();

  /** The durability of {@link #append}. */
  Durability durability();

  /** What {@link #backlog()} counts. */
  record Backlog(long pending, long dead) {}

  /** An entry to mark done, and the fence its holder was given. */
  record Completion(String requestId, long fence) {}

  /** Releases resources. Entries stay stored. */
  @Override
  void close();
}
