package dev.hooks.journal;

import dev.hooks.event.Delivery;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One accepted delivery in the journal and where it stands. The delivery's headers are already
 * redacted (see {@code Endpoint#isSecretHeader}); the body is the exact bytes received.
 *
 * @param requestId the id ingress answered with
 * @param deliveryId the deduplication key within the endpoint (provider header or content hash)
 * @param delivery the request: endpoint id, headers (redacted), body, receivedAt
 * @param status where the entry stands
 * @param attempts handler attempts so far
 * @param nextAttemptAt when the entry is next due
 * @param owner the lease holder, empty when none
 * @param leaseUntil the end of the holder's lease
 * @param fence raised by every claim; writes naming an older fence are refused
 * @param lastError the last failure's reason, empty when none
 */
public record JournalEntry(
    String requestId,
    String deliveryId,
    Delivery delivery,
    Status status,
    int attempts,
    Instant nextAttemptAt,
    String owner,
    Instant leaseUntil,
    long fence,
    String lastError) {

  /** Where an entry stands. */
  public enum Status {
    PENDING,
    DONE,
    DEAD
  }

  public JournalEntry {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    Objects.requireNonNull(lastError, "lastError");
  }

  /** A new pending entry leased to {@code owner} until {@code leaseUntil}, with fence 1. */
  public static JournalEntry accepted(String requestId, String deliveryId, Delivery delivery, String owner, Instant leaseUntil) {
    return new JournalEntry(requestId, deliveryId, delivery, Status.PENDING, 0, delivery.receivedAt(), owner, leaseUntil, 1, "");
  }

  public String endpointId() {
    return delivery.endpointId();
  }

  public Instant receivedAt() {
    return delivery.receivedAt();
  }

  /** A copy with other status, attempts, due time, lease, fence and error. */
  public JournalEntry with(Status status, int attempts, Instant nextAttemptAt, String owner, Instant leaseUntil, long fence, @Nullable String lastError) {
    return new JournalEntry(requestId, deliveryId, delivery, status, attempts, nextAttemptAt, owner, leaseUntil, fence, lastError == null ? "" : lastError);
  }
}
