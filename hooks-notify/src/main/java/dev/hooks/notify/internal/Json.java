package dev.hooks.notify.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** One shared ObjectMapper and lenient reading of answers. Not API. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The answer as JSON; an empty object when it is not JSON. */
  public static JsonNode read(String body) {
    try {
      JsonNode n = body.isBlank() ? null : MAPPER.readTree(body);
      return n == null ? object() : n;
    } catch (JsonProcessingException e) {
      return object();
    }
  }
}
