package dev.hooks.parsers.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Decodes {@code application/x-www-form-urlencoded} bodies (UTF-8, as the WHATWG URL spec says). */
public final class Forms {
  private Forms() {}

  /**
   * The fields of a form body in order; a repeated name keeps its first value.
   *
   * @throws ParseFailure if the body is empty or holds a malformed percent escape
   */
  public static Map<String, String> decode(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      throw new ParseFailure("body is empty");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        fields.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new ParseFailure("form body has a malformed percent escape");
      }
    }
    return fields;
  }
}
