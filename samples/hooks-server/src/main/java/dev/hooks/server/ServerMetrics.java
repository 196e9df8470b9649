package dev.hooks.server;

import dev.hooks.Hooks;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.metrics.HooksMetrics;
import dev.hooks.notify.Notifier;
import dev.hooks.outbox.NotificationOutbox;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * The meters of hooks-server, in one Micrometer {@link PrometheusMeterRegistry} that {@code GET
 * /metrics} writes in the Prometheus text format: hooks-metrics' {@link HooksMetrics} (the names
 * the Spring starter's Actuator shows too; the table is there), and whatever other parts of the
 * server register in {@link #registry()}. Thread-safe.
 */
final class ServerMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;

  ServerMetrics(Clock clock) {
    this.clock = clock;
  }

  /** The registry every meter of the server is in. */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The meters in the Prometheus text format, version 0.0.4. */
  String scrape() {
    return registry.scrape();
  }

  /** Registers the meters read from {@code hooks} and {@code outbox} (if any). */
  void bind(Hooks hooks, @Nullable NotificationOutbox outbox) {
    new HooksMetrics(hooks, outbox).bindTo(registry);
  }

  /** {@code handler}, its failures counted and the latency of its successes timed. */
  EventHandler metered(EventHandler handler) {
    return HooksMetrics.metered(registry, handler, clock);
  }

  /** {@code notifier}, each outcome of its sends counted under its name. */
  Notifier metered(Notifier notifier) {
    return HooksMetrics.metered(registry, notifier);
  }
}
