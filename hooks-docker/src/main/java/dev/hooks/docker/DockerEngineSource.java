package dev.hooks.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.hooks.Hooks;
import dev.hooks.dispatch.Dispatcher;
import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.event.WebhookEvent;
import dev.hooks.ingress.Endpoint;
import dev.hooks.internal.RequestIds;
import dev.hooks.journal.AppendResult;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.JournalEntry;
import dev.hooks.parse.ParseResult;
import dev.hooks.route.Glob;
import dev.hooks.state.StateStore;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker Engine's event stream as a source of events: {@code die}, {@code oom}, {@code
 * health_status}, {@code start}, {@code stop}, {@code restart} of containers and {@code pull},
 * {@code push}, {@code tag}, {@code import}, {@code load} of images (a build shows as the tag of
 * its image) become deliveries of one endpoint, journaled in the same {@link EventJournal} and
 * routed by the same router as webhooks.
 *
 * <p>Each event is enriched before it is journaled: a container's death carries its exit code,
 * its uptime (from the container's start to its end) and its last {@linkplain
 * Builder#logLines log lines}. The journal deduplicates by the event's time, actor and action
 * ({@link DockerEngineEventParser}), so an event read twice is handled once.
 *
 * <p>At least once: the position (the nanosecond time of the last event journaled) is written
 * to the {@link StateStore} after the event is journaled; after a dropped stream or a restart
 * the stream is reopened with {@code since} at that position, and the events read again are
 * duplicates the journal drops. The Engine keeps a bounded buffer of past events (the last 256
 * on Engine 20.10): a source down through more events than that misses the oldest.
 *
 * <p>The endpoint is added to the {@link Hooks}' registry so that a restarted process re-reads
 * journaled events; it refuses every HTTP delivery (401), since the events come only from the
 * Engine.
 *
 * <p>Thread-safe. Events are handled one at a time on the source's own thread.
 *
 * <pre>{@code
 * try (DockerEngineSource source = DockerEngineSource.builder(docker, hooks, state)
 *     .label("com.docker.compose.project=shop").logLines(20).build()) {
 *   source.start();
 *   ...
 * }
 * }</pre>
 */
public final class DockerEngineSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerEngineSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The container actions streamed. */
  public static final List<String> CONTAINER_ACTIONS = List.of("die", "oom", "health_status", "start", "stop", "restart");
  /** The image actions streamed. */
  public static final List<String> IMAGE_ACTIONS = List.of("pull", "push", "tag", "import", "load");
  private static final int MAX_LINE_CHARS = 500;
  private static final Duration LOG_TIMEOUT = Duration.ofSeconds(5);

  private final DockerClient docker;
  private final Hooks hooks;
  private final StateStore state;
  private final Clock clock;
  private final String endpointId;
  private final String positionKey;
  private final int logLines;
  private final List<String> labels;
  private final List<Glob> names;
  private final Duration reconnectDelay;
  private final DockerEngineEventParser parser = new DockerEngineEventParser();
  private final ScheduledExecutorService worker;
  private final Object lock = new Object();
  private final AtomicLong appended = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private @Nullable Closeable stream;
  /** Raised by every (re)connection; events of an older stream are dropped. */
  private volatile long generation;
  private volatile long position;
  private volatile boolean connected;
  private volatile boolean outage;
  private volatile boolean closed;

  private DockerEngineSource(Builder b) {
    this.docker = b.docker;
    this.hooks = b.hooks;
    this.state = b.state;
    this.clock = b.clock;
    this.endpointId = b.endpointId;
    this.positionKey = "docker-events/" + b.endpointId + "/position";
    this.logLines = b.logLines;
    this.labels = List.copyOf(b.labels);
    this.names = b.names.stream().map(Glob::of).toList();
    this.reconnectDelay = b.reconnectDelay;
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hooks-docker-engine-" + b.endpointId);
      t.setDaemon(true);
      return t;
    });
    hooks.endpoints().put(endpoint(b.endpointId));
  }

  /**
   * @param docker the Engine's client ({@link #newClient()} for the local one)
   * @param hooks the journal, dispatcher and endpoint registry the events go through
   * @param state where the position is kept across restarts
   */
  public static Builder builder(DockerClient docker, Hooks hooks, StateStore state) {
    return new Builder(docker, hooks, state);
  }

  /**
   * A client for the Engine named by {@code DOCKER_HOST} and the other standard docker-java
   * settings, the local socket by default. The API version is negotiated, not pinned.
   */
  public static DockerClient newClient() {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .connectionTimeout(Duration.ofSeconds(10))
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /**
   * The endpoint the events are journaled under: provider {@code docker}, the {@link
   * DockerEngineEventParser}, and a verifier refusing every HTTP delivery.
   */
  public static Endpoint endpoint(String endpointId) {
    return Endpoint.builder(endpointId)
        .provider(DockerEngineEventParser.PROVIDER)
        .parser(new DockerEngineEventParser())
        .verifier(new EngineOnly())
        .build();
  }

  /**
   * Opens the event stream from the stored position (or from now on a first start, which is
   * stored at once). Returns at once; work happens on the source's thread.
   */
  public void start() {
    submit(() -> {
      position = readPosition().orElseGet(() -> {
        long now = nanos(clock.instant());
        savePosition(now);
        return now;
      });
      connect();
    }, 0);
  }

  /** Whether the event stream is open now. */
  public boolean isConnected() {
    return connected;
  }

  /** The nanosecond time of the last event journaled (or of the first start). */
  public long position() {
    return position;
  }

  /** Events journaled since this source was built. */
  public long appendedCount() {
    return appended.get();
  }

  /** Events read again (after a reconnect or restart) that the journal already held. */
  public long duplicateCount() {
    return duplicates.get();
  }

  /** The endpoint id the events are journaled under. */
  public String endpointId() {
    return endpointId;
  }

  /** Closes the stream and stops the source's thread; the position stays in the state store. */
  @Override
  public void close() {
    closed = true;
    closeStream();
    worker.shutdownNow();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    long gen = ++generation;
    try {
      ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
        @Override
        public void onStart(Closeable s) {
          super.onStart(s);
          connected = true;
          outage = false;
          LOG.info("subscribed to Docker Engine events since {}", sinceOf(position));
        }

        @Override
        public void onNext(Event event) {
          submit(() -> {
            if (gen == generation) {
              handle(event, gen);
            }
          }, 0);
        }

        @Override
        public void onError(Throwable t) {
          submit(() -> dropped(gen, t), 0);
        }

        @Override
        public void onComplete() {
          submit(() -> dropped(gen, null), 0);
        }
      };
      var cmd = docker.eventsCmd()
          .withSince(sinceOf(position))
          .withEventTypeFilter(EventType.CONTAINER, EventType.IMAGE)
          .withEventFilter(allActions());
      if (!labels.isEmpty()) {
        cmd = cmd.withLabelFilter(labels.toArray(String[]::new));
      }
      Closeable opened = cmd.exec(callback);
      synchronized (lock) {
        stream = opened;
      }
    } catch (RuntimeException e) {
      dropped(gen, e);
    }
  }

  /** Runs on the worker: ends the stream of generation {@code gen} and schedules a reconnection. */
  private void dropped(long gen, @Nullable Throwable cause) {
    if (closed || gen != generation) {
      return;
    }
    generation++;
    connected = false;
    // Warn once per outage, then debug: an Engine down for an hour must not flood the log.
    String message = cause == null ? "Docker Engine event stream ended; reconnecting every {}" : "Docker Engine event stream failed; reconnecting every {}: {}";
    if (outage) {
      LOG.debug(message, reconnectDelay, String.valueOf(cause));
    } else {
      outage = true;
      LOG.warn(message, reconnectDelay, String.valueOf(cause));
    }
    closeStream();
    submit(this::connect, reconnectDelay.toMillis());
  }

  private void handle(Event event, long gen) {
    Long timeNano = event.getTimeNano();
    String action = event.getAction();
    String actorId = event.getActor() == null ? null : event.getActor().getId();
    if (timeNano == null || action == null || actorId == null) {
      return;
    }
    Map<String, String> attributes = event.getActor().getAttributes() == null ? Map.of() : event.getActor().getAttributes();
    if (!names.isEmpty()) {
      String name = attributes.getOrDefault("name", "");
      if (names.stream().noneMatch(g -> g.matches(name))) {
        return;
      }
    }
    try {
      journal(body(event, timeNano, action, actorId, attributes));
      savePosition(timeNano);
    } catch (RuntimeException e) {
      // Not journaled: reopen from the last position, which reads this event again.
      dropped(gen, e);
    }
  }

  private byte[] body(Event event, long timeNano, String action, String actorId, Map<String, String> attributes) {
    ObjectNode root = JSON.createObjectNode();
    EventType type = event.getType();
    root.put("Type", type == null ? "container" : type.getValue());
    root.put("Action", action);
    ObjectNode actor = root.putObject("Actor");
    actor.put("ID", actorId);
    ObjectNode attrs = actor.putObject("Attributes");
    attributes.forEach(attrs::put);
    if (event.getStatus() != null) {
      root.put("status", event.getStatus());
    }
    if (event.getId() != null) {
      root.put("id", event.getId());
    }
    if (event.getFrom() != null) {
      root.put("from", event.getFrom());
    }
    root.put("time", Math.floorDiv(timeNano, 1_000_000_000L));
    root.put("timeNano", timeNano);
    if (type == null || type == EventType.CONTAINER) {
      enrich(root.putObject("Container"), actorId, action, timeNano);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a Docker event", e);
    }
  }

  /** Adds what inspecting the container tells: image, exit code, health, uptime, last log lines. */
  private void enrich(ObjectNode container, String id, String action, long timeNano) {
    InspectContainerResponse inspect;
    try {
      inspect = docker.inspectContainerCmd(id).exec();
    } catch (NotFoundException gone) {
      return; // removed since (docker run --rm): the event's own attributes are all there is
    }
    if (inspect.getName() != null) {
      container.put("Name", inspect.getName().startsWith("/") ? inspect.getName().substring(1) : inspect.getName());
    }
    if (inspect.getConfig() != null && inspect.getConfig().getImage() != null) {
      container.put("Image", inspect.getConfig().getImage());
    }
    InspectContainerResponse.ContainerState st = inspect.getState();
    boolean ended = action.equals("die") || action.equals("oom") || action.equals("stop");
    if (st != null) {
      if (ended && st.getExitCodeLong() != null) {
        container.put("ExitCode", st.getExitCodeLong());
      }
      if (st.getOOMKilled() != null) {
        container.put("OOMKilled", st.getOOMKilled());
      }
      if (st.getHealth() != null && st.getHealth().getStatus() != null) {
        container.put("Health", st.getHealth().getStatus());
      }
      Instant eventTime = Instant.ofEpochSecond(0, timeNano);
      Instant started = instant(st.getStartedAt());
      Instant finished = instant(st.getFinishedAt());
      if (started != null && !started.isAfter(eventTime)) {
        // A container that ended since it started: its end; else this event's time.
        Instant end = ended && finished != null && finished.isAfter(started) && !finished.isAfter(eventTime.plusSeconds(1)) ? finished : eventTime;
        container.put("UptimeSeconds", Duration.between(started, end).toSeconds());
      }
    }
    if (logLines > 0 && (ended || action.startsWith("health_status: unhealthy"))) {
      ArrayNode lines = container.putArray("Logs");
      lastLines(id).forEach(lines::add);
    }
  }

  private List<String> lastLines(String id) {
    Deque<String> lines = new ArrayDeque<>();
    StringBuilder partial = new StringBuilder();
    ResultCallback.Adapter<Frame> frames = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        partial.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
          add(lines, partial.substring(0, nl));
          partial.delete(0, nl + 1);
        }
      }
    };
    try {
      docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(logLines).exec(frames)
          .awaitCompletion(LOG_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("logs of {} could not be read: {}", id, e.toString());
    } finally {
      try {
        frames.close();
      } catch (IOException e) {
        LOG.debug("closing the log stream failed", e);
      }
    }
    synchronized (lines) {
      if (partial.length() > 0) {
        add(lines, partial.toString());
      }
      return new ArrayList<>(lines);
    }
  }

  private void add(Deque<String> lines, String line) {
    synchronized (lines) {
      String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      lines.addLast(l.length() > MAX_LINE_CHARS ? l.substring(0, MAX_LINE_CHARS) + "…" : l);
      while (lines.size() > logLines) {
        lines.removeFirst();
      }
    }
  }

  private void journal(byte[] body) {
    Instant now = clock.instant();
    Delivery delivery = Delivery.builder(endpointId)
        .method("POST")
        .url("docker-engine:///events")
        .headers(Headers.of(Map.of("content-type", "application/json")))
        .body(body)
        .receivedAt(now)
        .build();
    ParseResult parsed = parser.parse(delivery);
    if (!parsed.isOk()) {
      LOG.debug("Docker event skipped: {}", parsed.failure());
      return;
    }
    WebhookEvent event = parsed.event();
    Dispatcher dispatcher = hooks.dispatcher();
    while (!dispatcher.tryReserve()) {
      if (closed) {
        throw new IllegalStateException("source closed");
      }
      // The dispatcher is full: wait for room instead of dropping; the Engine buffers meanwhile.
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    boolean handedOver = false;
    try {
      JournalEntry entry = JournalEntry.accepted(RequestIds.next(now.toEpochMilli()), event.id(), delivery,
          dispatcher.owner(), now.plus(dispatcher.lease()));
      AppendResult result = hooks.journal().append(entry);
      if (result.duplicate()) {
        duplicates.incrementAndGet();
        LOG.debug("Docker event {} already journaled as {}", event.id(), result.requestId());
        return;
      }
      appended.incrementAndGet();
      dispatcher.dispatch(entry, event);
      handedOver = true;
    } finally {
      if (!handedOver) {
        dispatcher.release();
      }
    }
  }

  private Optional<Long> readPosition() {
    return state.get(positionKey).map(v -> Long.parseLong(v.value()));
  }

  /** Moves the stored position forward (never back), as another process may share the key. */
  private void savePosition(long timeNano) {
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<StateStore.Versioned> current = state.get(positionKey);
      if (current.isPresent() && Long.parseLong(current.get().value()) >= timeNano) {
        position = Math.max(position, timeNano);
        return;
      }
      OptionalLong written = state.compareAndSet(positionKey, current.map(StateStore.Versioned::version).orElse(0L), Long.toString(timeNano));
      if (written.isPresent()) {
        position = timeNano;
        return;
      }
    }
    LOG.debug("position of {} not moved to {}: contended", endpointId, timeNano);
  }

  private static String[] allActions() {
    Set<String> all = new LinkedHashSet<>(CONTAINER_ACTIONS);
    all.addAll(IMAGE_ACTIONS);
    return all.toArray(String[]::new);
  }

  /** The Engine's {@code since}: seconds with nine decimals, inclusive. */
  static String sinceOf(long timeNano) {
    return Math.floorDiv(timeNano, 1_000_000_000L) + "." + String.format("%09d", Math.floorMod(timeNano, 1_000_000_000L));
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static @Nullable Instant instant(@Nullable String rfc3339) {
    if (rfc3339 == null || rfc3339.isBlank() || rfc3339.startsWith("0001-")) {
      return null;
    }
    try {
      return Instant.parse(rfc3339);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private void submit(Runnable task, long delayMillis) {
    try {
      worker.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("handling a Docker Engine event failed", e);
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
    connected = false;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.debug("closing the event stream failed", e);
      }
    }
  }

  /** Refuses every HTTP delivery: the endpoint's events come only from the Engine. */
  private static final class EngineOnly implements SignatureVerifier {
    @Override
    public Verification verify(Delivery delivery) {
      return Verification.rejected(Verification.Reason.MISSING, "events of this endpoint come only from the Docker Engine");
    }

    @Override
    public String name() {
      return "docker-engine-only";
    }
  }

  /** Collects the settings; not thread-safe. */
  public static final class Builder {
    private final DockerClient docker;
    private final Hooks hooks;
    private final StateStore state;
    private Clock clock = Clock.systemUTC();
    private String endpointId = "docker-engine";
    private int logLines = 20;
    private final List<String> labels = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private Duration reconnectDelay = Duration.ofSeconds(5);

    private Builder(DockerClient docker, Hooks hooks, StateStore state) {
      this.docker = Objects.requireNonNull(docker, "docker");
      this.hooks = Objects.requireNonNull(hooks, "hooks");
      this.state = Objects.requireNonNull(state, "state");
    }

    /** The endpoint id the events are journaled and routed under, {@code docker-engine} by default. */
    public Builder endpointId(String endpointId) {
      this.endpointId = Objects.requireNonNull(endpointId, "endpointId");
      return this;
    }

    /**
     * How many of a container's last log lines a death, OOM or unhealthy event carries, 20 by
     * default; 0 reads no logs.
     *
     * @throws IllegalArgumentException if {@code lines} is negative or over 1000
     */
    public Builder logLines(int lines) {
      if (lines < 0 || lines > 1000) {
        throw new IllegalArgumentException("logLines must be between 0 and 1000, was " + lines);
      }
      this.logLines = lines;
      return this;
    }

    /**
     * Only events whose actor has this label ({@code key} or {@code key=value}); several labels
     * must all match. The Engine applies the filter.
     */
    public Builder label(String... labels) {
      for (String l : labels) {
        if (l.isBlank()) {
          throw new IllegalArgumentException("a label filter is blank; write key or key=value");
        }
        this.labels.add(l);
      }
      return this;
    }

    /** Only events of containers (or images) whose name matches one of these globs ({@code web-*}). */
    public Builder name(String... globs) {
      names.addAll(List.of(globs));
      return this;
    }

    /** Wait before reopening a dropped stream, 5 s by default. */
    public Builder reconnectDelay(Duration delay) {
      this.reconnectDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the source and adds its endpoint to the hooks' registry. */
    public DockerEngineSource build() {
      return new DockerEngineSource(this);
    }
  }
}
