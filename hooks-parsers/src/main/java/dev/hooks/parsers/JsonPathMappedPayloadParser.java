package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.hooks.event.Delivery;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.Parsing;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A parser configured by JsonPath mappings, for any JSON sender: the fields of the alert-routing
 * recipes (summary, description, subject, customer, severity, status) are read from the body, and
 * a trigger field with open and close values decides whether the delivery opens or closes an
 * incident. Each mapping is either a JsonPath ({@code $.monitor.name}) or a template holding
 * JsonPaths in braces ({@code "Trigger: {$.trigger.description}\nHost: {$.host.name}"}).
 * Mappings are compiled and checked when the parser is built: a bad one fails with a {@link
 * ParserConfigurationException} that names it, never at the first delivery.
 *
 * <p>The event: provider as configured ({@code generic} by default), type as configured ({@code
 * alert} by default); action {@code firing} when the trigger field's value is one of the open
 * values, {@code resolved} when it is one of the close values (exact match after trimming), absent
 * otherwise; status the status mapping, else the trigger value; subject the subject mapping, else
 * the summary; severity the severity mapping through {@link Severity#parse}, {@code OK} when
 * resolved; attributes {@code summary}, {@code description}, {@code customer}, {@code
 * trigger_value}. A path that selects nothing leaves its field empty. A path that selects several
 * values (such as {@code $..name}) yields them joined with ", ". The id is the configured id
 * header's value, else the content hash.
 *
 * <p>Immutable and thread-safe; the builder is not.
 *
 * <pre>{@code
 * // the Uptime Kuma recipe
 * PayloadParser p = JsonPathMappedPayloadParser.builder()
 *     .trigger("$.heartbeat.status").openValues("0").closeValues("1")
 *     .summary("$.monitor.name").description("$.heartbeat.msg").customer("$.monitor.tags.CW_ID")
 *     .build();
 * }</pre>
 */
public final class JsonPathMappedPayloadParser implements PayloadParser {
  private static final Configuration JACKSON = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider())
      .mappingProvider(new JacksonMappingProvider())
      .options(Option.SUPPRESS_EXCEPTIONS)
      .build();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\$[^{}]*)\\}");
  /** The option keys {@link #fromOptions} reads. */
  static final Set<String> OPTION_KEYS = Set.of("summary", "description", "subject", "customer", "customer_id",
      "severity", "status", "trigger", "open", "close", "provider", "type", "id-header");

  private final String provider;
  private final String type;
  private final @Nullable String idHeader;
  private final @Nullable Mapping summary;
  private final @Nullable Mapping description;
  private final @Nullable Mapping subject;
  private final @Nullable Mapping customer;
  private final @Nullable Mapping severity;
  private final @Nullable Mapping status;
  private final @Nullable Mapping trigger;
  private final Set<String> openValues;
  private final Set<String> closeValues;

  private JsonPathMappedPayloadParser(Builder b) {
    this.provider = b.provider;
    this.type = b.type;
    this.idHeader = b.idHeader;
    this.summary = Mapping.of("summary", b.summary);
    this.description = Mapping.of("description", b.description);
    this.subject = Mapping.of("subject", b.subject);
    this.customer = Mapping.of("customer", b.customer);
    this.severity = Mapping.of("severity", b.severity);
    this.status = Mapping.of("status", b.status);
    this.trigger = Mapping.of("trigger", b.trigger);
    this.openValues = Set.copyOf(b.openValues);
    this.closeValues = Set.copyOf(b.closeValues);
    if (trigger == null && !(openValues.isEmpty() && closeValues.isEmpty())) {
      throw new ParserConfigurationException("jsonpath mapping: open and close values need a trigger field; "
          + "set trigger to the JsonPath of the status field, such as $.status");
    }
    if (trigger != null && openValues.isEmpty() && closeValues.isEmpty()) {
      throw new ParserConfigurationException("jsonpath mapping: trigger '" + trigger.source
          + "' needs open or close values, such as open=firing and close=resolved");
    }
    Set<String> both = new TreeSet<>(openValues);
    both.retainAll(closeValues);
    if (!both.isEmpty()) {
      throw new ParserConfigurationException("jsonpath mapping: " + String.join(", ", both)
          + " is both an open and a close value");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A parser from string options, as configuration files give them: {@code summary}, {@code
   * description}, {@code subject}, {@code customer} (or {@code customer_id}), {@code severity},
   * {@code status}, {@code trigger}, {@code open} and {@code close} (comma-separated values),
   * {@code provider}, {@code type}, {@code id-header}.
   *
   * @throws ParserConfigurationException if an option is unknown or a mapping is invalid
   */
  public static JsonPathMappedPayloadParser fromOptions(Map<String, String> options) {
    Set<String> unknown = new TreeSet<>(options.keySet());
    unknown.removeAll(OPTION_KEYS);
    if (!unknown.isEmpty()) {
      throw new ParserConfigurationException("jsonpath mapping has no option " + String.join(", ", unknown)
          + "; it takes " + String.join(", ", new TreeSet<>(OPTION_KEYS)));
    }
    Builder b = builder();
    b.summary = options.get("summary");
    b.description = options.get("description");
    b.subject = options.get("subject");
    b.customer = options.containsKey("customer") ? options.get("customer") : options.get("customer_id");
    b.severity = options.get("severity");
    b.status = options.get("status");
    b.trigger = options.get("trigger");
    if (options.containsKey("open")) {
      b.openValues(split(options.get("open")));
    }
    if (options.containsKey("close")) {
      b.closeValues(split(options.get("close")));
    }
    if (options.containsKey("provider")) {
      b.provider(options.get("provider"));
    }
    if (options.containsKey("type")) {
      b.type(options.get("type"));
    }
    if (options.containsKey("id-header")) {
      b.idHeader(options.get("id-header"));
    }
    return b.build();
  }

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(provider, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  @Override
  public String toString() {
    return "JsonPathMappedPayloadParser[" + provider + "/" + type + "]";
  }

  private WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    String triggerValue = read(trigger, root);
    String action = triggerValue == null ? null
        : openValues.contains(triggerValue.trim()) ? "firing"
        : closeValues.contains(triggerValue.trim()) ? "resolved" : null;
    String summaryText = read(summary, root);
    String severityText = read(severity, root);
    String id = idHeader == null ? DeliveryIds.contentHash(delivery) : DeliveryIds.fromHeaderOrHash(delivery, idHeader);
    return Parsing.event(delivery, id, provider, type, root)
        .action(action)
        .status(Json.first(read(status, root), triggerValue))
        .subject(Json.first(read(subject, root), summaryText))
        .severity("resolved".equals(action) ? Severity.OK
            : severityText == null ? Severity.UNKNOWN : Severity.parse(severityText))
        .attribute("summary", summaryText)
        .attribute("description", read(description, root))
        .attribute("customer", read(customer, root))
        .attribute("trigger_value", triggerValue)
        .build();
  }

  private static @Nullable String read(@Nullable Mapping mapping, JsonNode root) {
    return mapping == null ? null : mapping.read(root);
  }

  private static List<String> split(@Nullable String values) {
    List<String> out = new ArrayList<>();
    if (values != null) {
      for (String v : values.split(",")) {
        if (!v.isBlank()) {
          out.add(v.trim());
        }
      }
    }
    return out;
  }

  /** One mapping: a whole JsonPath, or a template of literal text and JsonPaths in braces. */
  private static final class Mapping {
    private final String source;
    private final @Nullable JsonPath path;
    private final List<Object> parts;

    private Mapping(String source, @Nullable JsonPath path, List<Object> parts) {
      this.source = source;
      this.path = path;
      this.parts = parts;
    }

    static @Nullable Mapping of(String field, @Nullable String source) {
      if (source == null) {
        return null;
      }
      String s = source.trim();
      if (s.isEmpty()) {
        throw new ParserConfigurationException("jsonpath mapping '" + field + "' is blank; remove it or give a JsonPath"
            + " such as $.monitor.name");
      }
      if (s.startsWith("$")) {
        return new Mapping(s, compile(field, s), List.of());
      }
      List<Object> parts = new ArrayList<>();
      Matcher m = PLACEHOLDER.matcher(source);
      int at = 0;
      while (m.find()) {
        parts.add(source.substring(at, m.start()));
        parts.add(compile(field, m.group(1)));
        at = m.end();
      }
      if (at == 0) {
        throw new ParserConfigurationException("jsonpath mapping '" + field + "' = '" + source
            + "' is neither a JsonPath (starting with $) nor a template with {$...} placeholders");
      }
      parts.add(source.substring(at));
      return new Mapping(source, null, List.copyOf(parts));
    }

    private static JsonPath compile(String field, String expression) {
      try {
        return JsonPath.compile(expression);
      } catch (InvalidPathException | IllegalArgumentException e) {
        throw new ParserConfigurationException("jsonpath mapping '" + field + "': invalid JsonPath '" + expression
            + "': " + e.getMessage(), e);
      }
    }

    @Nullable String read(JsonNode root) {
      if (path != null) {
        return text(path, root);
      }
      StringBuilder out = new StringBuilder();
      for (Object part : parts) {
        if (part instanceof JsonPath p) {
          String v = text(p, root);
          out.append(v == null ? "" : v);
        } else {
          out.append((String) part);
        }
      }
      String s = out.toString();
      return s.isBlank() ? null : s;
    }

    private static @Nullable String text(JsonPath path, JsonNode root) {
      Object result = path.read(root, JACKSON);
      if (!(result instanceof JsonNode node) || node.isNull() || node.isMissingNode()) {
        return null;
      }
      if (node.isArray() && !path.isDefinite()) {
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode n : node) {
          String v = n.isValueNode() ? Json.scalar(n) : n.isNull() ? null : n.toString();
          if (v != null) {
            values.add(v);
          }
        }
        return values.isEmpty() ? null : String.join(", ", values);
      }
      return node.isValueNode() ? Json.scalar(node) : node.toString();
    }
  }

  /** Collects a mapping; {@link #build()} validates it. Not thread-safe. */
  public static final class Builder {
    private String provider = "generic";
    private String type = "alert";
    private @Nullable String idHeader;
    private @Nullable String summary;
    private @Nullable String description;
    private @Nullable String subject;
    private @Nullable String customer;
    private @Nullable String severity;
    private @Nullable String status;
    private @Nullable String trigger;
    private final Set<String> openValues = new LinkedHashSet<>();
    private final Set<String> closeValues = new LinkedHashSet<>();

    private Builder() {}

    /** The provider key of the events, {@code generic} by default. */
    public Builder provider(String provider) {
      this.provider = nonBlank("provider", provider);
      return this;
    }

    /** The type of the events, {@code alert} by default. */
    public Builder type(String type) {
      this.type = nonBlank("type", type);
      return this;
    }

    /** A header that carries a unique delivery id; without one the id is the content hash. */
    public Builder idHeader(String idHeader) {
      this.idHeader = nonBlank("id-header", idHeader);
      return this;
    }

    public Builder summary(String jsonPathOrTemplate) {
      this.summary = jsonPathOrTemplate;
      return this;
    }

    public Builder description(String jsonPathOrTemplate) {
      this.description = jsonPathOrTemplate;
      return this;
    }

    public Builder subject(String jsonPathOrTemplate) {
      this.subject = jsonPathOrTemplate;
      return this;
    }

    public Builder customer(String jsonPathOrTemplate) {
      this.customer = jsonPathOrTemplate;
      return this;
    }

    public Builder severity(String jsonPathOrTemplate) {
      this.severity = jsonPathOrTemplate;
      return this;
    }

    public Builder status(String jsonPathOrTemplate) {
      this.status = jsonPathOrTemplate;
      return this;
    }

    /** The field whose value is compared with the open and close values. */
    public Builder trigger(String jsonPath) {
      this.trigger = jsonPath;
      return this;
    }

    public Builder openValues(String... values) {
      return openValues(List.of(values));
    }

    public Builder openValues(List<String> values) {
      values.forEach(v -> openValues.add(Objects.requireNonNull(v, "value").trim()));
      return this;
    }

    public Builder closeValues(String... values) {
      return closeValues(List.of(values));
    }

    public Builder closeValues(List<String> values) {
      values.forEach(v -> closeValues.add(Objects.requireNonNull(v, "value").trim()));
      return this;
    }

    /**
     * @throws ParserConfigurationException if a mapping is not a valid JsonPath or template, or
     *     the trigger and its values do not go together; the message names the mapping
     */
    public JsonPathMappedPayloadParser build() {
      return new JsonPathMappedPayloadParser(this);
    }

    private static String nonBlank(String name, String value) {
      if (value == null || value.isBlank()) {
        throw new ParserConfigurationException("jsonpath mapping: " + name + " must not be blank");
      }
      return value.trim();
    }
  }
}
