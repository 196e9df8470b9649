package dev.hooks.verify;

import java.util.Objects;

/**
 * The outcome of a {@link SignatureVerifier}: ok, or rejected with a reason. Ingress answers
 * every rejection 401 (403 for {@link Reason#FORBIDDEN}) without telling the caller which part
 * failed; the detail is for the server's log only and never holds a secret.
 */
public final class Verification {
  private static final Verification OK = new Verification(null, "");

  /** Why a delivery was not accepted as authentic. */
  public enum Reason {
    /** The signature (or token) header is absent. */
    MISSING,
    /** A header is present but cannot be decoded: bad hex, bad base64, unknown layout. */
    MALFORMED,
    /** Decoded fine but matches no configured secret or key. */
    MISMATCH,
    /** The signature matches but its timestamp is outside the replay window, either way. */
    STALE,
    /** The client address is not allowed to send to this endpoint. */
    FORBIDDEN
  }

  private final Reason reason;
  private final String detail;

  private Verification(Reason reason, String detail) {
    this.reason = reason;
    this.detail = detail;
  }

  public static Verification ok() {
    return OK;
  }

  /**
   * @param detail for the server's log: which header, which check; never a secret or signature
   */
  public static Verification rejected(Reason reason, String detail) {
    return new Verification(Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(detail, "detail"));
  }

  public boolean isOk() {
    return reason == null;
  }

  /**
   * @throws IllegalStateException if this is {@link #ok()}
   */
  public Reason reason() {
    if (reason == null) {
      throw new IllegalStateException("an ok verification has no reason");
    }
    return reason;
  }

  public String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return reason == null ? "Verification[ok]" : "Verification[" + reason + ": " + detail + "]";
  }
}
