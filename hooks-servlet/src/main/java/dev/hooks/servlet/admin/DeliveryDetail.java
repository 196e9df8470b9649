package dev.hooks.servlet.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.journal.JournalEntry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A delivery as an operator may see it: headers as journaled (ingress already replaced the
 * endpoint's secret headers) and the body as text, with every JSON member and form field whose
 * name looks like a credential replaced by {@value #MASK}, and at most {@value #MAX_BODY_CHARS}
 * characters of it.
 */
final class DeliveryDetail {
  static final String MASK = "****";
  static final int MAX_BODY_CHARS = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Names of credentials as providers and users spell them: api_key, apiKey, x-api-key, password, token... */
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(secret|passw(or)?d|token|api[-_]?key|private[-_]?key|access[-_]?key|authorization|credential|signature|session|cookie).*");

  private DeliveryDetail() {}

  static Map<String, Object> of(JournalEntry e, Map<String, Object> view) {
    Map<String, Object> out = new LinkedHashMap<>(view);
    List<Map<String, String>> headers = new ArrayList<>();
    e.delivery().headers().asMap().forEach((name, values) -> {
      for (String value : values) {
        headers.add(Map.of("name", name, "value", SECRET_NAME.matcher(name).matches() ? MASK : value));
      }
    });
    out.put("headers", headers);
    String text = new String(e.delivery().body(), StandardCharsets.UTF_8);
    String mediaType = e.delivery().mediaType();
    String masked = mediaType.equals("application/x-www-form-urlencoded") ? maskForm(text) : maskJson(text);
    out.put("body_truncated", masked.length() > MAX_BODY_CHARS);
    out.put("body", masked.length() > MAX_BODY_CHARS ? masked.substring(0, MAX_BODY_CHARS) : masked);
    return out;
  }

  /** JSON with secret-named members masked; text that is not JSON as it is. */
  static String maskJson(String text) {
    try {
      JsonNode root = JSON.readTree(text);
      if (root == null || !root.isContainerNode()) {
        return text;
      }
      mask(root);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JacksonException e) {
      return text;
    }
  }

  private static void mask(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (SECRET_NAME.matcher(f.getKey()).matches() && f.getValue().isValueNode() && !f.getValue().isNull()) {
          f.setValue(o.textNode(MASK));
        } else {
          mask(f.getValue());
        }
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(DeliveryDetail::mask);
    }
  }

  /** A form body with the values of secret-named fields masked. */
  static String maskForm(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (String pair : text.split("&", -1)) {
      if (out.length() > 0) {
        out.append('&');
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      out.append(eq >= 0 && SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches() ? pair.substring(0, eq + 1) + MASK : pair);
    }
    return out.toString();
  }
}
