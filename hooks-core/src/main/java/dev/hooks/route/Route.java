package dev.hooks.route;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
  private final EventFilter filter;
  private final List<EventHandler> handlers;

  private Route(Builder b) {
    this.name = b.name;
    this.filter = b.filter.build();
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

  public EventFilter filter() {
    return filter;
  }

  public List<EventHandler> handlers() {
    return handlers;
  }

  /** Whether every condition of this route holds for {@code event}. */
  public boolean matches(WebhookEvent event) {
    return filter.test(event);
  }

  @Override
  public String toString() {
    return "Route[" + name + ": " + filter + "]";
  }

  /** Not thread-safe. The conditions are those of {@link EventFilter.Builder}. */
  public static final class Builder {
    private final String name;
    private final EventFilter.Builder filter = EventFilter.builder();
    private final List<EventHandler> handlers = new ArrayList<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder endpoint(String... ids) {
      filter.endpoint(ids);
      return this;
    }

    public Builder provider(String... providers) {
      filter.provider(providers);
      return this;
    }

    public Builder type(String... types) {
      filter.type(types);
      return this;
    }

    public Builder action(String... actions) {
      filter.action(actions);
      return this;
    }

    /** Repository globs, such as {@code octo-org/*}. */
    public Builder repository(String... globs) {
      filter.repository(globs);
      return this;
    }

    /** Branch globs, such as {@code main} or {@code release/*}. */
    public Builder branch(String... globs) {
      filter.branch(globs);
      return this;
    }

    /** Tag globs, such as {@code v*}. */
    public Builder tag(String... globs) {
      filter.tag(globs);
      return this;
    }

    /**
     * A JsonPath condition on the payload; see {@link JsonPathCondition}.
     *
     * @throws dev.hooks.HooksException if the expression is invalid
     */
    public Builder when(String jsonPath) {
      filter.when(jsonPath);
      return this;
    }

    /** Any condition on the event. */
    public Builder when(Predicate<WebhookEvent> condition) {
      filter.when(condition);
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
