package dev.hooks.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One message in the outbox and where it stands.
 *
 * @param message what to send
 * @param status where it stands
 * @param attempts failed attempts counted so far (a throttled or rate-limited wait does not count)
 * @param nextAttemptAt when it is next due
 * @param owner the lease holder, empty when none
 * @param leaseUntil the end of the holder's lease; after it any sender may claim the message
 * @param fence raised by every claim; writes naming an older fence are refused
 * @param lastError the last failure's reason (the dead letter's reason once dead), empty when none
 */
public record OutboxEntry(
    OutboxMessage message,
    Status status,
    int attempts,
    Instant nextAttemptAt,
    String owner,
    Instant leaseUntil,
    long fence,
    String lastError) {

  /** Where a message stands. */
  public enum Status {
    /** Waiting to be sent, or being sent under a lease. */
    PENDING,
    /** The target accepted it. */
    DELIVERED,
    /** The target refused it for good, or it ran out of attempts; see {@link #lastError()}. */
    DEAD
  }

  public OutboxEntry {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    Objects.requireNonNull(lastError, "lastError");
  }

  /** A new pending message, due at its creation, unleased, fence 0. */
  public static OutboxEntry pending(OutboxMessage message) {
    return new OutboxEntry(message, Status.PENDING, 0, message.createdAt(), "", Instant.EPOCH, 0, "");
  }

  public String key() {
    return message.key();
  }

  /** A copy with the given state; the message stays. */
  public OutboxEntry with(Status status, int attempts, Instant nextAttemptAt, String owner, Instant leaseUntil, long fence, String lastError) {
    return new OutboxEntry(message, status, attempts, nextAttemptAt, owner, leaseUntil, fence, lastError);
  }
}
