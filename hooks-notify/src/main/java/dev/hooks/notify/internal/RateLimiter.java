package dev.hooks.notify.internal;

import dev.hooks.notify.RateLimit;
import dev.hooks.notify.SendOutcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a sender has learnt of its targets' rate limits: each target's bucket (as the target
 * named it), how many requests are left in it until when, and global pauses per scope. Used to
 * wait before a request that would be refused, instead of after the 429. Thread-safe. Not API.
 */
public final class RateLimiter {
  private static final class Bucket {
    int limit;
    int remaining;
    Instant resetAt = Instant.EPOCH;
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
      // A new window: the whole limit is available again.
      b.remaining = b.limit;
      b.resetAt = Instant.MAX;
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
      b.resetAt = now.plus(r.resetAfter());
    }
    if (outcome.kind() == SendOutcome.Kind.RATE_LIMITED) {
      Instant until = now.plus(outcome.retryAfter().orElse(java.time.Duration.ofSeconds(1)));
      if (outcome.global()) {
        globalUntil.merge(scope, until, (a, c) -> a.isAfter(c) ? a : c);
      } else {
        Bucket b = buckets.computeIfAbsent(bucketOfTarget.getOrDefault(target, target), k -> new Bucket());
        b.remaining = 0;
        if (b.resetAt.isBefore(until) || b.resetAt.equals(Instant.MAX)) {
          b.resetAt = until;
        }
      }
    }
  }
}
