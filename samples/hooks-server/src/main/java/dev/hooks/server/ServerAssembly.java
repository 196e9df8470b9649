package dev.hooks.server;

import dev.hooks.Hooks;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.ingress.Endpoint;
import dev.hooks.embedded.EmbeddedEventJournal;
import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.journal.Durability;
import dev.hooks.parse.PayloadParser;
import dev.hooks.endpoints.EncryptionKeyException;
import dev.hooks.endpoints.EndpointStore;
import dev.hooks.endpoints.Provider;
import dev.hooks.endpoints.SecretCipher;
import dev.hooks.endpoints.ProviderCatalog;
import dev.hooks.route.Route;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.endpoints.hub.NotificationHub;
import dev.hooks.server.ServerConfig.AdminConfig;
import dev.hooks.server.ServerConfig.DispatchConfig;
import dev.hooks.server.ServerConfig.EndpointConfig;
import dev.hooks.server.ServerConfig.HandlerConfig;
import dev.hooks.server.ServerConfig.JournalConfig;
import dev.hooks.server.ServerConfig.MatchConfig;
import dev.hooks.server.ServerConfig.NotifyTargetConfig;
import dev.hooks.server.ServerConfig.RouteConfig;
import dev.hooks.servlet.admin.AdminGuard;
import dev.hooks.console.HooksConsoleServlet;
import dev.hooks.servlet.admin.HooksAdminServlet;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Turns a {@link ServerConfig} into a {@link Hooks} instance; only wires, decides nothing. */
final class ServerAssembly {
  /** The providers an endpoint's {@code provider:} names. */
  static final ProviderCatalog CATALOG = ProviderCatalog.standard();

  private final ServerConfig config;
  private final Path dataDir;
  private final PrintStream out;
  private final Map<String, EventHandler> extraHandlers;
  private final List<Closeable> resources = new ArrayList<>();
  private final List<Closeable> senders = new ArrayList<>();
  private final Clock clock = Clock.systemUTC();
  private final ServerMetrics metrics = new ServerMetrics(clock);
  private @Nullable JdbcJournals journals;
  private @Nullable EndpointStore registry;
  /** One throttle of wrong admin tokens for every admin route: the API, the console and /admin/notify. */
  private @Nullable AdminGuard adminGuard;
  private @Nullable NotifyWiring notifications;
  private dev.hooks.server.deploy.@Nullable DeployWiring deploy;
  private dev.hooks.server.alerts.@Nullable AlertsWiring alerts;

  /**
   * @param out where the {@code log} handler prints
   * @param extraHandlers handlers an embedding application adds by name, beside the built-in ones
   */
  ServerAssembly(ServerConfig config, Path dataDir, PrintStream out, Map<String, EventHandler> extraHandlers) {
    this.config = config;
    this.dataDir = dataDir;
    this.out = out;
    this.extraHandlers = extraHandlers;
  }

  /** Files the handlers opened; close them after {@link Hooks#close()}. */
  List<Closeable> resources() {
    return resources;
  }

  /** The {@code deploy:} section's wiring, if any; start it after {@link Hooks#start()}. */
  Optional<dev.hooks.server.deploy.DeployWiring> deploy() {
    return Optional.ofNullable(deploy);
  }

  /** The {@code alerts:} section's wiring, if any; mount its routes once {@link Hooks} is built. */
  Optional<dev.hooks.server.alerts.AlertsWiring> alerts() {
    return Optional.ofNullable(alerts);
  }

  /** The one registry of run-time endpoints (hub, alerts, deploy), once {@link #build()} opened the journal. */
  EndpointStore registry() {
    if (registry == null) {
      throw new IllegalStateException("build() opens the registry");
    }
    return registry;
  }

  /** The outbox senders {@link #startSenders} starts; close them before {@link Hooks#close()}. */
  List<Closeable> senders() {
    return senders;
  }

  /**
   * The registry of every meter the server shows at {@code GET /metrics}; other parts of the
   * server (alerts, deploy) register their meters here, named {@code hooks.*}.
   */
  io.micrometer.core.instrument.MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  ServerMetrics metrics() {
    return metrics;
  }

  /** Starts delivering notifications from the outbox; call after {@link Hooks#start()}. */
  void startSenders() {
    if (notifications != null) {
      notifications.start();
    }
  }

