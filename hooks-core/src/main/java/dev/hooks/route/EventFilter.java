package dev.hooks.route;

import dev.hooks.event.EventActions;
import dev.hooks.event.EventTypes;
import dev.hooks.event.WebhookEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conditions on an event: endpoint, provider, type, action, repository, branch and tag globs,
 * and JsonPath or any other predicates. Every condition given must hold; one not given matches
 * anything; several values of one condition are alternatives. {@link Route} and the
 * notification routes of hooks-notify filter with it. Immutable and thread-safe.
 *
 * <pre>{@code
 * EventFilter f = EventFilter.builder().provider("github").type("push").branch("main", "release/*").build();
 * f.test(event);
 * }</pre>
 */
public final class EventFilter implements Predicate<WebhookEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(EventFilter.class);
  /** Deprecated words already warned about: one warning per word and process. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  private static final EventFilter ANY = builder().build();

  private final Set<String> endpoints;
  private final Set<String> providers;
  private final Set<String> types;
  private final Set<String> actions;
  private final List<Glob> repositories;
  private final List<Glob> branches;
  private final List<Glob> tags;
  private final List<Predicate<WebhookEvent>> conditions;

  private EventFilter(Builder b) {
    this.endpoints = Set.copyOf(b.endpoints);
    this.providers = Set.copyOf(b.providers);
    this.types = Set.copyOf(b.types);
    this.actions = Set.copyOf(b.actions);
    this.repositories = List.copyOf(b.repositories);
    this.branches = List.copyOf(b.branches);
    this.tags = List.copyOf(b.tags);
    this.conditions = List.copyOf(b.conditions);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A filter that matches every event. */
  public static EventFilter any() {
    return ANY;
  }

  /** Whether every condition holds for {@code event}. */
  @Override
  public boolean test(WebhookEvent event) {
    return (endpoints.isEmpty() || endpoints.contains(event.endpointId()))
        && (providers.isEmpty() || providers.contains(event.provider()))
        && (types.isEmpty() || types.contains(event.type()))
        && (actions.isEmpty() || event.action().filter(actions::contains).isPresent()
            || event.attribute(EventActions.SOURCE_ACTION).filter(actions::contains).isPresent())
        && (repositories.isEmpty() || event.repository().filter(r -> anyMatch(repositories, r)).isPresent())
        && (branches.isEmpty() || event.branch().filter(b -> anyMatch(branches, b)).isPresent())
        && (tags.isEmpty() || event.tag().filter(t -> anyMatch(tags, t)).isPresent())
        && conditions.stream().allMatch(c -> c.test(event));
  }

  private static boolean anyMatch(List<Glob> globs, String value) {
    for (Glob g : globs) {
      if (g.matches(value)) {
        return true;
      }
    }
    return false;
  }

  /** The conditions given, such as {@code provider=[github] branch=[main] when=[$.x]}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    append(s, "endpoint", endpoints);
    append(s, "provider", providers);
    append(s, "type", types);
    append(s, "action", actions);
    append(s, "repository", repositories);
    append(s, "branch", branches);
    append(s, "tag", tags);
    append(s, "when", conditions);
    return s.length() == 0 ? "any" : s.toString();
  }

  private static void append(StringBuilder s, String name, java.util.Collection<?> values) {
    if (!values.isEmpty()) {
      s.append(s.length() == 0 ? "" : " ").append(name).append('=').append(values);
    }
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final Set<String> endpoints = new LinkedHashSet<>();
    private final Set<String> providers = new LinkedHashSet<>();
    private final Set<String> types = new LinkedHashSet<>();
    private final Set<String> actions = new LinkedHashSet<>();
    private final List<Glob> repositories = new ArrayList<>();
    private final List<Glob> branches = new ArrayList<>();
    private final List<Glob> tags = new ArrayList<>();
    private final List<Predicate<WebhookEvent>> conditions = new ArrayList<>();

    private Builder() {}

    public Builder endpoint(String... ids) {
      endpoints.addAll(List.of(ids));
      return this;
    }

    public Builder provider(String... providers) {
      this.providers.addAll(List.of(providers));
      return this;
    }

    /**
     * Event types of {@link EventTypes}, such as {@code push}, {@code ci.pipeline}, {@code alert}.
     * A deprecated word of an earlier release ({@code workflow}, {@code pipeline}, {@code build},
     * {@code job}, {@code monitor}) also matches the types it now is; see {@link EventTypes#resolve}.
     */
    public Builder type(String... types) {
      for (String t : types) {
        Set<String> now = EventTypes.resolve(t);
        if (now.size() > 1 && WARNED.add("type " + t)) {
          LOG.warn("event type '{}' is deprecated and will be removed; use {}", t, now.stream().skip(1).toList());
        }
        this.types.addAll(now);
      }
      return this;
    }

    /**
     * Actions of {@link EventActions}, such as {@code failed} or {@code firing}. An action matches
     * the event's action, or the provider's own word the parser kept in attribute {@value
     * EventActions#SOURCE_ACTION} ({@code synchronize}); a deprecated word ({@code down}, {@code
     * unstable}...) also matches the action it now is; see {@link EventActions#resolve}.
     */
    public Builder action(String... actions) {
      for (String a : actions) {
        Set<String> now = EventActions.resolve(a);
        if (now.size() > 1 && WARNED.add("action " + a)) {
          LOG.warn("event action '{}' is deprecated and will be removed; use {}", a, now.stream().skip(1).toList());
        }
        this.actions.addAll(now);
      }
      return this;
    }

    /** Repository globs, such as {@code octo-org/*}. */
    public Builder repository(String... globs) {
      return globs(repositories, globs);
    }

    /** Branch globs, such as {@code main} or {@code release/*}. */
    public Builder branch(String... globs) {
      return globs(branches, globs);
    }

    /** Tag globs, such as {@code v*}. */
    public Builder tag(String... globs) {
      return globs(tags, globs);
    }

    /**
     * A JsonPath condition on the payload; see {@link JsonPathCondition}.
     *
     * @throws dev.hooks.HooksException if the expression is invalid, naming it
     */
    public Builder when(String jsonPath) {
      conditions.add(JsonPathCondition.of(jsonPath));
      return this;
    }

    /** Any condition on the event; its {@code toString()} names it in logs. */
    public Builder when(Predicate<WebhookEvent> condition) {
      conditions.add(Objects.requireNonNull(condition, "condition"));
      return this;
    }

    private Builder globs(List<Glob> into, String... globs) {
      for (String g : globs) {
        into.add(Glob.of(g));
      }
      return this;
    }

    public EventFilter build() {
      return new EventFilter(this);
    }
  }
}
