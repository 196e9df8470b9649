package dev.hooks.notify.internal;

import dev.hooks.notify.RateLimit;
import dev.hooks.notify.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a sender has learnt of its targets' rate limits: each target's bucket (as the target
 * named it), how many requests are left in it until when, and global pauses per scope. Used to
 * wait before a request that would be refused, instead of after the 429. Every instant it
 * returns is at most {@link SendOutcome#MAX_SERVER_WAIT} after the answer it was learnt from.
 * Thread-safe. Not API.
 */
public final class RateLimiter {
  private static final class Bucket {
    int limit;
    int remaining;
    Instant resetAt = Instant.EPOCH;
    Duration window = Duration.ofSeconds(1);
  }

  private final Map<String, String> bucketOfTarget = new HashMap<>();
  private final Map<String, Bucket> buckets = new HashMap<>();
  private final Map<String, Instant> globalUntil = new HashMap<>();

  /**
   * When {@code target} may send next, if not now; otherwise takes one request from its bucket
   * and returns empty.
   */
  public synchronized Optional<Instant> tryAcquire(String target, String scope, Instant now) {
    Instant global = globalUntil.get(scope);
    if (global != null && global.isAfter(now)) {
      return Optional.of(global);
    }
    Bucket b = buckets.get(bucketOfTarget.getOrDefault(target, target));
    if (b == null) {
      return Optional.empty();
    }
    if (!b.resetAt.isAfter(now)) {
      if (b.limit <= 0) {
        // Only a 429 without X-RateLimit-* headers was learnt (Slack answers so): its wait is
        // over and no limit is known, so send and learn from the answer.
        return Optional.empty();
      }
      // A new window: the whole limit is available again, for a window as long as the last
      // announced one until an answer says otherwise.
      b.remaining = b.limit;
      b.resetAt = now.plus(b.window);
    }
    if (b.remaining <= 0) {
      return Optional.of(b.resetAt);
    }
    b.remaining--;
    return Optional.empty();
  }

  /** Learns from an answer: the announced bucket, or the wait of a 429. */
  public synchronized void learn(String target, String scope, SendOutcome outcome, Instant now) {
    Optional<RateLimit> announced = outcome.rateLimit();
    if (announced.isPresent()) {
      RateLimit r = announced.get();
      String id = r.bucket().isEmpty() ? target : r.bucket();
      bucketOfTarget.put(target, id);
      Bucket b = buckets.computeIfAbsent(id, k -> new Bucket());
      b.limit = r.limit();
      b.remaining = r.remaining();
      b.resetAt = now.plus(SendOutcome.clampServerWait(r.resetAfter()));
      if (!r.resetAfter().isZero()) {
        b.window = SendOutcome.clampServerWait(r.resetAfter());
      }
    }
    if (outcome.kind() == SendOutcome.Kind.RATE_LIMITED) {
      Instant until = now.plus(SendOutcome.clampServerWait(outcome.retryAfter().orElse(Duration.ofSeconds(1))));
      if (outcome.global()) {
        globalUntil.merge(scope, until, (a, c) -> a.isAfter(c) ? a : c);
      } else {
        Bucket b = buckets.computeIfAbsent(bucketOfTarget.getOrDefault(target, target), k -> new Bucket());
        b.remaining = 0;
        if (b.resetAt.isBefore(until)) {
          b.resetAt = until;
        }
      }
    }
  }
}
