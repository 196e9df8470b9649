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
 * @param resetAfter when the window resets, from the answer's arrival; clamped to
 *     {@code [0, }{@link SendOutcome#MAX_SERVER_WAIT}{@code ]}
 */
public record RateLimit(String bucket, int limit, int remaining, Duration resetAfter) {
  public RateLimit {
    Objects.requireNonNull(bucket, "bucket");
    resetAfter = SendOutcome.clampServerWait(resetAfter);
    limit = Math.max(0, limit);
    remaining = Math.max(0, Math.min(remaining, limit));
  }
}
