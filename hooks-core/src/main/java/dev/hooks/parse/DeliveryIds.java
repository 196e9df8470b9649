package dev.hooks.parse;

import dev.hooks.event.Delivery;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Delivery ids for deduplication: the provider's own delivery header when it sends one, else a
 * hash of the body, so that a sender's retry of the same bytes is recognized as a duplicate.
 */
public final class DeliveryIds {
  private DeliveryIds() {}

  /**
   * The first value of {@code header}, or {@link #contentHash} when absent or blank.
   */
  public static String fromHeaderOrHash(Delivery delivery, String header) {
    return delivery.headers().first(header).filter(v -> !v.isBlank()).orElseGet(() -> contentHash(delivery));
  }

  /** {@code "sha256:"} and the hex SHA-256 of the body. */
  public static String contentHash(Delivery delivery) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(delivery.body());
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
