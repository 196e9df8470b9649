package dev.hooks.route;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A rule and the handlers of the events it matches. Every condition given must hold; a
 * condition not given matches anything. Several values of one condition are alternatives.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Route deploys = Route.builder("deploy-main")
 *     .provider("github").type("push").branch("main")
 *     .when("$[?(@.deleted == false)]")
 *     .handler(deployer)
 *     .build();
 * }</pre>
 */
public final class Route {
  private final String name;
  private final Set<String> endpoints;
  private final Set<String> providers;
  private final Set<String> types;
  private final Set<String> actions;
  private final List<Glob> branches;
  private final List<Glob> tags;
  private final List<Predicate<WebhookEvent>> conditions;
  private final List<EventHandler> handlers;

  private Route(Builder b) {
    this.name = b.name;
    this.endpoints = Set.copyOf(b.endpoints);
    this.providers = Set.copyOf(b.providers);
    this.types = Set.copyOf(b.types);
    this.actions = Set.copyOf(b.actions);
    this.branches = List.copyOf(b.branches);
    this.tags = List.copyOf(b.tags);
    this.conditions = List.copyOf(b.conditions);
    this.handlers = List.copyOf(b.handlers);
    if (handlers.isEmpty()) {
      throw new IllegalArgumentException("route '" + name + "' has no handler");
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public List<EventHandler> handlers() {
    return handlers;
  }

  /** Whether every condition of this route holds for {@code event}. */
  public boolean matches(WebhookEvent event) {
    return (endpoints.isEmpty() || endpoints.contains(event.endpointId()))
        && (providers.isEmpty() || providers.contains(event.provider()))
        && (types.isEmpty() || types.contains(event.type()))
        && (actions.isEmpty() || event.action().filter(actions::contains).isPresent())
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

  @Override
  public String toString() {
    return "Route[" + name + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final Set<String> endpoints = new LinkedHashSet<>();
    private final Set<String> providers = new LinkedHashSet<>();
    private final Set<String> types = new LinkedHashSet<>();
    private final Set<String> actions = new LinkedHashSet<>();
    private final List<Glob> branches = new ArrayList<>();
    private final List<Glob> tags = new ArrayList<>();
    private final List<Predicate<WebhookEvent>> conditions = new ArrayList<>();
    private final List<EventHandler> handlers = new ArrayList<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder endpoint(String... ids) {
      endpoints.addAll(List.of(ids));
      return this;
    }

    public Builder provider(String... providers) {
      this.providers.addAll(List.of(providers));
      return this;
    }

    public Builder type(String... types) {
      this.types.addAll(List.of(types));
      return this;
    }

    public Builder action(String... actions) {
      this.actions.addAll(List.of(actions));
      return this;
    }

    /** Branch globs, such as {@code main} or {@code release/*}. */
    public Builder branch(String... globs) {
      for (String g : globs) {
        branches.add(Glob.of(g));
      }
      return this;
    }

    /** Tag globs, such as {@code v*}. */
    public Builder tag(String... globs) {
      for (String g : globs) {
        tags.add(Glob.of(g));
      }
      return this;
    }

    /**
     * A JsonPath condition on the payload; see {@link JsonPathCondition}.
     *
     * @throws dev.hooks.HooksException if the expression is invalid
     */
    public Builder when(String jsonPath) {
      conditions.add(JsonPathCondition.of(jsonPath));
      return this;
    }

    /** Any condition on the event. */
    public Builder when(Predicate<WebhookEvent> condition) {
      conditions.add(Objects.requireNonNull(condition, "condition"));
      return this;
    }

    public Builder handler(EventHandler... handlers) {
      this.handlers.addAll(List.of(handlers));
      return this;
    }

    /**
     * @throws IllegalArgumentException if no handler was given
     */
    public Route build() {
      return new Route(this);
    }
  }
}
