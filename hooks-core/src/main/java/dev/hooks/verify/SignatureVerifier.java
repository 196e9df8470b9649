package dev.hooks.verify;

import dev.hooks.event.Delivery;

/**
 * Proves a delivery authentic from its raw bytes and headers.
 *
 * <p>Contract for implementations: thread-safe; never throws for bad input (a missing,
 * malformed or wrong signature is a {@link Verification} value); compares decoded bytes in
 * constant time; never logs or returns a secret; reads time from the delivery's
 * {@link Delivery#receivedAt()} or an injected {@link java.time.Clock}, never the wall clock
 * directly.
 */
@FunctionalInterface
public interface SignatureVerifier {

  /** A verifier that accepts every delivery, for endpoints that are deliberately unsigned. */
  static SignatureVerifier none() {
    return NoVerification.INSTANCE;
  }

  /**
   * Checks {@code delivery}.
   *
   * @return {@link Verification#ok()} or a rejection with its reason; never null
   */
  Verification verify(Delivery delivery);

  /** A short name for logs and status pages, such as {@code github-sha256}. */
  default String name() {
    return getClass().getSimpleName();
  }
}

final class NoVerification implements SignatureVerifier {
  static final NoVerification INSTANCE = new NoVerification();

  private NoVerification() {}

  @Override
  public Verification verify(Delivery delivery) {
    return Verification.ok();
  }

  @Override
  public String name() {
    return "none";
  }
}
