package dev.hooks.signatures.internal;

import org.jspecify.annotations.Nullable;

/**
 * Strict decoders: a value that is not exactly hex or canonical base64 decodes to null. They read
 * a range of a String in place, since a signature usually sits after a prefix in a header.
 */
public final class Codecs {
  /** ASCII to value; -1 for a character outside the alphabet. */
  private static final byte[] HEX = new byte[128];
  private static final byte[] BASE64 = new byte[128];

  static {
    java.util.Arrays.fill(HEX, (byte) -1);
    java.util.Arrays.fill(BASE64, (byte) -1);
    for (int i = 0; i < 10; i++) {
      HEX['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      HEX['a' + i] = (byte) (10 + i);
      HEX['A' + i] = (byte) (10 + i);
    }
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; i++) {
      BASE64[alphabet.charAt(i)] = (byte) i;
    }
  }

  private Codecs() {}

  /** Hex in either case; null if the length is odd, empty, or a character is not a hex digit. */
  public static byte @Nullable [] hex(String s) {
    return hex(s, 0, s.length());
  }

  /** {@link #hex(String)} of {@code s.substring(from, to)}, without copying it. */
  public static byte @Nullable [] hex(String s, int from, int to) {
    int n = to - from;
    if (n <= 0 || (n & 1) != 0) {
      return null;
    }
    byte[] out = new byte[n / 2];
    int bad = 0;
    for (int i = from, o = 0; i < to; i += 2, o++) {
      int hi = value(HEX, s.charAt(i));
      int lo = value(HEX, s.charAt(i + 1));
      bad |= hi | lo;
      out[o] = (byte) ((hi << 4) | lo);
    }
    return bad < 0 ? null : out;
  }

  /**
   * Standard base64 with padding, canonical only; null otherwise. Rejects whitespace, the URL
   * alphabet, missing padding and unused bits that are not zero (so each value has one spelling).
   */
  public static byte @Nullable [] base64(String s) {
    return base64(s, 0, s.length());
  }

  /** {@link #base64(String)} of {@code s.substring(from, to)}, without copying it. */
  public static byte @Nullable [] base64(String s, int from, int to) {
    int n = to - from;
    if (n <= 0 || (n & 3) != 0) {
      return null;
    }
    int pad = s.charAt(to - 1) != '=' ? 0 : s.charAt(to - 2) == '=' ? 2 : 1;
    byte[] out = new byte[n / 4 * 3 - pad];
    int bad = 0;
    int o = 0;
    int end = to - (pad > 0 ? 4 : 0);
    int i = from;
    for (; i < end; i += 4) {
      int a = value(BASE64, s.charAt(i));
      int b = value(BASE64, s.charAt(i + 1));
      int c = value(BASE64, s.charAt(i + 2));
      int d = value(BASE64, s.charAt(i + 3));
      bad |= a | b | c | d;
      int bits = (a << 18) | (b << 12) | (c << 6) | d;
      out[o++] = (byte) (bits >> 16);
      out[o++] = (byte) (bits >> 8);
      out[o++] = (byte) bits;
    }
    if (pad > 0) {
      int a = value(BASE64, s.charAt(i));
      int b = value(BASE64, s.charAt(i + 1));
      bad |= a | b;
      if (pad == 2) {
        // "xx==": one byte; the low 4 bits of the second character are unused and must be zero
        bad |= (b & 0x0F) != 0 ? -1 : 0;
        out[o] = (byte) ((a << 2) | (b >> 4));
      } else {
        // "xxx=": two bytes; the low 2 bits of the third character are unused and must be zero
        int c = value(BASE64, s.charAt(i + 2));
        bad |= c | ((c & 0x03) != 0 ? -1 : 0);
        int bits = (a << 18) | (b << 12) | (c << 6);
        out[o++] = (byte) (bits >> 16);
        out[o] = (byte) (bits >> 8);
      }
    }
    return bad < 0 ? null : out;
  }

  private static int value(byte[] table, char c) {
    return c < 128 ? table[c] : -1;
  }
}
