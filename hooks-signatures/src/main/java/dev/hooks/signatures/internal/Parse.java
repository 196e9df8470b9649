package dev.hooks.signatures.internal;

import dev.hooks.event.Delivery;
import dev.hooks.signatures.SignatureEncoding;
import dev.hooks.verify.Verification.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Header reading shared by the schemes. Never throws for bad input. */
public final class Parse {
  private Parse() {}

  public static byte @Nullable [] decode(String value, SignatureEncoding encoding) {
    return encoding == SignatureEncoding.HEX ? Codecs.hex(value.trim()) : Codecs.base64(value.trim());
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Signatures written as {@code <prefix><encoded>} in every value of {@code header}; values with
   * another prefix are ignored. MISSING when the header is absent, MALFORMED when no value decodes.
   */
  public static Extracted prefixed(Delivery d, String header, String prefix, SignatureEncoding enc) {
    List<String> values = d.headers().all(header);
    if (values.isEmpty()) {
      return Extracted.rejected(Reason.MISSING, header + " is missing");
    }
    List<byte[]> sigs = prefixedValues(values, prefix, enc);
    if (sigs.isEmpty()) {
      return Extracted.rejected(Reason.MALFORMED, header + " is not " + describe(prefix, enc));
    }
    return Extracted.of(sigs, d.body());
  }

  static List<byte[]> prefixedValues(List<String> values, String prefix, SignatureEncoding enc) {
    if (values.size() == 1) {
      // The usual case, kept free of copies: one header value, hex decoded in place.
      String v = values.get(0);
      int last = v.length() - 1;
      if (last >= 0 && (v.charAt(0) <= ' ' || v.charAt(last) <= ' ')) {
        v = v.trim();
      }
      if (!v.startsWith(prefix) && !v.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return List.of();
      }
      byte[] b = enc == SignatureEncoding.HEX ? Codecs.hex(v, prefix.length(), v.length())
          : Codecs.base64(v, prefix.length(), v.length());
      return b == null ? List.of() : List.of(b);
    }
    List<byte[]> sigs = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i).trim();
      if (v.regionMatches(true, 0, prefix, 0, prefix.length())) {
        byte[] b = decode(v.substring(prefix.length()), enc);
        if (b != null) {
          sigs.add(b);
        }
      }
    }
    return sigs;
  }

  public static String describe(String prefix, SignatureEncoding enc) {
    return "'" + prefix + "<" + enc.name().toLowerCase(java.util.Locale.ROOT) + ">'";
  }

  /**
   * A list such as {@code t=1492774577,v1=5257a8,v0=6ffbb5}: each item split at its first
   * {@code =}; null when an item has none or a key is empty.
   */
  public static @Nullable List<String[]> pairs(String value, char separator) {
    List<String[]> out = new ArrayList<>();
    int start = 0;
    int n = value.length();
    while (start <= n) {
      int end = value.indexOf(separator, start);
      if (end < 0) {
        end = n;
      }
      String item = value.substring(start, end).trim();
      if (!item.isEmpty()) {
        int eq = item.indexOf('=');
        if (eq <= 0) {
          return null;
        }
        out.add(new String[] {item.substring(0, eq).trim(), item.substring(eq + 1).trim()});
      }
      start = end + 1;
    }
    return out;
  }

  /** Decoded values of every pair named {@code key}, skipping those that do not decode. */
  public static List<byte[]> valuesOf(List<String[]> pairs, String key, SignatureEncoding enc) {
    List<byte[]> out = new ArrayList<>(2);
    for (String[] p : pairs) {
      if (p[0].equals(key)) {
        byte[] b = decode(p[1], enc);
        if (b != null) {
          out.add(b);
        }
      }
    }
    return out;
  }

  public static @Nullable String firstValueOf(List<String[]> pairs, String key) {
    for (String[] p : pairs) {
      if (p[0].equals(key)) {
        return p[1];
      }
    }
    return null;
  }

  /** Every value of {@code header} joined with {@code separator}, as if sent as one header. */
  public static @Nullable String joined(Delivery d, String header, String separator) {
    List<String> values = d.headers().all(header);
    if (values.isEmpty()) {
      return null;
    }
    return values.size() == 1 ? values.get(0) : String.join(separator, values);
  }
}
