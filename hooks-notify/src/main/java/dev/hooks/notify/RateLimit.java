package dev.hooks.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate-limit bucket as a target announced it in its answer, such as Discord's
 * {@code X-RateLimit-Bucket}, {@code -Limit}, {@code -Remaining} and {@code -Reset-After}.
 *
 * @param bucket the bucket's id; targets that share it share the limit
 * @param limit requests allowed per window
 * @param remaining requests left in the current window
 * @param resetAfter when the window resets, from the answer's arrival
 */
public record RateLimit(String bucket, int limit, int remaining, Duration resetAfter) {
  public RateLimit {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(resetAfter, "resetAfter");
  }
}
