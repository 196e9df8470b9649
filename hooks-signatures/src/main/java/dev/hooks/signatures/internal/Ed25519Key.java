package dev.hooks.signatures.internal;

import dev.hooks.verify.Secret;
import java.time.Instant;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 public key, raw 32 bytes. Thread-safe. */
public final class Ed25519Key {
  private static final byte[] SPKI_PREFIX = Codecs.hex("302a300506032b6570032100");

  private final Secret secret;
  private final byte[] publicKey;

  private Ed25519Key(Secret secret, byte[] publicKey) {
    this.secret = secret;
    this.publicKey = publicKey;
  }

  /**
   * A raw 32-byte key or an X.509 SubjectPublicKeyInfo (DER) holding one.
   *
   * @throws IllegalArgumentException if {@code encoded} is neither
   */
  public static Ed25519Key of(Secret secret, byte[] encoded, String what) {
    byte[] raw;
    if (encoded.length == Ed25519.PUBLIC_KEY_SIZE) {
      raw = encoded;
    } else if (encoded.length == SPKI_PREFIX.length + Ed25519.PUBLIC_KEY_SIZE
        && Arrays.equals(Arrays.copyOf(encoded, SPKI_PREFIX.length), SPKI_PREFIX)) {
      raw = Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length);
    } else {
      throw new IllegalArgumentException(what + " is not an Ed25519 public key (32 raw bytes or SubjectPublicKeyInfo)");
    }
    return new Ed25519Key(secret, raw);
  }

  public boolean isValidAt(Instant now) {
    return secret.isValidAt(now);
  }

  /** Whether {@code signature} is a valid signature of {@code message}; false for any bad input. */
  public boolean verifies(byte[] signature, byte[] message) {
    if (signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    try {
      return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