  /**
   * Opens the journal and builds hooks: endpoints, routes, handlers, the {@code notify}
   * section; registers the meters.
   *
   * @throws ConfigException naming the key at fault
   */
  Hooks build() {
    Hooks.Builder b = Hooks.builder().clock(clock);
    for (int i = 0; i < config.endpoints.size(); i++) {
      b.endpoint(endpoint(config.endpoints.get(i), i, clock));
    }
    dispatch(b, config.dispatch);
    JdbcJournals journals = journal(config.journal);
    this.journals = journals;
    EventJournal events = null;
    try {
      events = eventJournal(config.journal, journals);
      EndpointStore endpoints = endpointStore(journals.stateStore());
      this.registry = endpoints;
      senders.add(new PeriodicPurge("audit entries", endpoints::purgeAudit, auditRetention(config.audit), purgeInterval(config.journal), clock));
      if (!config.notify.targets.isEmpty()) {
        notifications = NotifyWiring.create(config.notify, config.handlers, journals.outbox(), journals.stateStore(), metrics, clock);
        senders.add(notifications);
      }
      Map<String, EventHandler> handlers = handlers();
      for (int i = 0; i < config.routes.size(); i++) {
        b.route(route(config.routes.get(i), i, handlers));
      }
      if (config.deploy != null) {
        deploy = dev.hooks.server.deploy.DeployWiring.create(config.deploy,
            config.endpoints.stream().map(e -> e.id).collect(java.util.stream.Collectors.toSet()), config.notify.targets.keySet(),
            config.admin != null ? config.admin.token : null, journals.stateStore(), endpoints, journals.outbox(), dataDir, meterRegistry());
        senders.add(deploy);
        b.route(deploy.route());
        if (notifications != null) {
          deploy.useNotifiers(notifications.registry());
        }
      }
      if (config.alerts != null) {
        alerts = dev.hooks.server.alerts.AlertsWiring.create(config.alerts, dataDir, journals.stateStore(), endpoints,
            config.endpoints.stream().map(e -> e.id).collect(java.util.stream.Collectors.toSet()), clock,
            metrics.registry());
        // closed after the dispatcher has drained, with the other resources
        resources.add(alerts);
        alerts.endpoints().forEach(b::endpoint);
        b.route(alerts.route());
      }
      Hooks hooks = b.journal(events).build();
      metrics.bind(hooks, journals.outbox());
      senders.add(new PeriodicPurge("sent notifications", journals.outbox()::purgeDelivered, retention(config.notify.retentionDays, "notify.retention-days"),
          purgeInterval(config.journal), clock));
      return hooks;
    } catch (RuntimeException ex) {
      EmbeddedJetty.closeAll(senders);
      if (events != null) {
        events.close(); // the embedded journal holds its directory's lock until closed
      }
      journals.close();
      throw ex;
    }
  }

  private Endpoint endpoint(EndpointConfig e, int index, Clock clock) {
    String where = "endpoint '" + e.id + "'";
    String key = "endpoints[" + index + "]";
    Provider provider = CATALOG.find(e.provider).orElseThrow(() -> new ConfigException(where + ": " + key + ".provider '" + e.provider
        + "' is unknown; use one of " + String.join(", ", CATALOG.names())));
    PayloadParser parser;
    try {
      parser = provider.parser(e.parser);
    } catch (RuntimeException ex) {
      throw new ConfigException(where + ": " + key + ".parser: " + ex.getMessage(), ex);
    }
    String scheme = e.verifier.scheme != null && !e.verifier.scheme.isBlank() ? e.verifier.scheme.strip().toLowerCase(Locale.ROOT) : null;
    if (scheme != null && !SignatureVerifiers.schemes().contains(scheme)) {
      throw new ConfigException(where + ": unknown signature scheme '" + scheme + "'; set " + key + ".verifier.scheme to one of "
          + SignatureVerifiers.schemes() + " (none for an unsigned endpoint), or leave it out for " + provider.name()
          + "'s own scheme, " + provider.defaultScheme());
    }
    List<Secret> secrets = new ArrayList<>();
    for (int i = 0; i < e.verifier.secrets.size(); i++) {
      String s = e.verifier.secrets.get(i);
      if (s == null || s.isEmpty()) {
        throw new ConfigException(where + ": " + key + ".verifier.secrets[" + i + "] is empty; set it, usually to ${ENV_VAR}");
      }
      secrets.add(Secret.of(s));
    }
    SignatureVerifier verifier;
    try {
      verifier = CATALOG.verifier(provider, scheme, secrets, e.verifier.options, clock);
    } catch (RuntimeException ex) {
      throw new ConfigException(where + ": " + key + ".verifier (scheme " + (scheme != null ? scheme : provider.defaultScheme()) + ", "
          + provider.proof() + "): " + ex.getMessage()
          + (secrets.isEmpty() ? "; set " + key + ".verifier.secrets, usually to ${ENV_VAR}" : ""), ex);
    }
    try {
      Endpoint.Builder eb = Endpoint.builder(e.id).provider(provider.name()).verifier(verifier).parser(parser).enabled(e.enabled);
      if (e.maxBodySize != null) {
        eb.maxBodyBytes(ConfigValues.size(e.maxBodySize, where + " max-body-size"));
      }
      for (String cidr : e.allowedCidrs) {
        eb.allowCidr(cidr);
      }
      // a token scheme's header (autoheal's X-Webhook-Token, or one named in the options) is a secret
      String header = e.verifier.options.getOrDefault("header", scheme == null ? provider.defaultSchemeOptions().get("header") : null);
      if (header != null && !header.isBlank()) {
        eb.secretHeader(header.strip());
      }
      return eb.build();
    } catch (ConfigException ex) {
      throw ex;
    } catch (RuntimeException ex) {
      throw new ConfigException(where + ": " + ex.getMessage(), ex);
    }
  }

