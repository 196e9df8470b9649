package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.JsonPath;
import dev.hooks.alerts.internal.Paths;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A routing rule as in HookWise: when the text at {@code path} matches {@code regex} (the whole
 * value), the {@link Overrides} apply. Rules are tried in order and every matching one applies,
 * a later rule's parts replacing an earlier one's. Immutable and thread-safe.
 *
 * <pre>{@code
 * RoutingRule.of("db", "$.monitor.hostname", ".*-DB-.*", new Overrides("Database Team", "High", null, null, null, null));
 * }</pre>
 */
public final class RoutingRule {
  private final String name;
  private final String path;
  private final JsonPath compiled;
  private final Pattern regex;
  private final Overrides overrides;

  private RoutingRule(String name, String path, JsonPath compiled, Pattern regex, Overrides overrides) {
    this.name = name;
    this.path = path;
    this.compiled = compiled;
    this.regex = regex;
    this.overrides = overrides;
  }

  /**
   * @throws IllegalArgumentException naming the rule if the path is not a JsonPath or the regex does not compile
   */
  public static RoutingRule of(String name, String path, String regex, Overrides overrides) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(overrides, "overrides");
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("routing rule '" + name + "' has no path; set it to a JsonPath such as $.monitor.hostname");
    }
    JsonPath compiled;
    try {
      compiled = Paths.compile(path.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("routing rule '" + name + "': path " + e.getMessage(), e);
    }
    if (regex == null) {
      throw new IllegalArgumentException("routing rule '" + name + "' has no regex; set it, such as .*-DB-.*");
    }
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("routing rule '" + name + "': regex '" + regex + "' does not compile: "
          + e.getDescription() + " at index " + e.getIndex(), e);
    }
    return new RoutingRule(name, path.strip(), compiled, p, overrides);
  }

  public String name() {
    return name;
  }

  public String path() {
    return path;
  }

  public Overrides overrides() {
    return overrides;
  }

  /** Whether the text at the rule's path in {@code payload} matches its regex. */
  public boolean matches(JsonNode payload) {
    String v = Paths.text(payload, compiled);
    return v != null && regex.matcher(v).matches();
  }

  @Override
  public String toString() {
    return "RoutingRule[" + name + " " + path + " ~ " + regex.pattern() + "]";
  }
}
