package dev.hooks.alerts;

import dev.hooks.alerts.internal.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One alert endpoint as HookWise configures it: a JsonPath mapping of summary, description,
 * severity, company and any extra field; a ticket prefix; a trigger field with open and close
 * values (exact match); routing rules; the sink that files its incidents. Immutable and
 * thread-safe; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * AlertEndpoint kuma = AlertEndpoint.builder("kuma")
 *     .trigger("$.heartbeat.status", List.of("0"), List.of("1"))
 *     .map("summary", "$.monitor.name").map("description", "$.heartbeat.msg")
 *     .map("customer_id", "$.monitor.tags.CW_ID")
 *     .build();
 * }</pre>
 */
public final class AlertEndpoint {
  /** The mapping keys with a meaning of their own; every other key is an extra field. */
  public static final Set<String> KNOWN_KEYS = Set.of("summary", "description", "severity", "company", "customer_id");
  /** The default fingerprint: prefix, summary and company. */
  public static final String DEFAULT_FINGERPRINT = "{{ prefix }}|{{ summary }}|{{ company }}";

  private final String id;
  private final String name;
  private final String ticketPrefix;
  private final @Nullable String triggerPath;
  private final Set<String> openValues;
  private final Set<String> closeValues;
  private final Map<String, String> mapping;
  private final List<RoutingRule> rules;
  private final @Nullable String sink;
  private final @Nullable String board;
  private final @Nullable String priority;
  private final @Nullable String company;
  private final @Nullable String fingerprint;
  private final Duration reopenWithin;
  private final @Nullable String splitPath;
  private final @Nullable String rootCauseInstructions;

  private AlertEndpoint(Builder b) {
    this.id = b.id;
    this.name = b.name != null ? b.name : b.id;
    this.ticketPrefix = b.ticketPrefix;
    this.triggerPath = b.triggerPath;
    this.openValues = Set.copyOf(b.openValues);
    this.closeValues = Set.copyOf(b.closeValues);
    this.mapping = Map.copyOf(b.mapping);
    this.rules = List.copyOf(b.rules);
    this.sink = b.sink;
    this.board = b.board;
    this.priority = b.priority;
    this.company = b.company;
    this.fingerprint = b.fingerprint;
    this.reopenWithin = b.reopenWithin;
    this.splitPath = b.splitPath;
    this.rootCauseInstructions = b.rootCauseInstructions;
  }

  /** @throws NullPointerException if {@code id} is null */
  public static Builder builder(String id) {
    return new Builder(Objects.requireNonNull(id, "id"));
  }

  public String id() {
    return id;
  }

  /** A name for history and logs; default the id. */
  public String name() {
    return name;
  }

  public String ticketPrefix() {
    return ticketPrefix;
  }

  public @Nullable String triggerPath() {
    return triggerPath;
  }

  public Set<String> openValues() {
    return openValues;
  }

  public Set<String> closeValues() {
    return closeValues;
  }

  /** Destination → JsonPath or template. */
  public Map<String, String> mapping() {
    return mapping;
  }

  public List<RoutingRule> rules() {
    return rules;
  }

  /** The sink's name, or null for the router's default sink. */
  public @Nullable String sink() {
    return sink;
  }

  public @Nullable String board() {
    return board;
  }

  public @Nullable String priority() {
    return priority;
  }

  /** The company of alerts no rule, tag or field names. */
  public @Nullable String company() {
    return company;
  }

  /** The fingerprint template, or null for {@link #DEFAULT_FINGERPRINT} (labels for alert groups). */
  public @Nullable String fingerprint() {
    return fingerprint;
  }

  /** A close followed by an open within this time reopens the incident instead of opening another; zero never reopens. */
  public Duration reopenWithin() {
    return reopenWithin;
  }

  /** The array whose elements are alerts of their own, or null to detect Alertmanager and Grafana groups ({@code $.alerts}). */
  public @Nullable String splitPath() {
    return splitPath;
  }

