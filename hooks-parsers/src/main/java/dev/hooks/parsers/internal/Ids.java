package dev.hooks.parsers.internal;

import dev.hooks.event.Delivery;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Delivery ids for senders that send neither an id header nor a time in the body. */
public final class Ids {
  private Ids() {}

  /**
   * {@code "sha256:"} and the hex SHA-256 of the body followed by the receive instant: for
   * senders (autoheal) that send the same bytes for every occurrence of an event, so that a
   * content hash alone would drop the second occurrence as a duplicate. Deterministic for the same
   * delivery, which keeps its receive instant when journaled.
   */
  public static String contentAndTimeHash(Delivery delivery) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(delivery.body());
      sha.update(ByteBuffer.allocate(12)
          .putLong(delivery.receivedAt().getEpochSecond())
          .putInt(delivery.receivedAt().getNano())
          .array());
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
