package dev.hooks.alerts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * JsonPath reads and the two placeholder forms of templates: {@code {$.path}} (any JsonPath) and
 * {@code {{ name }}} (a named value such as {@code monitor_name}, {@code msg}, {@code
 * request_id}). Thread-safe.
 */
public final class Paths {
  private static final Configuration JACKSON = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider())
      .mappingProvider(new JacksonMappingProvider())
      .options(Option.SUPPRESS_EXCEPTIONS)
      .build();
  private static final Pattern PATH_PLACEHOLDER = Pattern.compile("\\{(\\$[^{}]*)\\}");
  private static final Pattern NAME_PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

  private Paths() {}

  /**
   * Compiles a JsonPath.
   *
   * @throws IllegalArgumentException naming the path if it is not a JsonPath
   */
  public static JsonPath compile(String path) {
    try {
      return JsonPath.compile(path);
    } catch (InvalidPathException | IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + path + "' is not a JsonPath: " + e.getMessage(), e);
    }
  }

  /** Whether {@code value} is a bare JsonPath rather than a template. */
  public static boolean isPath(String value) {
    String v = value.strip();
    return v.startsWith("$") && !v.contains("{{");
  }

  /** The text at {@code path}, or null: a string as is, a number or boolean as JSON text, a one-element array's element. */
  public static @Nullable String text(JsonNode root, JsonPath path) {
    Object found = path.read(root, JACKSON);
    return text(found);
  }

  /** As {@link #text(JsonNode, JsonPath)} with a path string; an invalid path yields null. */
  public static @Nullable String text(JsonNode root, String path) {
    try {
      return text(root, JsonPath.compile(path));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static @Nullable String text(@Nullable Object found) {
    if (!(found instanceof JsonNode node) || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isArray()) {
      if (node.isEmpty()) {
        return null;
      }
      return node.size() == 1 ? text(node.get(0)) : node.toString();
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /** Checks every {@code {$.path}} of a template, throwing as {@link #compile} does. */
  public static void checkTemplate(String template) {
    Matcher m = PATH_PLACEHOLDER.matcher(template);
    while (m.find()) {
      compile(m.group(1));
    }
  }

  /**
   * Fills a template: a bare JsonPath is read; otherwise {@code {$.path}} placeholders are read
   * from {@code root} and {@code {{ name }}} ones from {@code names}; an absent value is empty.
   */
  public static String render(String template, JsonNode root, Map<String, String> names) {
    if (isPath(template) && !template.contains("{")) {
      String v = text(root, template.strip());
      return v == null ? "" : v;
    }
    Matcher m = PATH_PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = text(root, m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
    }
    m.appendTail(out);
    Matcher n = NAME_PLACEHOLDER.matcher(out.toString());
    StringBuilder named = new StringBuilder();
    while (n.find()) {
      String v = names.get(n.group(1));
      n.appendReplacement(named, Matcher.quoteReplacement(v == null ? "" : v));
    }
    n.appendTail(named);
    return named.toString().replace("\\n", "\n");
  }
}
