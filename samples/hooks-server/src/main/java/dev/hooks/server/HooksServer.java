package dev.hooks.server;

import dev.hooks.Hooks;
import dev.hooks.HooksException;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.server.autoheal.AutohealServer;
import dev.hooks.server.logging.ServerLogging;
import dev.hooks.servlet.HooksServlet;
import dev.hooks.console.HooksConsoleServlet;
import dev.hooks.servlet.admin.HooksAdminServlet;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample hooks server: embedded Jetty 12 serving {@link HooksServlet} at {@code /} and the
 * meters at {@code GET /metrics}, with endpoints, journal, routes, handlers and notification
 * targets from one YAML file ({@link ServerConfig}).
 *
 * <pre>{@code
 * export GITHUB_WEBHOOK_SECRET=...
 * java -jar samples/hooks-server/target/hooks-server.jar --port 8080 --data ./data
 * }</pre>
 *
 * <p>On SIGTERM (or {@link #close()}) it stops taking requests, lets those in progress finish,
 * then drains the dispatcher and closes the journal; anything not handled by then stays in the
 * journal and is resumed by the next start. Thread-safe.
 */
public final class HooksServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HooksServer.class);

  private final EmbeddedJetty jetty;
  private final Hooks hooks;
  private final List<Closeable> resources;
  private final List<Closeable> senders;
  private final io.micrometer.core.instrument.MeterRegistry meters;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Long-lived answers (the console's live feed), ended before Jetty waits for requests in progress. */
  private final List<Closeable> streams;

  private HooksServer(EmbeddedJetty jetty, Hooks hooks, List<Closeable> resources, List<Closeable> senders,
      io.micrometer.core.instrument.MeterRegistry meters, List<Closeable> streams) {
    this.streams = streams;
    this.meters = meters;
    this.jetty = jetty;
    this.hooks = hooks;
    this.resources = resources;
    this.senders = senders;
  }

  /**
   * Runs the server until the process is stopped. Exits with status 2 and a message saying the
   * fix when the command line or the configuration is wrong.
   */
  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(ServerOptions.USAGE);
      return;
    }
    AutoCloseable server;
    try {
      ServerOptions options = ServerOptions.parse(args, System.getenv());
      server = options.preset() != null
          ? AutohealServer.start(options, System.getenv())
          : start(options, System.getenv(), System.out, Map.of());
    } catch (HooksException e) {
      System.err.println("hooks-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    AutoCloseable running = server;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        LOG.warn("shutdown failed", e);
      }
    }, "hooks-shutdown"));
  }

  /**
   * Starts a server: reads the configuration, opens the journal, starts dispatching (resuming what
   * an earlier process left) and listens.
   *
   * @param env the environment for {@code ${ENV_VAR}} references in the configuration
   * @param out where the {@code log} handler prints
   * @param handlers more handlers by name, beside the built-in {@code log}, {@code file} and {@code notify}
   * @throws ConfigException if the configuration is wrong, naming the key and the fix
   * @throws HooksException if the journal cannot be opened or the port cannot be bound
   */
  public static HooksServer start(ServerOptions options, Map<String, String> env, PrintStream out, Map<String, EventHandler> handlers) {
    Objects.requireNonNull(options, "options");
    ServerConfig config = ConfigLoader.load(options.config(), env);
    logging(config.logging);
    try {
      return start(options, config, out, handlers);
    } catch (ConfigException e) {
      throw new ConfigException(StartErrors.mask(e.getMessage(), config.substituted));
    } catch (HooksException e) {
      // Opening the journal names its URL; a value from the environment is never printed back.
      throw new HooksException(StartErrors.mask(String.valueOf(e.getMessage()), config.substituted));
    }
  }

  /** Applies the {@code logging:} section before anything else logs. */
  private static void logging(ServerConfig.LoggingConfig c) {
    try {
      if (c.level != null) {
        ServerLogging.level(ServerLogging.parseLevel(c.level));
      }
      ServerLogging.format(c.format == null ? ServerLogging.Format.PLAIN : ServerLogging.parseFormat(c.format));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("logging: " + e.getMessage());
    }
  }

  private static HooksServer start(ServerOptions options, ServerConfig config, PrintStream out, Map<String, EventHandler> handlers) {
    EmbeddedJetty.AdminListener listener = adminListener(config, options);
    DataDirectory data = DataDirectory.open(options.dataDir());
    ServerAssembly assembly = new ServerAssembly(config, options.dataDir(), out, handlers);
    Hooks hooks;
    try {
      hooks = assembly.build();
      // The journal has created its files: private from the start, not only once the watch sees them.
      data.tighten();
    } catch (RuntimeException e) {
      EmbeddedJetty.closeAll(assembly.resources());
      data.close();
      throw e;
    }
    Optional<HooksAdminServlet> admin;
    Optional<HooksConsoleServlet> console;
    try {
      admin = assembly.admin(hooks);
      console = assembly.console(hooks);
    } catch (RuntimeException e) {
      EmbeddedJetty.closeAll(assembly.senders());
      hooks.close();
      EmbeddedJetty.closeAll(assembly.resources());
      data.close();
      throw e;
    }
    // restored before the journal replays, so that a pending delivery of an alert endpoint made at run time finds it
    assembly.alerts().ifPresent(alerts -> alerts.startEndpoints(hooks));
    hooks.start();
    assembly.startSenders();

    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder("hooks", new HooksServlet(hooks)), "/*");
    context.addServlet(new ServletHolder("metrics", new MetricsServlet(assembly.metrics())), "/metrics");
    ServletContextHandler adminContext = listener == null ? context : listener.context();
    admin.ifPresent(servlet -> adminContext.addServlet(new ServletHolder("admin", servlet), "/admin/*"));
    if (admin.isPresent()) {
      assembly.notifyAdmin().ifPresent(servlet -> adminContext.addServlet(new ServletHolder("notify-admin", servlet), "/admin/notify/*"));
    }
    console.ifPresent(servlet -> adminContext.addServlet(new ServletHolder("console", servlet), config.console.path + "/*"));
    assembly.alerts().ifPresent(alerts -> alerts.mount(context, hooks));
    assembly.deploy().ifPresent(deploy -> {
      deploy.start(hooks, config.admin != null ? config.admin.publicUrl : null);
      adminContext.addServlet(new ServletHolder("deploy", deploy.servlet()), "/admin/deploy/*");
    });
    EmbeddedJetty jetty = new EmbeddedJetty(options, context,
        ConnectorLimits.from(config.server, options.config() == null ? "bundled config" : options.config().toString()), listener);
    List<Closeable> resources = new java.util.ArrayList<>(assembly.resources());
    resources.add(data);
    List<Closeable> streams = new java.util.ArrayList<>();
    console.ifPresent(c -> {
      AutoCloseable listening = hooks.ingress().addListener(c.feed());
      streams.add(() -> {
        try {
          listening.close();
        } catch (Exception e) {
          LOG.debug("removing the console's feed listener failed", e);
        }
        c.feed().close();
      });
    });
    HooksServer server = new HooksServer(jetty, hooks, resources, assembly.senders(), assembly.meterRegistry(), streams);
    jetty.start(server::close);
    LOG.info("hooks-server listening on port {} with endpoints {}{}", server.port(),
        config.endpoints.stream().map(e -> "/hooks/" + e.id).toList(), listener == null ? "" : ", admin API on port " + jetty.adminPort());
    return server;
  }

  /** The listener of {@code admin.port}, or null to serve the admin API on the main port. */
  private static EmbeddedJetty.@Nullable AdminListener adminListener(ServerConfig config, ServerOptions options) {
    if (config.admin == null || config.admin.port == null) {
      return null;
    }
    int port = config.admin.port;
    if (port < 0 || port > 65535) {
      throw new ConfigException("admin.port must be a port number from 0 to 65535, not " + port);
    }
    if (port != 0 && port == options.port()) {
      throw new ConfigException("admin.port " + port + " is the main port; choose another one, or remove admin.port to serve /admin/* on the main port");
    }
    String host = config.admin.host == null || config.admin.host.isBlank() ? "127.0.0.1" : config.admin.host.strip();
    ServletContextHandler context = new ServletContextHandler();
    // Everything but /admin/* on this port: the answer of the main port's unknown paths.
    context.addServlet(new ServletHolder("not-found", new NotFoundServlet()), "/");
    return new EmbeddedJetty.AdminListener(host, port, context);
  }

  /** Answers 404 {@code {"error":"not_found"}} to every method, as HooksServlet does for unknown paths. */
  private static final class NotFoundServlet extends jakarta.servlet.http.HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp) throws java.io.IOException {
      byte[] body = "{\"error\":\"not_found\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      resp.setStatus(404);
      resp.setContentType("application/json");
      resp.setContentLength(body.length);
      if (!"HEAD".equals(req.getMethod())) {
        resp.getOutputStream().write(body);
      }
    }
  }

  /** The port of the admin API's own listener ({@code admin.port}), or -1 when the main port serves it. */
  public int adminPort() {
    return jetty.adminPort();
  }

  /** The port listened on, the one chosen when started with port 0. */
  public int port() {
    return jetty.port();
  }

  /**
   * The registry of the meters {@code GET /metrics} shows; meters registered here (named
   * {@code hooks.*}) appear there too.
   */
  public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
    return meters;
  }

  /** The hooks instance served. */
  public Hooks hooks() {
    return hooks;
  }

  /**
   * Stops Jetty (requests in progress finish), then drains the dispatcher and closes the journal
   * and the handlers' files. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    EmbeddedJetty.closeAll(streams);
    jetty.stop();
    // The notification senders share the journal's database: stop them before it closes.
    EmbeddedJetty.closeAll(senders);
    hooks.close();
    EmbeddedJetty.closeAll(resources);
    LOG.info("hooks-server stopped");
  }
}
