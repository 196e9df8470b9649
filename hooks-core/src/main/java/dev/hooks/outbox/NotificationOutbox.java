package dev.hooks.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Rendered notifications waiting to be sent, so that none is lost when a target is down, rate
 * limited or the process restarts.
 *
 * <p>A handler {@linkplain #enqueue enqueues} each message under a stable idempotency key (see
 * {@link OutboxMessage#idempotencyKey}); enqueueing a key again does nothing, so handling an
 * event twice notifies once. A sender {@linkplain #claim claims} due messages under a lease with
 * a fencing token, then {@linkplain #complete completes}, {@linkplain #retryLater reschedules}
 * or {@linkplain #deadLetter dead-letters} each one naming that fence; a write naming a stale
 * fence is refused, so a sender that paused past its lease cannot overwrite the work of the one
 * that took over. A crashed sender's messages become due again when its lease ends.
 *
 * <p>Contract for implementations: thread-safe; {@link #enqueue} is durable before it returns
 * and atomic with the key check; {@link #claim} hands a message to one holder at a time; a
 * failure to store throws {@link dev.hooks.HooksException}. Messages of one target are claimed
 * oldest first.
 *
 * <pre>{@code
 * NotificationOutbox outbox = new InMemoryNotificationOutbox();
 * outbox.enqueue(message);
 * for (OutboxEntry e : outbox.claim("sender-1", clock.instant(), Duration.ofSeconds(30), 50)) {
 *   outbox.complete(e.key(), e.fence());
 * }
 * }</pre>
 */
public interface NotificationOutbox {

  /**
   * Stores {@code message} as pending and due at its creation, unless its key is already stored.
   *
   * @return {@code true} if stored, {@code false} if the key was already there (in any state)
   */
  boolean enqueue(OutboxMessage message);

  /**
   * Leases up to {@code max} pending messages that are due at {@code now} and not leased to a
   * live holder, oldest first, to {@code owner} until {@code now + lease}, raising each fence.
   */
  List<OutboxEntry> claim(String owner, Instant now, Duration lease, int max);

  /**
   * As {@link #claim(String, Instant, Duration, int)}, leaving the messages of {@code skipTargets}
   * where they are: a sender skips the targets it cannot send to now (waiting for a rate limit, or
   * a request to them still running), so one slow or paced target does not fill every batch and
   * delay the others. Implementations should override it; this default ignores
   * {@code skipTargets}, and the caller then releases what it cannot send.
   */
  default List<OutboxEntry> claim(String owner, Instant now, Duration lease, int max, java.util.Set<String> skipTargets) {
    return claim(owner, now, lease, max);
  }

  /** Marks a message delivered. {@code false} if the fence is stale or it is not pending. */
  boolean complete(String key, long fence);

  /**
   * Releases a message to be tried again at {@code nextAttemptAt}, recording {@code attempts}
   * (unchanged for a rate-limit wait, one more for a failure) and the reason.
   *
   * @return {@code false} if the fence is stale or it is not pending
   */
  boolean retryLater(String key, long fence, int attempts, Instant nextAttemptAt, String reason);

  /** Moves a message to the dead letters with its reason. {@code false} if the fence is stale. */
  boolean deadLetter(String key, long fence, String reason);

  /**
   * Puts a dead (or delivered) message back to pending, attempts reset, due at {@code now}.
   *
   * @return {@code false} if the key is unknown
   */
  boolean replay(String key, Instant now);

  Optional<OutboxEntry> find(String key);

  /** Dead letters, oldest first. */
  List<OutboxEntry> deadLetters(int max);

  /** Removes delivered messages created before {@code before}; dead letters are kept. */
  int purgeDelivered(Instant before);

  OutboxCounts counts();

  /**
   * The earliest instant a pending message is due or a lease ends, so a sender knows when to
   * look again; empty when nothing is pending.
   */
  default Optional<Instant> nextDue() {
    return Optional.empty();
  }
}
