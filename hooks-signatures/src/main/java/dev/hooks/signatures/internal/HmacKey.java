package dev.hooks.signatures.internal;

import dev.hooks.verify.Secret;
import java.time.Instant;

/** One secret with its pool of keyed MACs. Thread-safe. */
public final class HmacKey {
  private final Secret secret;
  private final MacPool pool;

  public HmacKey(Secret secret, byte[] keyBytes, String jcaAlgorithm) {
    this.secret = secret;
    this.pool = new MacPool(jcaAlgorithm, keyBytes);
  }

  public boolean isValidAt(Instant now) {
    return secret.isValidAt(now);
  }

  /** Whether the secret has a not-after instant. */
  public boolean expires() {
    return secret.expiresAfter().isPresent();
  }

  public MacPool pool() {
    return pool;
  }
}
