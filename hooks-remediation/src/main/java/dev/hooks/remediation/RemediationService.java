package dev.hooks.remediation;

import dev.hooks.notify.OutboxSender;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remediation facade an HTTP layer mounts, free of HTTP: {@link #status()} for {@code GET
 * /status}, {@link #reset(String)} for {@code POST /reset}, {@link #handler()} for webhook events
 * such as {@code POST /autoheal-event}. {@link #start()} runs the tracker's timers (and the
 * Docker events source, if given) in the background.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * RemediationService service = RemediationService.builder(tracker)
 *     .resolver(DockerRemediation.serviceResolver(docker))
 *     .build();
 * service.start();
 * RemediationStatus status = service.status();
 * List<ServiceKey> done = service.reset("shop/web");
 * }</pre>
 */
public final class RemediationService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemediationService.class);

  private final FailureTracker tracker;
  private final RemediationEventHandler handler;
  private final @Nullable ServiceResolver resolver;
  private final @Nullable String watch;
  private final @Nullable DockerEventsSource events;
  private final @Nullable OutboxSender sender;
  private final Duration tick;
  private final Clock clock;
  private @Nullable ScheduledExecutorService timer;

  private RemediationService(Builder b) {
    this.tracker = b.tracker;
    this.resolver = b.resolver;
    this.watch = b.watch;
    this.events = b.events;
    this.sender = b.sender;
    this.tick = b.tick;
    this.clock = b.clock;
    this.handler = RemediationEventHandler.builder(tracker).resolver(resolver).watch(watch).build();
  }

  public static Builder builder(FailureTracker tracker) {
    return new Builder(tracker);
  }

  public FailureTracker tracker() {
    return tracker;
  }

  /** The handler to register for container events (Docker, autoheal, generic health webhooks). */
  public RemediationEventHandler handler() {
    return handler;
  }

  /** Every service's state with the policy's threshold and cooldown. */
  public RemediationStatus status() {
    return new RemediationStatus(clock.instant(), tracker.policy().threshold(), tracker.policy().cooldown(), watch, tracker.status());
  }

  /**
   * Admin reset: forgets the count and leaves quarantine.
   *
   * @param serviceName {@code project/service}, a compose service name (reset in every project
   *     that has it), or a container name (resolved to its service)
   * @return the services reset; empty if the name matches none
   */
  public List<ServiceKey> reset(String serviceName) {
    Objects.requireNonNull(serviceName, "serviceName");
    List<ServiceKey> keys = new ArrayList<>();
    if (serviceName.contains("/")) {
      keys.add(ServiceKey.parse(serviceName));
    } else {
      tracker.status().stream().map(ServiceStatus::service).filter(k -> k.service().equals(serviceName)).forEach(keys::add);
      if (keys.isEmpty() && resolver != null) {
        resolver.resolve(serviceName).ifPresent(keys::add);
      }
    }
    List<ServiceKey> reset = new ArrayList<>();
    for (ServiceKey key : keys) {
      if (tracker.reset(key)) {
        reset.add(key);
      }
    }
    return reset;
  }

  /** Starts the timer that runs due work every tick (1 s by default), the events source and the alerts' sender. */
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hooks-remediation-timer");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        tracker.runDue();
      } catch (RuntimeException e) {
        LOG.warn("remediation timers failed", e);
      }
    }, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    if (sender != null) {
      sender.start();
    }
    if (events != null) {
      events.start();
    }
  }

  /** Stops the timer, the events source and the alerts' sender; queued alerts stay in the outbox. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    if (events != null) {
      events.close();
    }
    if (sender != null) {
      sender.close();
    }
  }

  /** Collects the settings; not thread-safe. */
  public static final class Builder {
    private final FailureTracker tracker;
    private @Nullable ServiceResolver resolver;
    private @Nullable String watch;
    private @Nullable DockerEventsSource events;
    private @Nullable OutboxSender sender;
    private Duration tick = Duration.ofSeconds(1);
    private Clock clock = Clock.systemUTC();

    private Builder(FailureTracker tracker) {
      this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /** Finds the service of a container name (autoheal events, resets by container name). */
    public Builder resolver(@Nullable ServiceResolver resolver) {
      this.resolver = resolver;
      return this;
    }

    /** Tracks only this service or container; see {@link RemediationEventHandler.Builder#watch}. */
    public Builder watch(@Nullable String serviceOrContainer) {
      this.watch = serviceOrContainer;
      return this;
    }

    /** A Docker events source started and closed with the service. */
    public Builder events(@Nullable DockerEventsSource events) {
      this.events = events;
      return this;
    }

    /** The sender of the outbox the ladder's alerts are queued in, started and closed with the service. */
    public Builder sender(@Nullable OutboxSender sender) {
      this.sender = sender;
      return this;
    }

    /** How often due timers are checked, 1 s by default. */
    public Builder tick(Duration tick) {
      this.tick = Objects.requireNonNull(tick, "tick");
      return this;
    }

    /** The clock of {@link RemediationStatus#at()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public RemediationService build() {
      return new RemediationService(this);
    }
  }
}
