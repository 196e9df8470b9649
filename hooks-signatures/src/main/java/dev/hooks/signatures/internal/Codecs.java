package dev.hooks.signatures.internal;

import java.util.Base64;
import org.jspecify.annotations.Nullable;

/** Strict decoders: a value that is not exactly hex or canonical base64 decodes to null. */
public final class Codecs {
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
}
