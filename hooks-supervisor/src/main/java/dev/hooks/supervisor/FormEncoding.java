package dev.hooks.supervisor;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} exactly as Python's {@code urllib.parse.urlencode}
 * (and so superhooks, through requests) writes it: letters, digits and {@code _.-~} as they are,
 * space as {@code +}, every other byte of the UTF-8 encoding as {@code %XX} in upper case. Java's
 * {@code URLEncoder} differs on {@code *} and {@code ~}.
 */
final class FormEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private FormEncoding() {}

  /** {@code k1=v1&k2=v2}, in the map's order. */
  static String encode(Map<String, String> fields) {
    StringBuilder out = new StringBuilder(256);
    for (Map.Entry<String, String> f : fields.entrySet()) {
      if (out.length() > 0) {
        out.append('&');
      }
      quotePlus(f.getKey(), out);
      out.append('=');
      quotePlus(f.getValue(), out);
    }
    return out.toString();
  }

  static void quotePlus(String s, StringBuilder out) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' || c == '~') {
        out.append((char) c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
  }
}
