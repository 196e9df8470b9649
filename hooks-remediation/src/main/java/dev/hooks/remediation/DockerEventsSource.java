package dev.hooks.remediation;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.hooks.remediation.internal.DockerStack;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the Docker Engine's container events and feeds a {@link FailureTracker}:
 * {@code health_status: unhealthy} and {@code die} with a non-zero exit code count as failures
 * (unless a {@code kill} came first: someone stopped the container on purpose), {@code
 * health_status: healthy} as a recovery. Only containers with compose labels are
 * watched (optionally only some projects); the service comes from the labels.
 *
 * <p>The Engine sends health events only on transitions, so after a (re)connection the source
 * re-syncs: it inspects every watched container and reports the unhealthy ones as failures and
 * the healthy ones as recoveries, a still-unhealthy container at most once per container start.
 * A dropped stream is reopened after the reconnect delay.
 *
 * <p>Thread-safe. Events are handled one at a time on the source's own thread, so the ladder
 * never blocks the Engine's stream.
 *
 * <pre>{@code
 * try (DockerEventsSource source = DockerEventsSource.builder(docker, tracker).project("shop").build()) {
 *   source.start();
 *   ...
 * }
 * }</pre>
 */
public final class DockerEventsSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerEventsSource.class);
  /** Longest wait between a stop's kill and the container's death (compose waits 10 s, then SIGKILL). */
  private static final Duration KILL_TO_DIE = Duration.ofSeconds(30);

  private final DockerClient docker;
  private final FailureTracker tracker;
  private final Set<String> projects;
  private final Duration reconnectDelay;
  private final ScheduledExecutorService worker;
  private final Object lock = new Object();
  private @Nullable Closeable stream;
  /** Containers sent a signal recently, by id: their death was asked for. Used by the worker thread only. */
  private final Map<String, Long> killed = new HashMap<>();
  private volatile boolean connected;
  private volatile boolean outage;
  private volatile boolean closed;

  private DockerEventsSource(Builder b) {
    this.docker = b.docker;
    this.tracker = b.tracker;
    this.projects = Set.copyOf(b.projects);
    this.reconnectDelay = b.reconnectDelay;
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hooks-docker-events");
      t.setDaemon(true);
      return t;
    });
  }

  public static Builder builder(DockerClient docker, FailureTracker tracker) {
    return new Builder(docker, tracker);
  }

  /** Re-syncs, then opens the event stream. Returns at once; work happens on the source's thread. */
  public void start() {
    submit(this::connect, 0);
  }

  /** Whether the event stream is open now. */
  public boolean isConnected() {
    return connected;
  }

  /**
   * Inspects every watched container and reports its health to the tracker. Runs at start and
   * after every reconnection; call it yourself to force one.
   */
  public void resync() {
    List<Container> containers = docker.listContainersCmd().withShowAll(false).withLabelFilter(List.of(ServiceKey.PROJECT_LABEL)).exec();
    for (Container c : containers) {
      ServiceKey key = DockerStack.key(c.getLabels());
      if (key == null || !watched(key)) {
        continue;
      }
      InspectContainerResponse inspect = docker.inspectContainerCmd(c.getId()).exec();
      InspectContainerResponse.ContainerState state = inspect.getState();
      String health = state == null || state.getHealth() == null ? null : state.getHealth().getStatus();
      String startedAt = state == null ? "" : String.valueOf(state.getStartedAt());
      if ("unhealthy".equals(health)) {
        tracker.recordFailure(key, "docker-resync:" + c.getId() + ":" + startedAt + ":unhealthy", "unhealthy");
      } else if ("healthy".equals(health)) {
        tracker.recordHealthy(key, "docker-resync:" + c.getId() + ":" + startedAt + ":healthy");
      }
    }
  }

  /** Closes the stream and stops the source's thread. */
  @Override
  public void close() {
    closed = true;
    closeStream();
    worker.shutdownNow();
  }

  private void connect() {
    if (closed) {
      return;
    }
    try {
      resync();
      AtomicBoolean ended = new AtomicBoolean();
      ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
        @Override
        public void onStart(Closeable s) {
          super.onStart(s);
          connected = true;
          outage = false;
          LOG.info("subscribed to Docker events");
        }

        @Override
        public void onNext(Event event) {
          submit(() -> handle(event), 0);
        }

        @Override
        public void onError(Throwable t) {
          if (ended.compareAndSet(false, true)) {
            dropped(t);
          }
        }

        @Override
        public void onComplete() {
          if (ended.compareAndSet(false, true)) {
            dropped(null);
          }
        }
      };
      Closeable opened = docker.eventsCmd()
          .withEventTypeFilter(EventType.CONTAINER)
          .withLabelFilter(ServiceKey.PROJECT_LABEL)
          .withEventFilter("health_status", "die", "kill")
          .exec(callback);
      synchronized (lock) {
        stream = opened;
      }
    } catch (RuntimeException e) {
      dropped(e);
    }
  }

  private void dropped(@Nullable Throwable cause) {
    connected = false;
    if (closed) {
      return;
    }
    // Warn once per outage, then debug: an Engine down for an hour must not flood the log.
    String message = cause == null ? "Docker event stream ended; reconnecting every {}" : "Docker event stream failed; reconnecting every {}: {}";
    if (outage) {
      LOG.debug(message, reconnectDelay, String.valueOf(cause));
    } else {
      outage = true;
      LOG.warn(message, reconnectDelay, String.valueOf(cause));
    }
    closeStream();
    submit(this::connect, reconnectDelay.toMillis());
  }

  private void handle(Event event) {
    Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
    ServiceKey key = DockerStack.key(attributes);
    String action = event.getAction() == null ? "" : event.getAction();
    if (key == null || !watched(key)) {
      return;
    }
    String id = "docker-event:" + event.getId() + ":" + event.getTimeNano() + ":" + action;
    if (action.equals("health_status: unhealthy")) {
      tracker.recordFailure(key, id, "unhealthy");
    } else if (action.equals("health_status: healthy")) {
      tracker.recordHealthy(key, id);
    } else if (action.equals("kill")) {
      killed.put(event.getId(), System.nanoTime());
    } else if (action.equals("die")) {
      Long killedAt = killed.remove(event.getId());
      boolean stoppedOnPurpose = killedAt != null && System.nanoTime() - killedAt < KILL_TO_DIE.toNanos();
      if (!stoppedOnPurpose && !"0".equals(attributes.get("exitCode"))) {
        tracker.recordFailure(key, id, "died");
      }
      killed.values().removeIf(t -> System.nanoTime() - t > KILL_TO_DIE.toNanos());
    }
  }

  private boolean watched(ServiceKey key) {
    return projects.isEmpty() || projects.contains(key.project());
  }

  private void submit(Runnable task, long delayMillis) {
    try {
      worker.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("handling a Docker event failed", e);
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException afterClose) {
      LOG.debug("source closed; dropped a task");
    }
  }

  private void closeStream() {
    Closeable s;
    synchronized (lock) {
      s = stream;
      stream = null;
    }
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.debug("closing the event stream failed", e);
      }
    }
  }

  /** Collects the settings; not thread-safe. */
  public static final class Builder {
    private final DockerClient docker;
    private final FailureTracker tracker;
    private final Set<String> projects = new LinkedHashSet<>();
    private Duration reconnectDelay = Duration.ofSeconds(5);

    private Builder(DockerClient docker, FailureTracker tracker) {
      this.docker = Objects.requireNonNull(docker, "docker");
      this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /** Watches only these compose projects; every compose project when none is given. */
    public Builder project(String... names) {
      projects.addAll(List.of(names));
      return this;
    }

    /** Wait before reopening a dropped stream, 5 s by default. */
    public Builder reconnectDelay(Duration delay) {
      this.reconnectDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    public DockerEventsSource build() {
      return new DockerEventsSource(this);
    }
  }
}
