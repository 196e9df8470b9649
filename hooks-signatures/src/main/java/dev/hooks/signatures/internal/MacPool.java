package dev.hooks.signatures.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed {@link Mac} instances ready to use, so that a verification does not pay for
 * {@code Mac.getInstance} and key set-up. Thread-safe and lock-free: a borrower takes a free slot
 * or clones the keyed prototype; a returned instance goes back to a free slot or is dropped.
 */
public final class MacPool {
  private static final int SLOTS = 2 * Math.max(2, Runtime.getRuntime().availableProcessors());

  private final SecretKeySpec key;
  private final Mac prototype;
  private final AtomicReferenceArray<Mac> slots = new AtomicReferenceArray<>(SLOTS);

  /**
   * @param algorithm a JCA name such as {@code HmacSHA256}
   * @throws IllegalArgumentException if the JDK lacks the algorithm or rejects the key
   */
  public MacPool(String algorithm, byte[] key) {
    try {
      this.key = new SecretKeySpec(key, algorithm);
      prototype = Mac.getInstance(algorithm);
      prototype.init(this.key);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalArgumentException("cannot key " + algorithm + ": " + e.getMessage(), e);
    }
  }

  /** A keyed, reset Mac; give it back with {@link #release}. */
  public Mac borrow() {
    int start = (int) (Thread.currentThread().getId() % SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      Mac m = slots.getAndSet((start + i) % SLOTS, null);
      if (m != null) {
        return m;
      }
    }
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      return fresh();
    }
  }

  /** Returns a Mac taken with {@link #borrow}; it is reset here. */
  public void release(Mac mac) {
    mac.reset();
    int start = (int) (Thread.currentThread().getId() % SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      if (slots.compareAndSet((start + i) % SLOTS, null, mac)) {
        return;
      }
    }
  }

  /** The MAC of the concatenation of {@code parts}. */
  public byte[] mac(byte[]... parts) {
    Mac m = borrow();
    try {
      for (byte[] p : parts) {
        m.update(p);
      }
      return m.doFinal();
    } finally {
      release(m);
    }
  }

  private Mac fresh() {
    try {
      Mac m = Mac.getInstance(prototype.getAlgorithm(), prototype.getProvider());
      m.init(key);
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot key " + prototype.getAlgorithm(), e);
    }
  }
}
