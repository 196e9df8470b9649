package dev.hooks.signatures.internal;

import dev.hooks.verify.Verification;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Replay windows: a signing time more than the tolerance before or after now is stale. */
public final class Window {
  private Window() {}

  /** Null when {@code timestampMillis} is within {@code tolerance} of {@code now}, else STALE. */
  public static @Nullable Verification check(long timestampMillis, Instant now, Duration tolerance) {
    long skew = now.toEpochMilli() - timestampMillis;
    if (Math.abs(skew) > tolerance.toMillis()) {
      return Verification.rejected(Verification.Reason.STALE,
          "timestamp is " + Math.abs(skew) / 1000 + "s " + (skew > 0 ? "old" : "in the future")
              + ", outside the " + tolerance.toSeconds() + "s window");
    }
    return null;
  }

  /** Decimal epoch seconds, at most 12 digits; -1 when it is anything else. */
  public static long parseSeconds(String value) {
    String v = value.trim();
    if (v.isEmpty() || v.length() > 12) {
      return -1;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Long.parseLong(v);
  }
}