  /** This endpoint's instructions to the root-cause model (HookWise's "RCA Instructions"), or null. */
  public @Nullable String rootCauseInstructions() {
    return rootCauseInstructions;
  }

  @Override
  public String toString() {
    return "AlertEndpoint[" + name + "]";
  }

  /** Builds an {@link AlertEndpoint}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private @Nullable String name;
    private String ticketPrefix = "Alert:";
    private @Nullable String triggerPath;
    private final Set<String> openValues = new LinkedHashSet<>();
    private final Set<String> closeValues = new LinkedHashSet<>();
    private final Map<String, String> mapping = new LinkedHashMap<>();
    private final List<RoutingRule> rules = new ArrayList<>();
    private @Nullable String sink;
    private @Nullable String board;
    private @Nullable String priority;
    private @Nullable String company;
    private @Nullable String fingerprint;
    private Duration reopenWithin = Duration.ZERO;
    private @Nullable String splitPath;
    private @Nullable String rootCauseInstructions;

    private Builder(String id) {
      this.id = id;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The prefix of every ticket summary, such as {@code Infrastructure Alert:}; default {@code Alert:}. */
    public Builder ticketPrefix(String prefix) {
      this.ticketPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * The trigger field and its values, compared exactly (as strings: {@code 0} is not {@code
     * DOWN}). Without a trigger every alert opens.
     */
    public Builder trigger(String path, List<String> open, List<String> close) {
      this.triggerPath = path;
      open.forEach(v -> openValues.add(v.strip()));
      close.forEach(v -> closeValues.add(v.strip()));
      return this;
    }

    /** Maps a destination ({@code summary}, {@code description}, {@code severity}, {@code company} or {@code customer_id}, or any extra field) to a JsonPath or template. */
    public Builder map(String destination, String pathOrTemplate) {
      mapping.put(destination, pathOrTemplate);
      return this;
    }

    public Builder rule(RoutingRule rule) {
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    public Builder sink(@Nullable String sink) {
      this.sink = sink;
      return this;
    }

    public Builder board(@Nullable String board) {
      this.board = board;
      return this;
    }

    public Builder priority(@Nullable String priority) {
      this.priority = priority;
      return this;
    }

    public Builder company(@Nullable String company) {
      this.company = company;
      return this;
    }

    public Builder fingerprint(@Nullable String template) {
      this.fingerprint = template;
      return this;
    }

    public Builder reopenWithin(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("endpoint '" + id + "': reopen-within must not be negative");
      }
      this.reopenWithin = d;
      return this;
    }

    public Builder splitPath(@Nullable String path) {
      this.splitPath = path;
      return this;
    }

    /** Instructions added to the root-cause model's prompt for this endpoint's alerts. */
    public Builder rootCauseInstructions(@Nullable String instructions) {
      this.rootCauseInstructions = instructions;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the endpoint and the key if a path or template is invalid
     */
    public AlertEndpoint build() {
      String where = "alert endpoint '" + (name != null ? name : id) + "'";
      if (triggerPath != null) {
        try {
          Paths.compile(triggerPath);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": trigger " + e.getMessage(), e);
        }
        if (openValues.isEmpty()) {
          throw new IllegalArgumentException(where + ": the trigger has no open values; list them, such as open: [\"0\"]");
        }
      }
      for (Map.Entry<String, String> m : mapping.entrySet()) {
        try {
          if (Paths.isPath(m.getValue()) && !m.getValue().contains("{")) {
            Paths.compile(m.getValue().strip());
          } else {
            Paths.checkTemplate(m.getValue());
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": mapping." + m.getKey() + " " + e.getMessage(), e);
        }
      }
      if (splitPath != null) {
        try {
          Paths.compile(splitPath);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": split " + e.getMessage(), e);
        }
      }
      return new AlertEndpoint(this);
    }
  }
}
