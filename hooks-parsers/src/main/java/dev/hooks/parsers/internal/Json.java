package dev.hooks.parsers.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** One shared, thread-safe {@link ObjectMapper} and null-safe readers of a JSON tree. */
public final class Json {
  /** Thread-safe once configured; shared by every parser. */
  public static final ObjectMapper MAPPER =
      // a body with anything after its one JSON value is rejected, not silently cut
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /**
   * Reads {@code body} as JSON. Jackson detects UTF-8, UTF-16 and UTF-32 from the bytes, so the
   * body is never decoded through a platform charset.
   *
   * @throws ParseFailure if the body is empty or not one well-formed JSON document
   */
  public static JsonNode read(byte[] body) {
    if (body.length == 0) {
      throw new ParseFailure("body is empty");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new ParseFailure("body is not JSON (" + locationOf(e) + ")");
    } catch (IOException e) {
      throw new ParseFailure("body is not JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw new ParseFailure("body is empty");
    }
    return root;
  }

  /** Reads {@code text} as JSON, as {@link #read(byte[])} does. */
  public static JsonNode read(String text) {
    if (text.isBlank()) {
      throw new ParseFailure("body is empty");
    }
    try {
      JsonNode root = MAPPER.readTree(text);
      if (root == null || root.isMissingNode()) {
        throw new ParseFailure("body is empty");
      }
      return root;
    } catch (JacksonException e) {
      throw new ParseFailure("body is not JSON (" + locationOf(e) + ")");
    }
  }

  /** The root as an object. @throws ParseFailure if it is an array or a scalar */
  public static JsonNode object(JsonNode root) {
    if (!root.isObject()) {
      throw new ParseFailure("body is not a JSON object");
    }
    return root;
  }

  /** The node at {@code path} below {@code node}; a {@link MissingNode} when any step is absent. */
  public static JsonNode at(JsonNode node, String... path) {
    JsonNode n = node;
    for (String step : path) {
      n = n.path(step);
    }
    return n;
  }

  /**
   * The text of the scalar at {@code path}: strings as they are, numbers and booleans as JSON
   * writes them; null when absent, null, blank, an object or an array.
   */
  public static @Nullable String text(JsonNode node, String... path) {
    return scalar(at(node, path));
  }

  /** The text of a scalar node, as {@link #text(JsonNode, String...)}. */
  public static @Nullable String scalar(JsonNode n) {
    if (n.isTextual()) {
      String s = n.textValue();
      return s.isBlank() ? null : s;
    }
    if (n.isNumber() || n.isBoolean()) {
      return n.asText();
    }
    return null;
  }

  /** Like {@link #text(JsonNode, String...)} but a failure naming the field when it is absent. */
  public static String required(JsonNode node, String... path) {
    String v = text(node, path);
    if (v == null) {
      throw new ParseFailure("missing field " + String.join(".", path));
    }
    return v;
  }

  /**
   * The object at {@code node.field}.
   *
   * @throws ParseFailure naming the field if it is absent or not an object
   */
  public static JsonNode requiredObject(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (!v.isObject()) {
      throw new ParseFailure("missing field " + field);
    }
    return v;
  }

  /** Whether the value at {@code path} is JSON {@code true}. */
  public static boolean isTrue(JsonNode node, String... path) {
    return at(node, path).asBoolean(false) && at(node, path).isBoolean();
  }

  /** The first non-null of {@code values}, or null. */
  @SafeVarargs
  public static <T> @Nullable T first(@Nullable T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String locationOf(JacksonException e) {
    var loc = e.getLocation();
    if (loc == null) {
      return "malformed";
    }
    return "malformed at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }
}
