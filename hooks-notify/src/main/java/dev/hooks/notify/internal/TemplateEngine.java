package dev.hooks.notify.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.hooks.event.WebhookEvent;
import dev.hooks.notify.TextFormat;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles Mustache templates with {@code {$.path}} JsonPath placeholders, once per text format,
 * and renders them against an event. Thread-safe. Not API.
 */
public final class TemplateEngine {
  private static final Pattern JSON_PATH = Pattern.compile("(?<!\\{)\\{(\\$[^{}]*)\\}(?!\\})");
  private static final Configuration JACKSON = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider())
      .mappingProvider(new JacksonMappingProvider())
      .options(Option.SUPPRESS_EXCEPTIONS)
      .build();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<TextFormat, Mustache.Compiler> COMPILERS = new ConcurrentHashMap<>();
  private static final Map<String, Compiled> CACHE = new ConcurrentHashMap<>();

  private TemplateEngine() {}

  private record Compiled(Template template, List<JsonPath> paths) {}

  /**
   * Checks that {@code source} compiles.
   *
   * @throws IllegalArgumentException naming the template and the problem
   */
  public static void validate(String source) {
    compile(source, TextFormat.PLAIN);
  }

  /** Renders {@code source} with {@code context}, escaping values for {@code format}. */
  public static String render(String source, TextFormat format, Context context) {
    if (source.indexOf('{') < 0) {
      return source;
    }
    Compiled c = compile(source, format);
    Map<String, Object> scope = context.values();
    if (!c.paths().isEmpty()) {
      scope = new HashMap<>(scope);
      for (int i = 0; i < c.paths().size(); i++) {
        scope.put("__jp" + i, context.jsonPath(c.paths().get(i)));
      }
    }
    return c.template().execute(scope);
  }

  private static Compiled compile(String source, TextFormat format) {
    return CACHE.computeIfAbsent(format.name() + '\u0000' + source, k -> {
      List<JsonPath> paths = new ArrayList<>();
      Matcher m = JSON_PATH.matcher(source);
      StringBuilder s = new StringBuilder();
      while (m.find()) {
        try {
          paths.add(JsonPath.compile(m.group(1)));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("invalid JsonPath '" + m.group(1) + "' in template: " + e.getMessage(), e);
        }
        m.appendReplacement(s, Matcher.quoteReplacement("{{__jp" + (paths.size() - 1) + "}}"));
      }
      m.appendTail(s);
      Mustache.Compiler compiler = COMPILERS.computeIfAbsent(format, f -> Mustache.compiler()
          .defaultValue("")
          .emptyStringIsFalse(true)
          .zeroIsFalse(true)
          .withEscaper(f::escape));
      try {
        return new Compiled(compiler.compile(s.toString()), List.copyOf(paths));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("invalid template '" + Texts.truncate(source, 80) + "': " + e.getMessage(), e);
      }
    });
  }

  /** What templates of one event see. Built once per event and format. */
  public static final class Context {
    private final WebhookEvent event;
    private final Map<String, Object> values;
    private final JsonNode normalized;

    private Context(WebhookEvent event, Map<String, Object> values, JsonNode normalized) {
      this.event = event;
      this.values = values;
      this.normalized = normalized;
    }

    /**
     * The names templates read: the payload's top-level keys, then (shadowing them) the
     * normalized fields, {@code payload}, {@code attributes}, the facts of {@link Facts}, and
     * {@code *_block} forms of log facts preformatted for {@code format}.
     */
    public static Context of(WebhookEvent e, TextFormat format) {
      Map<String, Object> v = new LinkedHashMap<>();
      Object payload = e.payload().isObject() || e.payload().isArray() ? MAPPER.convertValue(e.payload(), Object.class) : Map.of();
      if (payload instanceof Map<?, ?> top) {
        top.forEach((k, val) -> v.put(String.valueOf(k), val));
      }
      ObjectNode normalized = MAPPER.createObjectNode();
      normalizedField(v, normalized, "id", e.id());
      normalizedField(v, normalized, "endpoint", e.endpointId());
      normalizedField(v, normalized, "provider", e.provider());
      normalizedField(v, normalized, "type", e.type());
      normalizedField(v, normalized, "action", e.action().orElse(""));
      normalizedField(v, normalized, "source_event", e.sourceEvent().orElse(""));
      normalizedField(v, normalized, "repository", e.repository().orElse(""));
      normalizedField(v, normalized, "branch", e.branch().orElse(""));
      normalizedField(v, normalized, "tag", e.tag().orElse(""));
      normalizedField(v, normalized, "commit", e.commit().orElse(""));
      normalizedField(v, normalized, "actor", e.actor().orElse(""));
      normalizedField(v, normalized, "url", e.url().orElse(""));
      normalizedField(v, normalized, "subject", e.subject().orElse(""));
      normalizedField(v, normalized, "status", e.status().orElse(""));
      normalizedField(v, normalized, "severity", e.severity().name().toLowerCase(Locale.ROOT));
      normalizedField(v, normalized, "occurred_at", e.occurredAt().map(DateTimeFormatter.ISO_INSTANT::format).orElse(""));
      normalizedField(v, normalized, "received_at", DateTimeFormatter.ISO_INSTANT.format(e.receivedAt()));
      v.put("payload", payload);
      v.put("attributes", nested(e.attributes()));
      v.putAll(Facts.of(e));
      Object logs = v.get("last_logs");
      if (logs instanceof String s) {
        v.put("last_logs_block", format.codeBlock(s));
      }
      return new Context(e, v, normalized);
    }

    /** Attributes by name, and dotted names ({@code pr.reviews}) also as nested maps for Mustache. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(Map<String, String> attributes) {
      Map<String, Object> out = new LinkedHashMap<>(attributes);
      for (Map.Entry<String, String> a : attributes.entrySet()) {
        String[] parts = a.getKey().split("\\.");
        if (parts.length < 2) {
          continue;
        }
        Map<String, Object> m = out;
        for (int i = 0; i < parts.length - 1 && m != null; i++) {
          Object next = m.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
          m = next instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        }
        if (m != null) {
          m.putIfAbsent(parts[parts.length - 1], a.getValue());
        }
      }
      return out;
    }

    private static void normalizedField(Map<String, Object> v, ObjectNode n, String name, String value) {
      v.put(name, value);
      if (!value.isEmpty()) {
        n.put(name, value);
      }
    }

    public Map<String, Object> values() {
      return values;
    }

    public WebhookEvent event() {
      return event;
    }

    /** A JsonPath into the payload, else into the normalized fields; arrays joined with ", ". */
    String jsonPath(JsonPath path) {
      String fromPayload = event.payload().isMissingNode() ? "" : text(path.read(event.payload(), JACKSON));
      return fromPayload.isEmpty() ? text(path.read(normalized, JACKSON)) : fromPayload;
    }

    private static String text(Object o) {
      if (!(o instanceof JsonNode n) || n.isNull() || n.isMissingNode()) {
        return "";
      }
      if (n.isValueNode()) {
        return n.asText();
      }
      if (n.isArray()) {
        List<String> parts = new ArrayList<>();
        n.forEach(x -> parts.add(x.isValueNode() ? x.asText() : x.toString()));
        return String.join(", ", parts);
      }
      return n.toString();
    }
  }
}
