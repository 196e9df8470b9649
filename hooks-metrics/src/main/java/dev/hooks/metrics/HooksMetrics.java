package dev.hooks.metrics;

import dev.hooks.Hooks;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import dev.hooks.ingress.IngressResult;
import dev.hooks.ingress.IngressStats;
import dev.hooks.notify.Notification;
import dev.hooks.notify.Notifier;
import dev.hooks.notify.RenderedMessage;
import dev.hooks.notify.SendOutcome;
import dev.hooks.notify.TextFormat;
import dev.hooks.outbox.NotificationOutbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * hooks' meters, one set of names wherever hooks runs: hooks-server's {@code GET /metrics} and
 * the Spring starter's Actuator ({@code /actuator/prometheus}) both bind this class. Micrometer
 * names are dotted ({@code hooks.received}); in the Prometheus format every name starts with
 * {@code hooks_}:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Prometheus name</th><th>kind</th><th>what</th></tr>
 *   <tr><td>{@code hooks_received_total}</td><td>counter</td><td>deliveries received</td></tr>
 *   <tr><td>{@code hooks_accepted_total}</td><td>counter</td><td>journaled and answered 202</td></tr>
 *   <tr><td>{@code hooks_rejected_total{reason}}</td><td>counter</td><td>refused, by reason ({@code unauthorized}, {@code body_too_large}, {@code unparseable}...)</td></tr>
 *   <tr><td>{@code hooks_duplicates_total}</td><td>counter</td><td>redeliveries answered 200</td></tr>
 *   <tr><td>{@code hooks_dispatched_total}, {@code hooks_retries_total}</td><td>counter</td><td>events handled; failed attempts retried</td></tr>
 *   <tr><td>{@code hooks_dispatch_latency_seconds{handler}}</td><td>summary</td><td>from receipt to the handler's success</td></tr>
 *   <tr><td>{@code hooks_handler_failures_total{handler}}</td><td>counter</td><td>handler calls that threw</td></tr>
 *   <tr><td>{@code hooks_pending}, {@code hooks_dead_letters}, {@code hooks_in_flight}</td><td>gauge</td><td>the journal's backlog</td></tr>
 *   <tr><td>{@code hooks_outbox_sent_total{target}}</td><td>counter</td><td>requests a target accepted</td></tr>
 *   <tr><td>{@code hooks_outbox_failed_total{target}}</td><td>counter</td><td>requests that failed (retried or given up)</td></tr>
 *   <tr><td>{@code hooks_outbox_throttled_total{target}}</td><td>counter</td><td>requests held for a rate limit (the target's 429, or a handler's {@code rate-limit})</td></tr>
 *   <tr><td>{@code hooks_outbox_pending}, {@code hooks_outbox_delivered}, {@code hooks_outbox_dead}</td><td>gauge</td><td>messages waiting; sent and still kept (until the outbox's retention ends); given up</td></tr>
 * </table>
 *
 * <p>The counters and gauges are read from the {@link Hooks} instance and the outbox ({@link
 * #bindTo}); the latency and failures of handlers and the outcomes of notifiers need the handler
 * or notifier wrapped ({@link #metered(MeterRegistry, EventHandler, Clock)}, {@link
 * #metered(MeterRegistry, Notifier)}). Thread-safe.
 *
 * <pre>{@code
 * new HooksMetrics(hooks, outbox).bindTo(registry);
 * EventHandler timed = HooksMetrics.metered(registry, handler, Clock.systemUTC());
 * }</pre>
 */
public final class HooksMetrics implements MeterBinder {
  private final Hooks hooks;
  private final @Nullable NotificationOutbox outbox;

  /**
   * @param hooks the instance whose ingress, dispatcher and journal are read
   * @param outbox the notification outbox, or null when there is none
   */
  public HooksMetrics(Hooks hooks, @Nullable NotificationOutbox outbox) {
    this.hooks = hooks;
    this.outbox = outbox;
  }

  /** Registers the meters read from the hooks instance and the outbox (if any). */
  @Override
  public void bindTo(MeterRegistry registry) {
    IngressStats stats = hooks.ingress().stats();
    FunctionCounter.builder("hooks.received", stats, IngressStats::received).description("deliveries received").register(registry);
    FunctionCounter.builder("hooks.accepted", stats, IngressStats::accepted).description("deliveries journaled and answered 202").register(registry);
    FunctionCounter.builder("hooks.duplicates", stats, IngressStats::duplicates).description("redeliveries answered 200 with the first id").register(registry);
    for (IngressResult.Error e : IngressResult.Error.values()) {
      FunctionCounter.builder("hooks.rejected", stats, s -> s.rejectedByReason().getOrDefault(e.code(), 0L))
          .tag("reason", e.code()).description("deliveries refused, by reason").register(registry);
    }
    FunctionCounter.builder("hooks.dispatched", hooks, h -> h.dispatcher().completedCount())
        .description("events handled by every handler of their routes").register(registry);
    FunctionCounter.builder("hooks.retries", hooks, h -> h.dispatcher().retriedCount())
        .description("handler attempts that failed and were retried").register(registry);
    Gauge.builder("hooks.pending", hooks, h -> safe(() -> h.journal().backlog().pending())).description("journaled events not yet handled").register(registry);
    Gauge.builder("hooks.dead.letters", hooks, h -> safe(() -> h.journal().backlog().dead())).description("events whose handlers gave up").register(registry);
    Gauge.builder("hooks.in.flight", hooks, h -> h.dispatcher().inFlight()).description("events being handled now").register(registry);
    if (outbox != null) {
      Gauge.builder("hooks.outbox.pending", outbox, o -> safe(() -> o.counts().pending())).description("notifications waiting to be sent").register(registry);
      Gauge.builder("hooks.outbox.delivered", outbox, o -> safe(() -> o.counts().delivered())).description("sent notifications, kept until the outbox's retention ends").register(registry);
      Gauge.builder("hooks.outbox.dead", outbox, o -> safe(() -> o.counts().dead())).description("notifications given up").register(registry);
    }
  }

  /** {@code handler}, its failures counted and the latency of its successes timed in {@code registry}. */
  public static EventHandler metered(MeterRegistry registry, EventHandler handler, Clock clock) {
    Timer latency = Timer.builder("hooks.dispatch.latency").tag("handler", handler.name())
        .description("from the delivery's receipt to its handler's success").register(registry);
    Counter failures = Counter.builder("hooks.handler.failures").tag("handler", handler.name())
        .description("handler calls that threw; the dispatcher retries them").register(registry);
    return new EventHandler() {
      @Override
      public void handle(WebhookEvent event) throws Exception {
        try {
          handler.handle(event);
        } catch (Exception | Error ex) {
          failures.increment();
          throw ex;
        }
        Duration since = Duration.between(event.receivedAt(), clock.instant());
        latency.record(since.isNegative() ? Duration.ZERO : since);
      }

      @Override
      public String name() {
        return handler.name();
      }

      @Override
      public String toString() {
        return handler.toString();
      }
    };
  }

  /** {@code notifier}, each outcome of its sends counted under its name in {@code registry}. */
  public static Notifier metered(MeterRegistry registry, Notifier notifier) {
    Counter sent = outcome(registry, "hooks.outbox.sent", notifier, "requests the target accepted");
    Counter failed = outcome(registry, "hooks.outbox.failed", notifier, "requests that failed, retried or given up");
    Counter throttled = outcome(registry, "hooks.outbox.throttled", notifier, "requests held for a rate limit");
    return new Notifier() {
      @Override
      public String name() {
        return notifier.name();
      }

      @Override
      public List<RenderedMessage> render(Notification notification) {
        return notifier.render(notification);
      }

      @Override
      public SendOutcome send(RenderedMessage message, String idempotencyKey) {
        SendOutcome o;
        try {
          o = notifier.send(message, idempotencyKey);
        } catch (RuntimeException ex) {
          failed.increment();
          throw ex;
        }
        switch (o.kind()) {
          case SUCCESS -> sent.increment();
          case RATE_LIMITED -> throttled.increment();
          default -> failed.increment();
        }
        return o;
      }

      @Override
      public TextFormat format() {
        return notifier.format();
      }

      @Override
      public String rateLimitScope() {
        return notifier.rateLimitScope();
      }

      @Override
      public String toString() {
        return notifier.toString();
      }
    };
  }

  private static Counter outcome(MeterRegistry registry, String name, Notifier n, String description) {
    return Counter.builder(name).tag("target", n.name()).description(description).register(registry);
  }

  /** A store that cannot be read gives NaN, which Prometheus shows as such, not an error. */
  private static double safe(DoubleSupplier read) {
    try {
      return read.getAsDouble();
    } catch (RuntimeException ex) {
      return Double.NaN;
    }
  }
}
