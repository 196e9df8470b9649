package dev.hooks.supervisor;

import dev.hooks.parsers.SupervisorListenerEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An event as the buffer keeps it: when it was received, and supervisor's header line and payload
 * exactly as read, so that what is sent is rendered from the original at delivery time.
 *
 * <p>Its {@link #id()} is a hash of all three: the same for every attempt and every restart, so a
 * receiver can deduplicate (it is the Standard Webhooks {@code webhook-id}).
 *
 * @param receivedAt when the listener read the event
 * @param headerLine supervisor's header line, without its newline
 * @param payload the payload bytes
 */
record BufferedEvent(Instant receivedAt, String headerLine, byte[] payload) {

  /** The record bytes: {@code [epoch millis][header line length][header line][payload]}. */
  byte[] encode() {
    byte[] line = headerLine.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(12 + line.length + payload.length)
        .putLong(receivedAt.toEpochMilli())
        .putInt(line.length)
        .put(line)
        .put(payload)
        .array();
  }

  /**
   * Reads a record written by {@link #encode()}.
   *
   * @throws IllegalArgumentException if the bytes are not such a record
   */
  static BufferedEvent decode(byte[] record) {
    ByteBuffer buf = ByteBuffer.wrap(record);
    if (record.length < 12) {
      throw new IllegalArgumentException("a buffered event of " + record.length + " bytes");
    }
    Instant at = Instant.ofEpochMilli(buf.getLong());
    int lineLength = buf.getInt();
    if (lineLength < 0 || lineLength > buf.remaining()) {
      throw new IllegalArgumentException("a buffered event with a header line length of " + lineLength);
    }
    String line = new String(record, 12, lineLength, StandardCharsets.UTF_8);
    return new BufferedEvent(at, line, Arrays.copyOfRange(record, 12 + lineLength, record.length));
  }

  /** {@code msg_} and 32 hex digits of the SHA-256 of the record. */
  String id() {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(encode());
      return "msg_" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The event itself. */
  SupervisorListenerEvent event() {
    return SupervisorListenerEvent.parse(headerLine, payload);
  }
}
