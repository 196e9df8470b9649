package dev.hooks.remediation;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.dispatch.PermanentFailureException;
import dev.hooks.event.WebhookEvent;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds container events to a {@link FailureTracker}. Events of type {@code container} count
 * as failures when their action is {@code unhealthy}, {@code oom}, {@code restart_failed}, or
 * {@code died} with an {@code exit_code} other than 0; from provider {@code autoheal} also
 * {@code restarted} and {@code restarting} (autoheal sends one notice per restart of an
 * unhealthy container). {@code healthy} is a recovery. Everything else is ignored, such as a
 * Docker {@code restarted} (someone restarted the container on purpose).
 *
 * <p>The service comes from the attributes {@code compose_project} and {@code compose_service}
 * (Docker events), else from the container named by the attribute {@code container_name} or the
 * subject (autoheal webhooks), through the {@link ServiceResolver}. A container that resolves to
 * no compose service is a {@link PermanentFailureException}. With {@link Builder#watch} set,
 * only that service or container is tracked, as the autoheal listener tracked only its critical
 * service.
 *
 * <p>Thread-safe; idempotent by event id (the tracker counts an id once).
 *
 * <pre>{@code
 * EventHandler h = RemediationEventHandler.builder(tracker)
 *     .resolver(DockerRemediation.serviceResolver(docker)).build();
 * }</pre>
 */
public final class RemediationEventHandler implements EventHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RemediationEventHandler.class);
  private static final Set<String> FAILURES = Set.of("unhealthy", "died", "oom", "restart_failed");
  private static final Set<String> AUTOHEAL_FAILURES = Set.of("restarted", "restarting");

  private final FailureTracker tracker;
  private final @Nullable ServiceResolver resolver;
  private final @Nullable String watch;

  private RemediationEventHandler(Builder b) {
    this.tracker = b.tracker;
    this.resolver = b.resolver;
    this.watch = b.watch;
  }

  public static Builder builder(FailureTracker tracker) {
    return new Builder(tracker);
  }

  /**
   * @throws PermanentFailureException if the container belongs to no compose service
   */
  @Override
  public void handle(WebhookEvent event) {
    if (!"container".equals(event.type())) {
      return;
    }
    String action = event.action().map(a -> a.toLowerCase(Locale.ROOT)).orElse("");
    boolean failure = FAILURES.contains(action) || ("autoheal".equals(event.provider()) && AUTOHEAL_FAILURES.contains(action));
    if (action.equals("died") && event.attribute("exit_code").filter("0"::equals).isPresent()) {
      return;
    }
    if (!failure && !"healthy".equals(action)) {
      return;
    }
    String container = event.attribute("container_name").or(event::subject).orElse(null);
    Optional<ServiceKey> key = key(event, container);
    if (key.isEmpty()) {
      throw new PermanentFailureException("container " + container + " of event " + event.id() + " has no compose project/service labels");
    }
    if (watch != null && !watch.equals(key.get().service()) && !watch.equals(container) && !watch.equals(key.get().toString())) {
      LOG.debug("{}: {} is not the watched service {}", event.id(), key.get(), watch);
      return;
    }
    if (failure) {
      tracker.recordFailure(key.get(), event.id(), action);
    } else {
      tracker.recordHealthy(key.get(), event.id());
    }
  }

  @Override
  public String name() {
    return "remediation";
  }

  private Optional<ServiceKey> key(WebhookEvent event, @Nullable String container) {
    Optional<String> project = event.attribute("compose_project").filter(s -> !s.isBlank());
    Optional<String> service = event.attribute("compose_service").filter(s -> !s.isBlank());
    if (project.isPresent() && service.isPresent()) {
      return Optional.of(ServiceKey.of(project.get(), service.get()));
    }
    if (container == null || resolver == null) {
      return Optional.empty();
    }
    return resolver.resolve(container.startsWith("/") ? container.substring(1) : container);
  }

  /** Collects the settings; not thread-safe. */
  public static final class Builder {
    private final FailureTracker tracker;
    private @Nullable ServiceResolver resolver;
    private @Nullable String watch;

    private Builder(FailureTracker tracker) {
      this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /** Finds the service of events that only name a container. */
    public Builder resolver(@Nullable ServiceResolver resolver) {
      this.resolver = resolver;
      return this;
    }

    /**
     * Tracks only this service: a compose service name, a {@code project/service}, or a
     * container name; {@code null} tracks every service.
     */
    public Builder watch(@Nullable String serviceOrContainer) {
      this.watch = serviceOrContainer;
      return this;
    }

    public RemediationEventHandler build() {
      return new RemediationEventHandler(this);
    }
  }
}