  private Map<String, EventHandler> handlers() {
    Map<String, EventHandler> out = new LinkedHashMap<>(extraHandlers);
    for (Map.Entry<String, HandlerConfig> h : config.handlers.entrySet()) {
      HandlerConfig c = h.getValue();
      switch (c.type) {
        case "log" -> out.put(h.getKey(), new LogEventHandler(h.getKey(), this.out));
        case "file" -> {
          try {
            FileEventHandler file = new FileEventHandler(h.getKey(), Path.of(c.path));
            resources.add(file);
            out.put(h.getKey(), file);
          } catch (IOException ex) {
            throw new ConfigException("file handler '" + h.getKey() + "' cannot open " + c.path + ": " + ex.getMessage(), ex);
          }
        }
        case "notify" -> out.put(h.getKey(), java.util.Objects.requireNonNull(notifications, "notifications").handlers().get(h.getKey()));
        default -> throw new ConfigException("handler '" + h.getKey() + "' has unknown type '" + c.type + "'; use log, file or notify");
      }
    }
    Map<String, EventHandler> metered = new LinkedHashMap<>();
    out.forEach((name, handler) -> metered.put(name, metrics.metered(new Named(name, handler))));
    return metered;
  }

  /** A handler under the name the configuration gives it, so that meters and logs name it so. */
  private record Named(String name, EventHandler delegate) implements EventHandler {
    @Override
    public void handle(dev.hooks.event.WebhookEvent event) throws Exception {
      delegate.handle(event);
    }
  }

  private static Route route(RouteConfig r, int index, Map<String, EventHandler> handlers) {
    String name = r.name != null ? r.name : "route-" + (index + 1);
    MatchConfig m = r.match;
    try {
      Route.Builder b = Route.builder(name)
          .endpoint(m.endpoint.toArray(String[]::new))
          .provider(m.provider.toArray(String[]::new))
          .type(m.type.toArray(String[]::new))
          .action(m.action.toArray(String[]::new))
          .branch(m.branch.toArray(String[]::new))
          .tag(m.tag.toArray(String[]::new));
      for (String when : m.when) {
        b.when(when);
      }
      for (String h : r.handlers) {
        EventHandler handler = handlers.get(h);
        if (handler == null) {
          throw new ConfigException("route '" + name + "' names handler '" + h + "', which is not declared under 'handlers' (declared: "
              + new java.util.TreeSet<>(handlers.keySet()) + ")");
        }
        b.handler(handler);
      }
      return b.build();
    } catch (ConfigException ex) {
      throw ex;
    } catch (RuntimeException ex) {
      throw new ConfigException("route '" + name + "': " + ex.getMessage(), ex);
    }
  }

