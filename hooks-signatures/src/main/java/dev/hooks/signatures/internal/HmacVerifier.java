package dev.hooks.signatures.internal;

import dev.hooks.event.Delivery;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The engine of every HMAC scheme: a scheme-specific {@link Extractor} reads the signatures and
 * what was signed; this computes the MAC under every current secret, compares it with every
 * candidate in constant time without stopping at the first match, and only then checks the
 * replay window. Thread-safe.
 */
public final class HmacVerifier implements SignatureVerifier {

  /** Reads a delivery; must not throw for any input. */
  @FunctionalInterface
  public interface Extractor {
    Extracted extract(Delivery delivery);
  }

  private final String name;
  private final List<HmacKey> keys;
  private final Extractor extractor;
  private final @Nullable Duration tolerance;
  private final Clock clock;
  /** Whether a verification needs the time: a replay window or a secret with a not-after instant. */
  private final boolean needsTime;

  public HmacVerifier(String name, List<HmacKey> keys, Extractor extractor, @Nullable Duration tolerance, Clock clock) {
    this.name = name;
    this.keys = List.copyOf(keys);
    this.extractor = extractor;
    this.tolerance = tolerance;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.needsTime = tolerance != null || this.keys.stream().anyMatch(HmacKey::expires);
  }

  @Override
  public Verification verify(Delivery delivery) {
    Extracted e;
    try {
      e = extractor.extract(delivery);
    } catch (RuntimeException ex) {
      return Verification.rejected(Verification.Reason.MALFORMED, name + ": unreadable request (" + ex.getClass().getSimpleName() + ")");
    }
    if (e.rejection != null) {
      return e.rejection;
    }
    Instant now = needsTime ? clock.instant() : Instant.EPOCH;
    if (!matches(keys, e.signatures, e.parts, now)) {
      return Verification.rejected(Verification.Reason.MISMATCH, name + ": no signature matches a current secret");
    }
    long ts = e.timestampMillis;
    if (e.lateTimestamp != null) {
      Extracted late = e.lateTimestamp.get();
      if (late.rejection != null) {
        return late.rejection;
      }
      ts = late.timestampMillis;
    }
    if (tolerance != null && ts != Extracted.NO_TIMESTAMP) {
      Verification stale = Window.check(ts, now, tolerance);
      if (stale != null) {
        return stale;
      }
    }
    return Verification.ok();
  }

  /**
   * Whether any candidate equals the MAC of {@code parts} under any key valid at {@code now}.
   * Every key and every candidate is tried, so the time taken does not tell which matched.
   */
  public static boolean matches(List<HmacKey> keys, List<byte[]> candidates, byte[][] parts, Instant now) {
    boolean match = false;
    for (int k = 0; k < keys.size(); k++) {
      HmacKey key = keys.get(k);
      if (!key.isValidAt(now)) {
        continue;
      }
      byte[] mac = key.pool().mac(parts);
      for (int i = 0; i < candidates.size(); i++) {
        match |= MessageDigest.isEqual(mac, candidates.get(i));
      }
    }
    return match;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "SignatureVerifier[" + name + ", " + keys.size() + " secret(s)]";
  }
}
