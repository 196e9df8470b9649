package dev.hooks.verify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A shared secret or key, with an optional instant after which it is no longer accepted (for
 * rotation). Never printed: {@code toString()} is {@code "Secret[****]"}. Immutable and
 * thread-safe.
 */
public final class Secret {
  private final byte[] bytes;
  private final @Nullable Instant notAfter;

  private Secret(byte[] bytes, @Nullable Instant notAfter) {
    this.bytes = bytes;
    this.notAfter = notAfter;
  }

  /**
   * The UTF-8 bytes of {@code value}.
   *
   * @throws IllegalArgumentException if {@code value} is empty
   */
  public static Secret of(String value) {
    return ofBytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws IllegalArgumentException if {@code bytes} is empty
   */
  public static Secret ofBytes(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new Secret(bytes.clone(), null);
  }

  /** This secret, accepted only until {@code instant} (inclusive). */
  public Secret notAfter(Instant instant) {
    return new Secret(bytes, instant);
  }

  /** A copy of the secret's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The secret as UTF-8 text, for schemes that send the token itself (GitLab, Bearer). */
  public String asText() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public Optional<Instant> expiresAfter() {
    return Optional.ofNullable(notAfter);
  }

  /** Whether the secret may still be used at {@code instant}. */
  public boolean isValidAt(Instant instant) {
    return notAfter == null || !instant.isAfter(notAfter);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && java.security.MessageDigest.isEqual(bytes, s.bytes)
        && java.util.Objects.equals(notAfter, s.notAfter);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Secret[****]";
  }
}
