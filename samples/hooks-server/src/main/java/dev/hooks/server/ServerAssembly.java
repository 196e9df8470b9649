package dev.hooks.server;

import dev.hooks.Hooks;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.ingress.Endpoint;
import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.journal.Durability;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.PayloadParsers;
import dev.hooks.route.Route;
import dev.hooks.server.ServerConfig.DispatchConfig;
import dev.hooks.server.ServerConfig.EndpointConfig;
import dev.hooks.server.ServerConfig.HandlerConfig;
import dev.hooks.server.ServerConfig.JournalConfig;
import dev.hooks.server.ServerConfig.MatchConfig;
import dev.hooks.server.ServerConfig.RouteConfig;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns a {@link ServerConfig} into a {@link Hooks} instance; only wires, decides nothing. */
final class ServerAssembly {
  private final ServerConfig config;
  private final Path dataDir;
  private final PrintStream out;
  private final Map<String, EventHandler> extraHandlers;
  private final List<Closeable> resources = new ArrayList<>();

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
    try {
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
