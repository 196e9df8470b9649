package dev.hooks.server.autoheal;

import com.github.dockerjava.api.DockerClient;
import dev.hooks.Hooks;
import dev.hooks.HooksException;
import dev.hooks.ingress.Endpoint;
import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.parsers.AutohealPayloadParser;
import dev.hooks.remediation.AutohealPreset;
import dev.hooks.notify.OutboxSender;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.remediation.DiscordRemediationAlerts;
import dev.hooks.remediation.DockerRemediation;
import dev.hooks.remediation.FailureTracker;
import dev.hooks.remediation.RemediationService;
import dev.hooks.route.Route;
import dev.hooks.server.ConfigException;
import dev.hooks.server.EmbeddedJetty;
import dev.hooks.server.MetricsServlet;
import dev.hooks.remediation.RemediationMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.hooks.server.ServerOptions;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.state.StateStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample server's {@code autoheal} preset: a drop-in replacement for the autoheal webhook
 * listener. It reads the listener's environment ({@link AutohealPreset#fromEnvironment}),
 * listens on its port (5000 unless {@code --port} or {@code HOOKS_PORT} says otherwise) and
 * serves its routes:
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code POST /autoheal-event}</td><td>an autoheal notice with {@code X-Webhook-Token};
 *       through hooks' ingress (token checked in constant time, journaled before the answer,
 *       parsed by {@link AutohealPayloadParser}) to the remediation handler: 202
 *       {@code {"request_id":...}}, 401 without the right token, 400 for a body that is not a
 *       notice</td></tr>
 *   <tr><td>{@code GET /health}</td><td>{@code {"status":"healthy","service":"webhook-listener","timestamp":...}},
 *       503 and {@code "unhealthy"} when the journal is unreachable</td></tr>
 *   <tr><td>{@code GET /status}</td><td>{@code state} per service (step errors only with {@code X-Webhook-Token}), {@code critical_service},
 *       {@code threshold}, {@code cooldown_period}, and hooks' counters under {@code hooks}</td></tr>
 *   <tr><td>{@code POST /reset}</td><td>{@code X-Webhook-Token} and {@code {"service_name": ...}}:
 *       200 with the services reset, 401, 400 or 404</td></tr>
 * </table>
 *
 * <p>Deliveries and the remediation state live in the H2 file {@code <data dir>/hooks}
 * ({@link JdbcJournals#stateStore()}), so counts and timers survive a restart.
 *
 * <p>Thread-safe. {@link #close()} stops Jetty (requests in progress finish), the remediation
 * timers, the dispatcher and the database, in that order.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.parse(new String[] {"--preset", "autoheal"}, System.getenv());
 * try (AutohealServer server = AutohealServer.start(options, System.getenv())) {
 *   ...
 * }
 * }</pre>
 */
public final class AutohealServer implements AutoCloseable {
  /** The id of the hooks endpoint behind {@code POST /autoheal-event}. */
  public static final String ENDPOINT_ID = "autoheal-event";
  /** Whether Docker Engine events are counted too, beside autoheal's webhooks ({@code true}/{@code false}). */
  public static final String DOCKER_EVENTS_VARIABLE = "HOOKS_DOCKER_EVENTS";
  /** The JSON key autoheal puts its sentence in: autoheal's own variable, {@code content} by default as the listener read it. */
  public static final String JSON_KEY_VARIABLE = "WEBHOOK_JSON_KEY";

  private static final Logger LOG = LoggerFactory.getLogger(AutohealServer.class);

  private final EmbeddedJetty jetty;
  private final Hooks hooks;
  private final RemediationService remediation;
  private final List<Closeable> resources;
  private final PrometheusMeterRegistry meters;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AutohealServer(EmbeddedJetty jetty, Hooks hooks, RemediationService remediation, List<Closeable> resources,
      PrometheusMeterRegistry meters) {
    this.meters = meters;
    this.jetty = jetty;
    this.hooks = hooks;
    this.remediation = remediation;
    this.resources = resources;
  }

  /**
   * Builds the remediation service over the server's state store. The default ({@link
   * #start(ServerOptions, Map)}) acts on the Docker Engine; tests and embedding applications
   * pass their own ladder, resolver or events source here.
   */
  @FunctionalInterface
  public interface RemediationFactory {
    /**
     * @param store the H2 state store of the data directory
     * @param outbox the H2 notification outbox of the data directory, for the alerts
     * @param clock the server's clock
     */
    RemediationService create(AutohealPreset preset, StateStore store, NotificationOutbox outbox, Clock clock);

    /**
     * As {@link #create(AutohealPreset, StateStore, NotificationOutbox, Clock)}, with the registry
     * {@code GET /metrics} shows, for {@link RemediationMeters#metered}; the default ignores it.
     */
    default RemediationService create(AutohealPreset preset, StateStore store, NotificationOutbox outbox, Clock clock,
        MeterRegistry meters) {
      return create(preset, store, outbox, clock);
    }
  }

  /**
   * Starts the preset on the local Docker Engine ({@code DOCKER_HOST}, else the socket): the
   * listener's ladder ({@link AutohealPreset#ladder}) after checking that its reset can run
   * ({@link AutohealPreset#checkReset()}), its alerts through the data directory's outbox,
   * container names resolved through the Engine, and with {@code HOOKS_DOCKER_EVENTS=true} also the Engine's events for the watched
   * service's compose project.
   *
   * @param env the environment: the listener's variables, {@code WEBHOOK_JSON_KEY}, {@code HOOKS_DOCKER_EVENTS}
   * @throws HooksException naming the variable or option at fault, if the configured reset cannot
   *     run here, or if the database cannot be opened or the port bound
   */
  public static AutohealServer start(ServerOptions options, Map<String, String> env) {
    AutohealPreset preset = AutohealPreset.fromEnvironment(env);
    preset.checkReset();
    boolean events = flag(env, DOCKER_EVENTS_VARIABLE);
    DockerClient docker = DockerRemediation.newClient();
    try {
      RemediationFactory onDocker = new RemediationFactory() {
        @Override
        public RemediationService create(AutohealPreset p, StateStore store, NotificationOutbox outbox, Clock clock) {
          return create(p, store, outbox, clock, new SimpleMeterRegistry());
        }

        @Override
        public RemediationService create(AutohealPreset p, StateStore store, NotificationOutbox outbox, Clock clock, MeterRegistry meters) {
          return dockerService(p, docker, store, outbox, clock, events, meters);
        }
      };
      return start(options, preset, jsonKey(env), onDocker, List.of(docker));
    } catch (RuntimeException e) {
      EmbeddedJetty.closeAll(List.of(docker));
      throw e;
    }
  }

  /**
   * Starts the preset with the remediation service {@code remediation} builds.
   *
   * @throws HooksException if the database cannot be opened or the port bound
   */
  public static AutohealServer start(ServerOptions options, AutohealPreset preset, RemediationFactory remediation) {
    return start(options, preset, "content", remediation, List.of());
  }

  private static AutohealServer start(ServerOptions options, AutohealPreset preset, String jsonKey, RemediationFactory factory,
      List<Closeable> owned) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(factory, "remediation");
    try {
      Files.createDirectories(options.dataDir());
    } catch (IOException e) {
      throw new ConfigException("cannot create the data directory " + options.dataDir() + ": " + e.getMessage() + "; check --data", e);
    }
    Clock clock = Clock.systemUTC();
    List<Closeable> resources = new ArrayList<>(owned);
    // H2 would close the file in its own shutdown hook, under the dispatcher still draining: close() closes it, last.
    JdbcJournals db = JdbcJournals.builder()
        .url("jdbc:h2:file:" + options.dataDir().toAbsolutePath().resolve("hooks") + ";DB_CLOSE_ON_EXIT=FALSE")
        .build();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RemediationService remediation;
    Hooks hooks;
    try {
      remediation = factory.create(preset, db.stateStore(), db.outbox(), clock, meters);
      Endpoint endpoint = Endpoint.builder(ENDPOINT_ID)
          .provider("autoheal")
          .verifier(SignatureVerifiers.forScheme("header-token", List.of(preset.webhookSecret()),
              Map.of("header", AutohealPreset.TOKEN_HEADER), clock))
          .parser(new AutohealPayloadParser(jsonKey))
          .secretHeader(AutohealPreset.TOKEN_HEADER)
          .build();
      hooks = Hooks.builder()
          .clock(clock)
          .endpoint(endpoint)
          .route(Route.builder("remediation").endpoint(ENDPOINT_ID).handler(remediation.handler()).build())
          .journal(db.eventJournal())
          .build();
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    resources.add(db::close);
    hooks.start();
    remediation.start();

    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder("autoheal", new AutohealServlet(hooks, remediation, preset, clock)), "/*");
    context.addServlet(new ServletHolder("metrics", new MetricsServlet(meters)), "/metrics");
    EmbeddedJetty jetty = new EmbeddedJetty(options, context);
    AutohealServer server = new AutohealServer(jetty, hooks, remediation, resources, meters);
    jetty.start(server::close);
    LOG.info("hooks-server (autoheal preset) listening on port {}, watching {}, threshold {}, cooldown {}s",
        server.port(), preset.criticalServiceName(), preset.failCount(), preset.cooldown().toSeconds());
    return server;
  }

  /** The port listened on, the one chosen when started with port 0. */
  public int port() {
    return jetty.port();
  }

  /** The hooks instance behind {@code POST /autoheal-event}. */
  public Hooks hooks() {
    return hooks;
  }

  /** The registry {@code GET /metrics} shows: the remediation steps' meters, and any registered here. */
  public MeterRegistry meterRegistry() {
    return meters;
  }

  /** The remediation service behind {@code /status} and {@code /reset}. */
  public RemediationService remediation() {
    return remediation;
  }

  /** Stops Jetty, the remediation timers, the dispatcher and the database. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    jetty.stop();
    remediation.close();
    hooks.close();
    EmbeddedJetty.closeAll(resources);
    LOG.info("hooks-server (autoheal preset) stopped");
  }

  private static RemediationService dockerService(AutohealPreset preset, DockerClient docker, StateStore store, NotificationOutbox outbox,
      Clock clock, boolean events, MeterRegistry meters) {
    DiscordRemediationAlerts alerts = preset.alerts(outbox, clock);
    FailureTracker tracker = FailureTracker.builder(store, RemediationMeters.metered(preset.ladder(docker, alerts), meters))
        .policy(preset.policy()).clock(clock).build();
    RemediationService.Builder b = RemediationService.builder(tracker)
        .resolver(DockerRemediation.serviceResolver(docker))
        .watch(preset.criticalServiceName())
        .sender(OutboxSender.builder(outbox, alerts.notifiers()).clock(clock).build())
        .clock(clock);
    if (events) {
      try {
        b.events(preset.eventsSource(docker, tracker));
      } catch (HooksException e) {
        throw new ConfigException(DOCKER_EVENTS_VARIABLE + "=true: " + e.getMessage() + " or unset " + DOCKER_EVENTS_VARIABLE, e);
      }
    }
    return b.build();
  }

  private static String jsonKey(Map<String, String> env) {
    String key = env.get(JSON_KEY_VARIABLE);
    return key == null || key.isBlank() ? "content" : key.strip();
  }

  private static boolean flag(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new ConfigException(name + " must be true or false, got '" + value + "'");
    };
  }
}