  private static void dispatch(Hooks.Builder b, DispatchConfig d) {
    if (d.lease != null) {
      b.lease(positive(ConfigValues.duration(d.lease, "dispatch.lease"), "dispatch.lease"));
    }
    b.dispatcher(db -> {
      try {
        if (d.capacity != null) {
          db.capacity(d.capacity);
        }
        if (d.threads != null) {
          db.threads(d.threads);
        }
        if (d.maxAttempts != null) {
          db.maxAttempts(d.maxAttempts);
        }
        if (d.initialBackoff != null || d.maxBackoff != null) {
          db.backoff(
              ConfigValues.duration(d.initialBackoff != null ? d.initialBackoff : "1s", "dispatch.initial-backoff"),
              ConfigValues.duration(d.maxBackoff != null ? d.maxBackoff : "5m", "dispatch.max-backoff"));
        }
        if (d.pollInterval != null) {
          db.pollInterval(ConfigValues.duration(d.pollInterval, "dispatch.poll-interval"));
        }
        if (d.drainTimeout != null) {
          db.drainTimeout(ConfigValues.duration(d.drainTimeout, "dispatch.drain-timeout"));
        }
      } catch (ConfigException ex) {
        throw ex;
      } catch (IllegalArgumentException ex) {
        throw new ConfigException("dispatch: " + ex.getMessage(), ex);
      }
    });
  }

