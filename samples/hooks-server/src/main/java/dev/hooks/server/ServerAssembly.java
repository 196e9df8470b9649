package dev.hooks.server;

import dev.hooks.Hooks;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.ingress.Endpoint;
import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.journal.Durability;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.PayloadParsers;
import dev.hooks.route.Route;
import dev.hooks.notify.DiscordNotifier;
import dev.hooks.notify.Notifier;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.notify.OutboxSender;
import dev.hooks.notify.SlackNotifier;
import dev.hooks.notify.TeamsNotifier;
import dev.hooks.notify.hub.NotificationHub;
import dev.hooks.server.ServerConfig.AdminConfig;
import dev.hooks.server.ServerConfig.DispatchConfig;
import dev.hooks.server.ServerConfig.EndpointConfig;
import dev.hooks.server.ServerConfig.HandlerConfig;
import dev.hooks.server.ServerConfig.JournalConfig;
import dev.hooks.server.ServerConfig.MatchConfig;
import dev.hooks.server.ServerConfig.NotifyTargetConfig;
import dev.hooks.server.ServerConfig.RouteConfig;
import dev.hooks.servlet.admin.AdminGuard;
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
  private final ServerConfig config;
  private final Path dataDir;
  private final PrintStream out;
  private final Map<String, EventHandler> extraHandlers;
  private final List<Closeable> resources = new ArrayList<>();
  private final List<Closeable> senders = new ArrayList<>();
  private @Nullable JdbcJournals journals;
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

  /** The outbox senders {@link #admin} started; close them before {@link Hooks#close()}. */
  List<Closeable> senders() {
    return senders;
  }

  /**
   * @throws ConfigException naming the key at fault
   */
  Hooks build() {
    Clock clock = Clock.systemUTC();
    Hooks.Builder b = Hooks.builder().clock(clock);
    for (EndpointConfig e : config.endpoints) {
      b.endpoint(endpoint(e, clock));
    }
    Map<String, EventHandler> handlers = handlers();
    for (int i = 0; i < config.routes.size(); i++) {
      b.route(route(config.routes.get(i), i, handlers));
    }
    dispatch(b, config.dispatch);
    JdbcJournals journals = journal(config.journal);
    this.journals = journals;
    try {
      if (config.deploy != null) {
        deploy = dev.hooks.server.deploy.DeployWiring.create(config.deploy,
            config.endpoints.stream().map(e -> e.id).collect(java.util.stream.Collectors.toSet()), config.notify.keySet(),
            config.admin != null ? config.admin.token : null, journals.stateStore(), journals.outbox(), dataDir);
        senders.add(deploy);
        b.route(deploy.route());
      }
      if (config.alerts != null) {
        alerts = dev.hooks.server.alerts.AlertsWiring.create(config.alerts, dataDir, journals.stateStore(),
            config.endpoints.stream().map(e -> e.id).collect(java.util.stream.Collectors.toSet()), clock,
            io.micrometer.core.instrument.Metrics.globalRegistry);
        // closed after the dispatcher has drained, with the other resources
        resources.add(alerts);
        alerts.endpoints().forEach(b::endpoint);
        b.route(alerts.route());
      }
      return b.journal(journals.eventJournal()).build();
    } catch (RuntimeException ex) {
      journals.close();
      throw ex;
    }
  }

  private Endpoint endpoint(EndpointConfig e, Clock clock) {
    String where = "endpoint '" + e.id + "'";
    String provider = e.provider.trim().toLowerCase(Locale.ROOT);
    PayloadParser parser;
    try {
      parser = PayloadParsers.forProvider(provider, e.parser);
    } catch (RuntimeException ex) {
      throw new ConfigException(where + ": " + ex.getMessage(), ex);
    }
    String scheme = e.verifier.scheme != null ? e.verifier.scheme : provider;
    if (!SignatureVerifiers.schemes().contains(scheme.trim().toLowerCase(Locale.ROOT))) {
      throw new ConfigException(where + ": unknown signature scheme '" + scheme + "'; set verifier.scheme to one of "
          + SignatureVerifiers.schemes() + " (none for an unsigned endpoint)");
    }
    List<Secret> secrets = new ArrayList<>();
    for (int i = 0; i < e.verifier.secrets.size(); i++) {
      String s = e.verifier.secrets.get(i);
      if (s == null || s.isEmpty()) {
        throw new ConfigException(where + ": verifier.secrets[" + i + "] is empty; set it, usually to ${ENV_VAR}");
      }
      secrets.add(Secret.of(s));
    }
    SignatureVerifier verifier;
    try {
      verifier = SignatureVerifiers.forScheme(scheme, secrets, e.verifier.options, clock);
    } catch (RuntimeException ex) {
      throw new ConfigException(where + ": " + ex.getMessage() + (secrets.isEmpty() ? "; set verifier.secrets, usually to ${ENV_VAR}" : ""), ex);
    }
    try {
      Endpoint.Builder eb = Endpoint.builder(e.id).provider(provider).verifier(verifier).parser(parser).enabled(e.enabled);
      if (e.maxBodySize != null) {
        eb.maxBodyBytes(ConfigValues.size(e.maxBodySize, where + " max-body-size"));
      }
      for (String cidr : e.allowedCidrs) {
        eb.allowCidr(cidr);
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
        default -> throw new ConfigException("handler '" + h.getKey() + "' has unknown type '" + c.type + "'; use log or file");
      }
    }
    return out;
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
   * journal's state store and outbox, whose endpoints notify the {@code notify:} targets, and an
   * outbox sender, started here and closed with {@link #senders()}. Call after {@link #build()}
   * and before {@link Hooks#start()}.
   *
   * @throws ConfigException naming the key at fault
   */
  Optional<HooksAdminServlet> admin(Hooks hooks) {
    AdminConfig a = config.admin;
    if (a == null || journals == null) {
      return Optional.empty();
    }
    if (a.token == null || a.token.strip().length() < 16) {
      throw new ConfigException("admin.token must be at least 16 characters; set it to ${HOOKS_ADMIN_TOKEN}"
          + " and export a long random value (openssl rand -hex 32)");
    }
    AdminGuard guard = adminGuard(a);
    if (config.notify.isEmpty()) {
      throw new ConfigException("admin needs at least one target under 'notify', such as discord: {url: ${DISCORD_WEBHOOK_URL}}");
    }
    List<Notifier> notifiers = new ArrayList<>();
    // A webhook URL given as an endpoint's target may reach only the scheme, host and port of a
    // configured target.
    OutboundPolicy.Builder urlTargets = OutboundPolicy.builder();
    for (Map.Entry<String, NotifyTargetConfig> t : config.notify.entrySet()) {
      NotifyTargetConfig c = t.getValue() == null ? new NotifyTargetConfig() : t.getValue();
      notifiers.add(notifier(t.getKey(), c));
      urlTargets.allowTarget(URI.create(c.url.strip()));
      if (c.allowPlainHttp) {
        urlTargets.allowPlainHttp(true);
      }
    }
    NotifierRegistry registry = NotifierRegistry.of(notifiers.toArray(Notifier[]::new));
    if (deploy != null) {
      deploy.useNotifiers(registry);
    }
    String target = a.defaultTarget != null ? a.defaultTarget : config.notify.keySet().iterator().next();
    if (registry.find(target).isEmpty()) {
      throw new ConfigException("admin.default-target '" + target + "' is not declared under 'notify' (declared: " + config.notify.keySet() + ")");
    }
    NotificationHub.Builder hub = NotificationHub.builder(hooks, journals.stateStore(), journals.outbox(), registry).defaultTarget(target)
        .outbound(urlTargets.build());
    if (a.publicUrl != null) {
      try {
        hub.publicUrl(new URI(a.publicUrl.strip()));
      } catch (URISyntaxException ex) {
        throw new ConfigException("admin.public-url '" + a.publicUrl + "' is not a URL: " + ex.getMessage(), ex);
      }
    }
    NotificationHub started = hub.build().start();
    OutboxSender sender = OutboxSender.builder(journals.outbox(), registry).build();
    sender.start();
    senders.add(sender::close);
    return Optional.of(new HooksAdminServlet(started, hooks.journal(), java.time.Clock.systemUTC(), a.token, guard));
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

  private static Notifier notifier(String name, NotifyTargetConfig t) {
    String where = "notify." + name;
    String type = (t.type != null ? t.type : name).strip().toLowerCase(Locale.ROOT);
    if (t.url == null || t.url.isBlank()) {
      throw new ConfigException(where + ".url is empty; set it, usually to ${" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_WEBHOOK_URL}");
    }
    try {
      URI url = new URI(t.url.strip());
      OutboundPolicy policy = OutboundPolicy.builder().allowHost(url.getHost()).allowPlainHttp(t.allowPlainHttp).build();
      return switch (type) {
        case "discord" -> DiscordNotifier.builder(name, url).outbound(policy).build();
        case "slack" -> SlackNotifier.builder(name, url).outbound(policy).build();
        case "teams" -> TeamsNotifier.builder(name, url).outbound(policy).build();
        default -> throw new ConfigException(where + ".type '" + type + "' is unknown; use discord, slack or teams");
      };
    } catch (ConfigException ex) {
      throw ex;
    } catch (URISyntaxException | RuntimeException ex) {
      // the message names the host at most, never the URL's token
      throw new ConfigException(where + ".url is not usable: " + ex.getClass().getSimpleName()
          + (ex instanceof URISyntaxException ? "" : ": " + ex.getMessage()), ex);
    }
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
    if (j.durability != null) {
      b.durability(j.durability.trim().equalsIgnoreCase("sync") ? Durability.SYNC : Durability.OS);
    }
    return b.build();
  }
}
