package dev.hooks.spring;

import dev.hooks.Hooks;
import dev.hooks.ingress.IngressResult;
import dev.hooks.ingress.IngressStats;
import dev.hooks.journal.EventJournal;
import dev.hooks.outbox.NotificationOutbox;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * hooks' meters, named as hooks-server's {@code /metrics} names them: {@code hooks.received},
 * {@code hooks.accepted}, {@code hooks.duplicates}, {@code hooks.rejected} (tag {@code reason}),
 * {@code hooks.dispatched}, {@code hooks.retries} (counters); {@code hooks.pending},
 * {@code hooks.dead.letters}, {@code hooks.in.flight}, {@code hooks.outbox.pending},
 * {@code hooks.outbox.delivered}, {@code hooks.outbox.dead} (gauges). In Prometheus:
 * {@code hooks_received_total}, {@code hooks_pending}, ...
 */
public final class HooksMeters implements MeterBinder {
  private final Hooks hooks;
  private final @Nullable NotificationOutbox outbox;

  public HooksMeters(Hooks hooks, @Nullable NotificationOutbox outbox) {
    this.hooks = hooks;
    this.outbox = outbox;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    IngressStats stats = hooks.ingress().stats();
    counter(registry, "hooks.received", "deliveries received", stats, IngressStats::received);
    counter(registry, "hooks.accepted", "deliveries journaled and answered 202", stats, IngressStats::accepted);
    counter(registry, "hooks.duplicates", "redeliveries answered 200 with the first id", stats, IngressStats::duplicates);
    for (IngressResult.Error e : IngressResult.Error.values()) {
      FunctionCounter.builder("hooks.rejected", stats, s -> s.rejectedByReason().getOrDefault(e.code(), 0L))
          .tag("reason", e.code()).description("deliveries refused, by reason").register(registry);
    }
    FunctionCounter.builder("hooks.dispatched", hooks, h -> h.dispatcher().completedCount())
        .description("events handled by every handler of their routes").register(registry);
    FunctionCounter.builder("hooks.retries", hooks, h -> h.dispatcher().retriedCount())
        .description("handler attempts that failed and were retried").register(registry);
    gauge(registry, "hooks.pending", "journaled events not yet handled", hooks.journal(), j -> j.backlog().pending());
    gauge(registry, "hooks.dead.letters", "events whose handlers gave up", hooks.journal(), j -> j.backlog().dead());
    Gauge.builder("hooks.in.flight", hooks, h -> h.dispatcher().inFlight()).description("events being handled now").register(registry);
    if (outbox != null) {
      Gauge.builder("hooks.outbox.pending", outbox, o -> safe(() -> o.counts().pending())).description("notifications waiting to be sent").register(registry);
      Gauge.builder("hooks.outbox.delivered", outbox, o -> safe(() -> o.counts().delivered())).description("notifications accepted by their targets").register(registry);
      Gauge.builder("hooks.outbox.dead", outbox, o -> safe(() -> o.counts().dead())).description("notifications given up").register(registry);
    }
  }

  private static void counter(MeterRegistry registry, String name, String description, IngressStats stats, ToDoubleFunction<IngressStats> f) {
    FunctionCounter.builder(name, stats, f).description(description).register(registry);
  }

  private static void gauge(MeterRegistry registry, String name, String description, EventJournal journal, ToDoubleFunction<EventJournal> f) {
    Gauge.builder(name, journal, j -> safe(() -> f.applyAsDouble(j))).description(description).register(registry);
  }

  /** A store that cannot be read gives NaN, which Prometheus shows as such, not an error. */
  private static double safe(java.util.function.DoubleSupplier read) {
    try {
      return read.getAsDouble();
    } catch (RuntimeException ex) {
      return Double.NaN;
    }
  }
}