  private static Duration positive(Duration d, String key) {
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(key + " must be positive");
    }
    return d;
  }

  /**
   * The admin API of the {@code admin:} section, if any: a {@link NotificationHub} over the
   * journal's state store and outbox, whose endpoints notify the {@code notify.targets} (the
   * sender of {@link #startSenders()} delivers). Call after {@link #build()} and before
   * {@link Hooks#start()}.
   *
   * @throws ConfigException naming the key at fault
   */
  Optional<HooksAdminServlet> admin(Hooks hooks) {
    AdminConfig a = config.admin;
    if (a == null || journals == null) {
      return Optional.empty();
    }
    Map<String, String> tokens = adminTokens(a);
    AdminGuard guard = sharedAdminGuard(a);
    if (notifications == null) {
      throw new ConfigException("admin needs at least one target under 'notify.targets', such as discord: {url: ${DISCORD_WEBHOOK_URL}}");
    }
    // A webhook URL given as an endpoint's target may reach only the scheme, host and port of a
    // configured target.
    OutboundPolicy.Builder urlTargets = OutboundPolicy.builder();
    for (NotifyTargetConfig c : config.notify.targets.values()) {
      urlTargets.allowTarget(URI.create(c.url.strip()));
      if (c.allowPlainHttp) {
        urlTargets.allowPlainHttp(true);
      }
    }
    NotifierRegistry registry = notifications.registry();
    String target = a.defaultTarget != null ? a.defaultTarget : notifications.targetNames().get(0);
    if (!notifications.targetNames().contains(target)) {
      throw new ConfigException("admin.default-target '" + target + "' is not declared under 'notify.targets' (declared: "
          + notifications.targetNames() + ")");
    }
    NotificationHub.Builder hub = NotificationHub.builder(hooks, registry(), journals.outbox(), registry).defaultTarget(target)
        .outbound(urlTargets.build());
    if (a.publicUrl != null) {
      try {
        hub.publicUrl(new URI(a.publicUrl.strip()));
      } catch (URISyntaxException ex) {
        throw new ConfigException("admin.public-url '" + a.publicUrl + "' is not a URL: " + ex.getMessage(), ex);
      }
    }
    NotificationHub started = hub.build().start();
    return Optional.of(new HooksAdminServlet(started, hooks.journal(), java.time.Clock.systemUTC(), tokens, guard));
  }

  /**
   * The web console of {@code console:}, or empty when it is off. Served where the admin API is,
   * with the same tokens and trusted ranges.
   *
   * @throws ConfigException naming the key at fault
   */
  Optional<HooksConsoleServlet> console(Hooks hooks) {
    ServerConfig.ConsoleConfig c = config.console;
    if (!c.enabled) {
      return Optional.empty();
    }
    if (config.admin == null) {
      throw new ConfigException("console.enabled needs the 'admin:' section: operators log in with admin.token");
    }
    if (c.path == null || !c.path.matches("/[A-Za-z0-9-]{1,64}") || c.path.equals("/admin") || c.path.equals("/hooks")
        || c.path.equals("/metrics")) {
      throw new ConfigException("console.path must be one segment such as /console, not '" + c.path + "'");
    }
    if (c.sessionMinutes < 1) {
      throw new ConfigException("console.session-minutes must be at least 1, not " + c.sessionMinutes);
    }
    HooksConsoleServlet.Builder console = HooksConsoleServlet.builder()
        .tokens(adminTokens(config.admin))
        .guard(sharedAdminGuard(config.admin))
        .journal(hooks.journal())
        .sessions(java.time.Duration.ofMinutes(c.sessionMinutes), 100);
    if (alerts().isPresent()) {
      // the alerts routes: /admin/maintenance and /admin/incidents are under /admin/ already
      console.route("/api/stats").feature("maintenance").feature("stats").feature("incidents");
    }
    if (deploy().isPresent()) {
      console.feature("deploy"); // /admin/deploy/*
    }
    if (notifications != null) {
      console.feature("notify"); // /admin/notify of notifyAdmin()
    }
    return Optional.of(console.build());
  }

  /**
   * {@code GET /admin/notify}: the notification targets (URLs reduced to scheme and host) and the
   * routes to {@code notify} handlers, or empty without the {@code admin:} section or targets.
   */
  Optional<NotifyAdminServlet> notifyAdmin() {
    if (config.admin == null || notifications == null) {
      return Optional.empty();
    }
    return Optional.of(new NotifyAdminServlet(config, adminTokens(config.admin), sharedAdminGuard(config.admin)));
  }

  /** The tokens of {@code admin:} by identity. */
  static Map<String, String> adminTokens(AdminConfig a) {
    Map<String, String> tokens = new java.util.LinkedHashMap<>();
    if (a.token != null || a.tokens.isEmpty()) {
      if (a.token == null || a.token.strip().length() < 16) {
        throw new ConfigException("admin.token must be at least 16 characters; set it to ${HOOKS_ADMIN_TOKEN}"
            + " and export a long random value (openssl rand -hex 32)");
      }
      tokens.put(HooksAdminServlet.DEFAULT_IDENTITY, a.token);
    }
    for (Map.Entry<String, String> t : a.tokens.entrySet()) {
      if (t.getValue() == null || t.getValue().strip().length() < 16 || !t.getKey().matches("[A-Za-z0-9._-]{1,64}")
          || tokens.containsKey(t.getKey()) || tokens.containsValue(t.getValue())) {
        throw new ConfigException("admin.tokens." + t.getKey() + " must be a token of at least 16 characters, of its own,"
            + " under an identity of letters, digits, '.', '_' or '-' other than 'admin'");
      }
      tokens.put(t.getKey(), t.getValue());
    }
    return tokens;
  }

  /** The guard of {@code admin:}, made once, so a client's wrong tokens count against one limit wherever it sends them. */
  private AdminGuard sharedAdminGuard(AdminConfig a) {
    if (adminGuard == null) {
      adminGuard = adminGuard(a);
    }
    return adminGuard;
  }

  /** The trusted ranges and the wrong-token throttle of {@code admin:}. */
  static AdminGuard adminGuard(AdminConfig a) {
    AdminGuard.Builder guard = AdminGuard.builder();
    for (int i = 0; i < a.trustedCidrs.size(); i++) {
      try {
        guard.trustedCidrs(List.of(a.trustedCidrs.get(i)));
      } catch (IllegalArgumentException ex) {
        throw new ConfigException("admin.trusted-cidrs[" + i + "] '" + a.trustedCidrs.get(i) + "' is not a range; write it like 10.0.0.0/8 or ::1");
      }
    }
    if (a.maxFailuresPerMinute < 1) {
      throw new ConfigException("admin.max-failures-per-minute must be at least 1, not " + a.maxFailuresPerMinute);
    }
    return guard.failures(a.maxFailuresPerMinute, java.time.Duration.ofMinutes(1)).build();
  }

  /**
   * The one registry of run-time endpoints over the journal's state store, every entry sealed
   * with one key: {@code admin.encryption-key} or {@code alerts.encryption-key} (the same key when
   * both are set), else a key generated once into {@code <data dir>/endpoints.key}. Moves the
   * entries a previous version kept under {@code hub/endpoints/} and {@code alerts/endpoints/}.
   *
   * @throws ConfigException if the keys differ, a key is malformed, or it does not open the stored entries
   */
  private EndpointStore endpointStore(dev.hooks.state.StateStore state) {
    String adminKey = config.admin != null ? blankToNull(config.admin.encryptionKey) : null;
    String alertsKey = config.alerts != null ? blankToNull(config.alerts.encryptionKey) : null;
    if (config.alerts != null && alertsKey == null) {
      throw new ConfigException("alerts.encryption-key (HOOKS_ENCRYPTION_KEY) is not set; set it to 32 random bytes in base64"
          + " (openssl rand -base64 32) and keep it: the endpoint tokens can only be read with it");
    }
    if (adminKey != null && alertsKey != null && !adminKey.equals(alertsKey)) {
      throw new ConfigException("admin.encryption-key and alerts.encryption-key differ; the endpoint registry has one key:"
          + " set both to ${HOOKS_ENCRYPTION_KEY}, or one of them");
    }
    List<String> previous = config.admin != null ? config.admin.previousEncryptionKeys : List.of();
    SecretCipher cipher;
    try {
      if (adminKey != null) {
        cipher = SecretCipher.of("admin.encryption-key", adminKey, previous);
      } else if (alertsKey != null) {
        cipher = SecretCipher.of("alerts.encryption-key (HOOKS_ENCRYPTION_KEY)", alertsKey, previous);
      } else {
        cipher = SecretCipher.of(dataDir.resolve("endpoints.key").toString(), DataDirectory.keyFile(dataDir.resolve("endpoints.key")),
            List.of());
      }
    } catch (EncryptionKeyException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    try {
      // sealed before anything reads a value: a wrong key fails the start, not the first delivery
      EndpointStore store = EndpointStore.builder(state).cipher(cipher).clock(clock).build();
      store.migrate(NotificationHub.LEGACY_PREFIX, EndpointStore.HUB, cipher);
      // the configured alert endpoints are declared again from the configuration at every start
      state.list("alerts/endpoints/").forEach((k, v) -> state.delete(k, v.version()));
      return store;
    } catch (EncryptionKeyException e) {
      throw new ConfigException((alertsKey != null && adminKey == null ? "alerts.encryption-key does not open the stored endpoint tokens: "
          : "the encryption key does not open the stored endpoints: ") + e.getMessage(), e);
    }
  }

  private static @Nullable String blankToNull(@Nullable String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** {@code audit.retention-days}: whole days, 90 when absent. */
  static Duration auditRetention(ServerConfig.AuditConfig a) {
    if (a.retentionDays == null) {
      return Duration.ofDays(90);
    }
    return retention(a.retentionDays, "audit.retention-days");
  }

  /**
   * The events journal: the embedded one in {@code <data dir>/journal} unless the {@code journal:}
   * section names a database; then the JDBC journal beside the state store and outbox.
   */
  private EventJournal eventJournal(JournalConfig j, JdbcJournals journals) {
    String type = j.type != null ? j.type.trim().toLowerCase(Locale.ROOT) : j.url == null ? "embedded" : "jdbc";
    switch (type) {
      case "jdbc" -> {
        return journals.eventJournal();
      }
      case "memory" -> {
        // Lost at exit: for trying things out and for measuring the request path alone.
        resources.add(journals::close);
        return new InMemoryEventJournal();
      }
      case "embedded" -> {
        if (j.url != null) {
          throw new ConfigException("journal: url is for type jdbc; remove it, or set type: jdbc to journal events in that database");
        }
        // Hooks closes the events journal; the state store and outbox are closed after it.
        resources.add(journals::close);
        return EmbeddedEventJournal.builder(dataDir.toAbsolutePath().resolve("journal")).durability(durability(j))
            .retainDone(retention(j.retentionDays, "journal.retention-days")).purgeInterval(purgeInterval(j)).build();
      }
      default -> throw new ConfigException("journal.type: unknown '" + j.type + "'; one of embedded (the default), jdbc, memory");
    }
  }

  private static Durability durability(JournalConfig j) {
    return j.durability != null && j.durability.trim().equalsIgnoreCase("sync") ? Durability.SYNC : Durability.OS;
  }

  private JdbcJournals journal(JournalConfig j) {
    JdbcJournals.Builder b = JdbcJournals.builder()
        .url(j.url != null ? j.url : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("hooks"));
    if (j.user != null) {
      b.user(j.user);
    }
    if (j.password != null) {
      b.password(j.password);
    }
    return b.durability(durability(j)).retainDone(retention(j.retentionDays, "journal.retention-days")).purgeInterval(purgeInterval(j))
        .build();
  }

  /** Whole days, 7 when absent; 0 keeps nothing past the next purge. */
  static Duration retention(@Nullable Integer days, String key) {
    if (days == null) {
      return Duration.ofDays(7);
    }
    if (days < 0) {
      throw new ConfigException(key + " must be 0 or more days, not " + days);
    }
    return Duration.ofDays(days);
  }

  static Duration purgeInterval(JournalConfig j) {
    if (j.purgeInterval == null) {
      return Duration.ofMinutes(10);
    }
    Duration every = ConfigValues.duration(j.purgeInterval, "journal.purge-interval");
    if (every.isZero() || every.isNegative()) {
      throw new ConfigException("journal.purge-interval must be longer than 0, such as 10m");
    }
    return every;
  }
}
