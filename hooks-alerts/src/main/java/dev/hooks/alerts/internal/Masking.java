package dev.hooks.alerts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Masks sensitive keys (token, password, secret, authorization and the like) as {@code ********}. Thread-safe. */
public final class Masking {
  public static final String MASK = "********";

  private Masking() {}

  /** Whether a key names a secret. */
  public static boolean sensitive(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("token") || k.contains("password") || k.contains("secret") || k.contains("authorization")
        || k.contains("api_key") || k.contains("apikey") || k.contains("private")
        // Uptime Kuma's monitor carries basic_auth_pass, and senders write passwd or pass for short
        || k.endsWith("pass") || k.contains("passwd") || k.contains("credential");
  }

  /** A copy of {@code node} with every sensitive key's value masked, at any depth. */
  public static JsonNode mask(JsonNode node) {
    JsonNode copy = node.deepCopy();
    maskInPlace(copy);
    return copy;
  }

  private static void maskInPlace(JsonNode node) {
    if (node instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (sensitive(e.getKey()) && !e.getValue().isContainerNode()) {
          e.setValue(TextNode.valueOf(MASK));
        } else {
          maskInPlace(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (JsonNode c : a) {
        maskInPlace(c);
      }
    }
  }
}
