package dev.hooks.embedded.internal;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.journal.JournalEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The embedded journal's record formats, versioned by a first byte.
 *
 * <ul>
 *   <li>a delivery (written once): endpoint, method, URL, headers (name and values), remote
 *       address, received-at, body;
 *   <li>an entry's state (rewritten by every claim, retry and completion): status, attempts, due
 *       time, owner, lease end, fence, last error, delivery id, endpoint, received-at;
 *   <li>index keys: an instant as 8 big-endian bytes of epoch milliseconds, sign bit flipped so
 *       that byte order is time order, then the request id.
 * </ul>
 *
 * Internal to hooks-embedded: not an API.
 */
public final class Codec {
  private static final int DELIVERY_V1 = 1;
  private static final int STATE_V1 = 1;

  private Codec() {}

  /** The mutable part of an entry. */
  public record State(
      JournalEntry.Status status,
      int attempts,
      Instant nextAttemptAt,
      String owner,
      Instant leaseUntil,
      long fence,
      String lastError,
      String deliveryId,
      String endpointId,
      Instant receivedAt) {

    /** When a claim may take the entry: once it is due and its lease is over. */
    public Instant claimableAt() {
      return nextAttemptAt.isAfter(leaseUntil) ? nextAttemptAt : leaseUntil;
    }

    public State with(JournalEntry.Status status, int attempts, Instant nextAttemptAt, String owner, Instant leaseUntil, long fence,
        String lastError) {
      return new State(status, attempts, nextAttemptAt, owner, leaseUntil, fence, lastError, deliveryId, endpointId, receivedAt);
    }

    public static State of(JournalEntry e) {
      return new State(e.status(), e.attempts(), e.nextAttemptAt(), e.owner(), e.leaseUntil(), e.fence(), e.lastError(),
          e.deliveryId(), e.endpointId(), e.receivedAt());
    }

    public JournalEntry entry(String requestId, Delivery delivery) {
      return new JournalEntry(requestId, deliveryId, delivery, status, attempts, nextAttemptAt, owner, leaseUntil, fence, lastError);
    }
  }

  /** Encodes a delivery into a record of exactly its size: the body is copied once. */
  public static byte[] delivery(Delivery d) {
    Map<String, List<String>> headers = d.headers().asMap();
    List<byte[]> strings = new ArrayList<>(3 + 2 * headers.size());
    int size = 1 + utf8(strings, d.endpointId()) + utf8(strings, d.method()) + utf8(strings, d.url()) + 4;
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      size += utf8(strings, h.getKey()) + 4;
      for (String v : h.getValue()) {
        size += utf8(strings, v);
      }
    }
    byte[] address = d.remoteAddress().map(InetAddress::getAddress).orElse(new byte[0]);
    byte[] body = d.body();
    size += 1 + address.length + 12 + 4 + body.length;
    ByteBuffer out = ByteBuffer.allocate(size);
    Iterator<byte[]> next = strings.iterator();
    out.put((byte) DELIVERY_V1);
    putString(out, next.next()); // endpoint
    putString(out, next.next()); // method
    putString(out, next.next()); // URL
    out.putInt(headers.size());
    for (List<String> values : headers.values()) {
      putString(out, next.next()); // name
      out.putInt(values.size());
      for (int i = 0; i < values.size(); i++) {
        putString(out, next.next());
      }
    }
    out.put((byte) address.length).put(address);
    out.putLong(d.receivedAt().getEpochSecond()).putInt(d.receivedAt().getNano());
    out.putInt(body.length).put(body);
    return out.array();
  }

  /** Adds the string's UTF-8 bytes to {@code strings}; the bytes it takes in a record. */
  private static int utf8(List<byte[]> strings, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    strings.add(b);
    return 4 + b.length;
  }

  private static void putString(ByteBuffer out, byte[] utf8) {
    out.putInt(utf8.length).put(utf8);
  }

  public static Delivery delivery(byte[] record) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record))) {
      version(in, DELIVERY_V1, "delivery");
      Delivery.Builder b = Delivery.builder(readString(in)).method(readString(in)).url(readString(in));
      int names = in.readInt();
      Headers.Builder headers = Headers.builder();
      for (int i = 0; i < names; i++) {
        String name = readString(in);
        int values = in.readInt();
        for (int j = 0; j < values; j++) {
          headers.add(name, readString(in));
        }
      }
      byte[] address = new byte[in.readUnsignedByte()];
      in.readFully(address);
      b.headers(headers.build()).remoteAddress(address.length == 0 ? null : InetAddress.getByAddress(address));
      b.receivedAt(readInstant(in));
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      return b.body(body).build();
    } catch (IOException e) {
      throw new IllegalStateException("a corrupt delivery record in the embedded journal", e);
    }
  }

  public static byte[] state(State s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(STATE_V1);
      out.writeByte(s.status().ordinal());
      out.writeInt(s.attempts());
      writeInstant(out, s.nextAttemptAt());
      writeString(out, s.owner());
      writeInstant(out, s.leaseUntil());
      out.writeLong(s.fence());
      writeString(out, s.lastError());
      writeString(out, s.deliveryId());
      writeString(out, s.endpointId());
      writeInstant(out, s.receivedAt());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static State state(byte[] record) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record))) {
      version(in, STATE_V1, "state");
      JournalEntry.Status status = JournalEntry.Status.values()[in.readUnsignedByte()];
      return new State(status, in.readInt(), readInstant(in), readString(in), readInstant(in), in.readLong(), readString(in),
          readString(in), readString(in), readInstant(in));
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalStateException("a corrupt state record in the embedded journal", e);
    }
  }

  /** An index key: the instant (time-ordered bytes), then the request id. */
  public static byte[] timeKey(Instant at, String requestId) {
    byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + id.length).putLong(millis(at) ^ Long.MIN_VALUE).put(id).array();
  }

  /** The first key at or after {@code at}, for range ends. */
  public static byte[] timeBound(Instant at) {
    return ByteBuffer.allocate(8).putLong(millis(at) ^ Long.MIN_VALUE).array();
  }

  /** The first key at or after {@code epochMillis}. */
  public static byte[] timeBound(long epochMillis) {
    return ByteBuffer.allocate(8).putLong(epochMillis ^ Long.MIN_VALUE).array();
  }

  /** Epoch milliseconds, saturated for instants beyond what a long holds. */
  public static long millis(Instant at) {
    try {
      return at.toEpochMilli();
    } catch (ArithmeticException e) {
      return at.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  public static Instant keyTime(byte[] key) {
    return Instant.ofEpochMilli(ByteBuffer.wrap(key, 0, 8).getLong() ^ Long.MIN_VALUE);
  }

  public static String keyRequestId(byte[] key) {
    return new String(key, 8, key.length - 8, StandardCharsets.UTF_8);
  }

  /** The deduplication key: endpoint, a zero byte, delivery id. */
  public static byte[] dedupeKey(String endpointId, String deliveryId) {
    return (endpointId + '\u0000' + deliveryId).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static String utf8(byte @Nullable [] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static void version(DataInputStream in, int expected, String what) throws IOException {
    int v = in.readUnsignedByte();
    if (v != expected) {
      throw new IOException("unknown " + what + " record version " + v);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("a string of " + n + " bytes in a record of " + in.available() + " left");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeInstant(DataOutputStream out, Instant at) throws IOException {
    out.writeLong(at.getEpochSecond());
    out.writeInt(at.getNano());
  }

  private static Instant readInstant(DataInputStream in) throws IOException {
    return Instant.ofEpochSecond(in.readLong(), in.readInt());
  }
}
