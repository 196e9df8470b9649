package dev.hooks.signatures.internal;

import java.util.Base64;
import org.jspecify.annotations.Nullable;

/** Strict decoders: a value that is not exactly hex or canonical base64 decodes to null. */
public final class Codecs {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Codecs() {}

  /** Hex in either case; null if the length is odd, empty, or a character is not a hex digit. */
  public static byte @Nullable [] hex(String s) {
    int n = s.length();
    if (n == 0 || (n & 1) != 0) {
      return null;
    }
    byte[] out = new byte[n / 2];
    for (int i = 0; i < n; i += 2) {
      int hi = Character.digit(s.charAt(i), 16);
      int lo = Character.digit(s.charAt(i + 1), 16);
      if (hi < 0 || lo < 0 || s.charAt(i) > 'f' || s.charAt(i + 1) > 'f') {
        return null;
      }
      out[i / 2] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** Lower-case hex of {@code bytes}. */
  public static String toHex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  /**
   * Standard base64 with padding, canonical only (the value must re-encode to itself); null
   * otherwise. Rejects whitespace, the URL alphabet and missing padding.
   */
  public static byte @Nullable [] base64(String s) {
    if (s.isEmpty() || (s.length() & 3) != 0) {
      return null;
    }
    byte[] out;
    try {
      out = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return Base64.getEncoder().encodeToString(out).equals(s) ? out : null;
  }

  /** Base64 with the URL-safe alphabet accepted too, padding optional; still canonical. */
  public static byte @Nullable [] base64Lenient(String s) {
    String std = s.replace('-', '+').replace('_', '/');
    int pad = (4 - (std.length() & 3)) & 3;
    if (pad == 3) {
      return null;
    }
    return base64(std + "==".substring(0, pad));
  }
}
