package dev.hooks.remediation;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.dispatch.PermanentFailureException;
import dev.hooks.event.WebhookEvent;
import dev.hooks.internal.LogSafe;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
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
 * no compose service is a {@link PermanentFailureException}, and so is a container name outside
 * Docker's syntax ({@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}, after a leading {@code /}), refused before
 * any lookup. With {@link Builder#watch} set, only that service or container is tracked, as the
 * autoheal listener tracked only its critical service: a container name that cannot be the
 * watched one (not the name itself, nor compose's {@code <project>_<service>_<n>} or
 * {@code <project>-<service>-<n>} for it) is ignored before the Engine is asked about it.
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
  /** Docker's container name syntax (the daemon's {@code restrictedNameChars}). */
  public static final Pattern CONTAINER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

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
    String named = event.attribute("container_name").or(event::subject).orElse(null);
    String container = named == null ? null : named.startsWith("/") ? named.substring(1) : named;
    Optional<ServiceKey> key = composeKey(event);
    if (key.isEmpty()) {
      if (container == null) {
        throw new PermanentFailureException("event " + event.id() + " names no container and has no compose project/service");
      }
      if (!CONTAINER_NAME.matcher(container).matches() || container.length() > 255) {
        throw new PermanentFailureException("container name " + quoted(container) + " of event " + event.id()
            + " is not a Docker container name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)");
      }
      if (watch != null && !mayBeWatched(container)) {
        LOG.debug("{}: container {} is not the watched service {}", event.id(), container, watch);
        return;
      }
      key = resolver == null ? Optional.empty() : resolver.resolve(container);
      if (key.isEmpty()) {
        throw new PermanentFailureException("container " + container + " of event " + event.id() + " has no compose project/service labels");
      }
    }
    if (watch != null && !watch.equals(key.get().service()) && !watch.equals(container) && !watch.equals(key.get().toString())) {
      LOG.debug("{}: {} is not the watched service {}", event.id(), LogSafe.of(key.get()), watch);
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

  private static Optional<ServiceKey> composeKey(WebhookEvent event) {
    Optional<String> project = event.attribute("compose_project").filter(s -> !s.isBlank());
    Optional<String> service = event.attribute("compose_service").filter(s -> !s.isBlank());
    if (project.isPresent() && service.isPresent()) {
      try {
        return Optional.of(ServiceKey.of(project.get(), service.get()));
      } catch (IllegalArgumentException notNames) {
        throw new PermanentFailureException("compose project/service of event " + event.id() + " are not names: "
            + quoted(project.get() + "/" + service.get()));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code container} may be the watched one: the name itself, or the name compose gives
   * a container of the watched service ({@code <project>_<service>_<n>}, {@code
   * <project>-<service>-<n>}).
   */
  private boolean mayBeWatched(String container) {
    String w = watch;
    if (w == null || w.equals(container)) {
      return true;
    }
    int slash = w.indexOf('/');
    String project = slash < 0 ? "[a-zA-Z0-9][a-zA-Z0-9_.-]*" : Pattern.quote(w.substring(0, slash));
    String service = Pattern.quote(slash < 0 ? w : w.substring(slash + 1));
    return Pattern.matches(project + "[_-]" + service + "[_-]\\d+", container);
  }

  /** A sender's value for a message: control characters escaped, at most 100 characters. */
  private static String quoted(String value) {
    String v = value.length() > 100 ? value.substring(0, 100) + "..." : value;
    return "'" + LogSafe.escape(v) + "'";
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
