package dev.hooks.route;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses the handlers of an event: those of every matching route, each handler once, in
 * route order. Immutable and thread-safe.
 */
public final class Router {
  private final List<Route> routes;

  private Router(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  public static Router of(List<Route> routes) {
    return new Router(routes);
  }

  public static Router of(Route... routes) {
    return new Router(List.of(routes));
  }

  public List<Route> routes() {
    return routes;
  }

  /** The handlers of every route that matches {@code event}; empty when none does. */
  public List<EventHandler> handlersFor(WebhookEvent event) {
    Set<EventHandler> handlers = new LinkedHashSet<>();
    for (Route r : routes) {
      if (r.matches(event)) {
        handlers.addAll(r.handlers());
      }
    }
    return new ArrayList<>(handlers);
  }

  /** A router with {@code route} added after the others. */
  public Router with(Route route) {
    List<Route> more = new ArrayList<>(routes);
    more.add(route);
    return new Router(more);
  }
}
