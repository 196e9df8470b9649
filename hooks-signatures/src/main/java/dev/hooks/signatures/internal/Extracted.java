package dev.hooks.signatures.internal;

import dev.hooks.verify.Verification;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a scheme read from a delivery before any MAC is computed: the candidate signatures
 * (decoded), the parts whose concatenation was signed and the signing time, or the reason the
 * request is rejected as it stands.
 */
public final class Extracted {
  /** Marks a scheme that sends no timestamp. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  final @Nullable Verification rejection;
  final List<byte[]> signatures;
  final byte[][] parts;
  final long timestampMillis;
  final @Nullable Supplier<Extracted> lateTimestamp;

  private Extracted(@Nullable Verification rejection, List<byte[]> signatures, byte[][] parts,
      long timestampMillis, @Nullable Supplier<Extracted> lateTimestamp) {
    this.rejection = rejection;
    this.signatures = signatures;
    this.parts = parts;
    this.timestampMillis = timestampMillis;
    this.lateTimestamp = lateTimestamp;
  }

  public static Extracted rejected(Verification.Reason reason, String detail) {
    return new Extracted(Verification.rejected(reason, detail), List.of(), new byte[0][], NO_TIMESTAMP, null);
  }

  /** Signatures over the concatenation of {@code parts}, with no timestamp. */
  public static Extracted of(List<byte[]> signatures, byte[]... parts) {
    return new Extracted(null, signatures, parts, NO_TIMESTAMP, null);
  }

  /** Signatures over {@code parts}, made at {@code epochSeconds}. */
  public static Extracted timed(long epochSeconds, List<byte[]> signatures, byte[]... parts) {
    return new Extracted(null, signatures, parts, Math.multiplyExact(epochSeconds, 1000L), null);
  }

  /** A timestamp in milliseconds, read only after the signature matched (from a signed body). */
  public static Extracted timestampMillis(long epochMillis) {
    return new Extracted(null, List.of(), new byte[0][], epochMillis, null);
  }

  /**
   * Signatures over {@code parts} whose timestamp is read from the signed content once the
   * signature matched; {@code late} answers {@link #timestampMillis} or a rejection.
   */
  public static Extracted withLateTimestamp(List<byte[]> signatures, Supplier<Extracted> late, byte[]... parts) {
    return new Extracted(null, signatures, parts, NO_TIMESTAMP, late);
  }

  public @Nullable Verification rejection() {
    return rejection;
  }
}
