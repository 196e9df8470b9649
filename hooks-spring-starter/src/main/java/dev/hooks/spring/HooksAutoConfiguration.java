package dev.hooks.spring;

import dev.hooks.Hooks;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.ingress.Endpoint;
import dev.hooks.embedded.EmbeddedEventJournal;
import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.metrics.HooksMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.parse.PayloadParser;
import dev.hooks.endpoints.Provider;
import dev.hooks.endpoints.ProviderCatalog;
import dev.hooks.route.Route;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.spring.HooksProperties.EndpointProperties;
import dev.hooks.spring.HooksProperties.RouteProperties;
import dev.hooks.state.StateStore;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The core of hooks from {@code hooks.*}: the stores (an embedded journal in
 * {@code hooks.journal.data-dir}, or the application's {@code DataSource}), the endpoints, the
 * routes over the application's {@link EventHandler} beans, and the {@link Hooks} instance,
 * started and drained with the application context. Every bean backs off when the application
 * declares its own.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnClass(Hooks.class)
@ConditionalOnProperty(prefix = "hooks", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(HooksProperties.class)
public class HooksAutoConfiguration {
  /** The providers endpoints' {@code provider} names: the list hooks-server's YAML reads too. */
  static final ProviderCatalog CATALOG = ProviderCatalog.standard();

  /** The stores: jdbc on the application's DataSource when there is one, else embedded. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "hooks.journal", name = "enabled", matchIfMissing = true)
  public HooksStorage hooksStorage(HooksProperties properties, ObjectProvider<DataSource> dataSource) {
    HooksProperties.Journal j = properties.getJournal();
    String type = j.getType() != null ? j.getType().strip().toLowerCase(Locale.ROOT)
        : j.getUrl() != null || dataSource.getIfUnique() != null ? "jdbc" : "embedded";
    Durability durability = switch (j.getDurability().strip().toLowerCase(Locale.ROOT)) {
      case "os" -> Durability.OS;
      case "sync" -> Durability.SYNC;
      default -> throw new HooksConfigurationException("hooks.journal.durability", "'" + j.getDurability() + "' is not a durability",
          "Set hooks.journal.durability to os (survives kill -9) or sync (survives power loss).");
    };
    JdbcJournals.Builder b = JdbcJournals.builder().durability(durability);
    switch (type) {
      case "memory" -> {
        return HooksStorage.inMemory();
      }
      case "embedded" -> b.url("jdbc:h2:file:" + dataDirectory(j.getDataDir()).resolve("hooks"));
      case "jdbc" -> {
        if (j.getUrl() != null) {
          b.url(j.getUrl());
          if (j.getUser() != null) {
            b.user(j.getUser());
          }
          if (j.getPassword() != null) {
            b.password(j.getPassword());
          }
        } else {
          DataSource ds = dataSource.getIfUnique();
          if (ds == null) {
            throw new HooksConfigurationException("hooks.journal.type", "jdbc needs a DataSource, and the application has none (or several)",
                "Configure spring.datasource.url, or set hooks.journal.url, or use hooks.journal.type=embedded.");
          }
          b.dataSource(ds);
        }
      }
      default -> throw new HooksConfigurationException("hooks.journal.type", "'" + j.getType() + "' is not a journal type",
          "Set hooks.journal.type to embedded, jdbc or memory.");
    }
    try {
      if (type.equals("embedded")) {
        Path dir = dataDirectory(j.getDataDir());
        JdbcJournals stores = b.build();
        try {
          return HooksStorage.embedded(EmbeddedEventJournal.builder(dir.resolve("journal")).durability(durability).build(), stores);
        } catch (RuntimeException ex) {
          stores.close();
          throw ex;
        }
      }
      return HooksStorage.of(type, b.build());
    } catch (RuntimeException ex) {
      String property = type.equals("embedded") ? "hooks.journal.data-dir" : j.getUrl() != null ? "hooks.journal.url" : "spring.datasource.url";
      throw new HooksConfigurationException(property, "the " + type + " journal cannot be opened (" + ex.getClass().getSimpleName() + ")",
          type.equals("embedded") ? "Make hooks.journal.data-dir a writable directory that no other process holds open."
              : "Check that the database is reachable and the user may create tables, then start again.", ex);
    }
  }

  @Bean
  @ConditionalOnMissingBean
  public EventJournal hooksEventJournal(HooksStorage storage) {
    return storage.journal();
  }

  @Bean
  @ConditionalOnMissingBean
  public StateStore hooksStateStore(HooksStorage storage) {
    return storage.stateStore();
  }

  @Bean
  @ConditionalOnMissingBean
  public NotificationOutbox hooksNotificationOutbox(HooksStorage storage) {
    return storage.outbox();
  }

  /**
   * The hooks instance: endpoints from {@code hooks.endpoints}, routes from {@code hooks.routes}
   * naming {@link EventHandler} beans (by bean name or {@link EventHandler#name()}). Started and
   * closed by {@link HooksLifecycle}.
   */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  public Hooks hooks(HooksProperties properties, EventJournal journal, Map<String, EventHandler> handlers,
      Map<String, PayloadParser> parsers, Map<String, SignatureVerifier> verifiers, ObjectProvider<Clock> clock,
      ObjectProvider<MeterRegistry> meters, ObjectProvider<HooksAlertsAutoConfiguration.AlertHooksEndpoints> alertEndpoints,
      ObjectProvider<Route> routeBeans) {
    Clock c = clock.getIfAvailable(Clock::systemUTC);
    Hooks.Builder b = Hooks.builder().clock(c).journal(journal);
    properties.getEndpoints().forEach((id, e) -> b.endpoint(endpoint(id, e, parsers, verifiers, c)));
    // the alert router's endpoints (hooks.alerts.endpoints) and the application's Route beans
    alertEndpoints.orderedStream().forEach(a -> a.endpoints().forEach(b::endpoint));
    Map<String, EventHandler> byName = new LinkedHashMap<>();
    handlers.forEach((bean, h) -> byName.putIfAbsent(h.name(), h));
    handlers.forEach(byName::put);
    // With a MeterRegistry (Actuator), each handler's latency and failures are measured.
    MeterRegistry registry = meters.getIfUnique();
    if (registry != null) {
      byName.replaceAll((name, h) -> HooksMetrics.metered(registry, h, c));
    }
    List<RouteProperties> routes = properties.getRoutes();
    for (int i = 0; i < routes.size(); i++) {
      b.route(route(routes.get(i), i, byName));
    }
    routeBeans.orderedStream().forEach(b::route);
    HooksProperties.Dispatch d = properties.getDispatch();
    if (d.getLease() != null) {
      b.lease(d.getLease());
    }
    b.dispatcher(db -> {
      try {
        if (d.getCapacity() != null) {
          db.capacity(d.getCapacity());
        }
        if (d.getThreads() != null) {
          db.threads(d.getThreads());
        }
        if (d.getMaxAttempts() != null) {
          db.maxAttempts(d.getMaxAttempts());
        }
        db.backoff(d.getInitialBackoff(), d.getMaxBackoff());
        if (d.getDrainTimeout() != null) {
          db.drainTimeout(d.getDrainTimeout());
        }
      } catch (IllegalArgumentException ex) {
        throw new HooksConfigurationException("hooks.dispatch", ex.getMessage(), "Correct the hooks.dispatch.* value the message names.", ex);
      }
    });
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  public HooksLifecycle hooksLifecycle(Hooks hooks) {
    return new HooksLifecycle(hooks);
  }

  private static Path dataDirectory(Path dir) {
    Path abs = dir.toAbsolutePath();
    try {
      Files.createDirectories(abs);
      return abs;
    } catch (IOException ex) {
      throw new HooksConfigurationException("hooks.journal.data-dir", "the directory " + abs + " cannot be created (" + ex.getMessage() + ")",
          "Set hooks.journal.data-dir to a directory the application may write.", new UncheckedIOException(ex));
    }
  }

  static Endpoint endpoint(String id, EndpointProperties e, Map<String, PayloadParser> parsers, Map<String, SignatureVerifier> verifiers, Clock clock) {
    String at = "hooks.endpoints." + id;
    String name = e.getProvider() == null ? "" : e.getProvider().strip();
    if (name.isEmpty()) {
      throw new HooksConfigurationException(at + ".provider", "is not set",
          "Set " + at + ".provider to one of " + String.join(", ", CATALOG.names()) + ".");
    }
    Provider provider = CATALOG.find(name).orElseThrow(() -> new HooksConfigurationException(at + ".provider",
        "'" + name + "' is not a provider",
        "Set " + at + ".provider to one of " + String.join(", ", CATALOG.names()) + ", or name a PayloadParser bean in " + at + ".parser."));
    PayloadParser parser;
    if (e.getParser() != null) {
      parser = parsers.get(e.getParser());
      if (parser == null) {
        throw new HooksConfigurationException(at + ".parser", "names the bean '" + e.getParser() + "', which is not a PayloadParser bean",
            "Declare a PayloadParser bean of that name, or remove " + at + ".parser to use the provider's parser. Beans: " + new TreeSet<>(parsers.keySet()));
      }
    } else {
      try {
        parser = provider.parser(e.getParserOptions());
      } catch (RuntimeException ex) {
        throw new HooksConfigurationException(at + ".parser-options", ex.getMessage(),
            "Correct " + at + ".parser-options as the message says, or name a PayloadParser bean in " + at + ".parser.", ex);
      }
    }
    Endpoint.Builder eb = Endpoint.builder(id).provider(provider.name()).parser(parser)
        .verifier(verifier(at, provider, e, verifiers, clock)).enabled(e.isEnabled());
    try {
      if (e.getMaxBodySize() != null) {
        eb.maxBodyBytes(Math.toIntExact(e.getMaxBodySize().toBytes()));
      }
      for (String cidr : e.getAllowedCidrs()) {
        eb.allowCidr(cidr);
      }
      // a token scheme's header (autoheal's X-Webhook-Token, or one named in the options) is a secret
      String header = e.getVerifierOptions().getOrDefault("header",
          e.getScheme() == null ? provider.defaultSchemeOptions().get("header") : null);
      if (header != null && !header.isBlank()) {
        eb.secretHeader(header.strip());
      }
      return eb.build();
    } catch (RuntimeException ex) {
      throw new HooksConfigurationException(at, ex.getMessage(), "Correct the value of " + at + " the message names.", ex);
    }
  }

  /**
   * The endpoint's verifier: a {@code SignatureVerifier} bean named by {@code scheme}, the scheme
   * named, or, without one, the provider's own scheme and options from the {@link ProviderCatalog}.
   */
  private static SignatureVerifier verifier(String at, Provider provider, EndpointProperties e, Map<String, SignatureVerifier> verifiers,
      Clock clock) {
    if (e.getScheme() != null && verifiers.containsKey(e.getScheme())) {
      return verifiers.get(e.getScheme());
    }
    String scheme = e.getScheme() != null && !e.getScheme().isBlank() ? e.getScheme().strip().toLowerCase(Locale.ROOT) : null;
    if (scheme != null && !SignatureVerifiers.schemes().contains(scheme)) {
      throw new HooksConfigurationException(at + ".scheme", "'" + scheme + "' is neither a signature scheme nor a SignatureVerifier bean",
          "Set " + at + ".scheme to one of " + SignatureVerifiers.schemes() + " (none for an unsigned endpoint), the name of a"
              + " SignatureVerifier bean, or leave it out for " + provider.name() + "'s own scheme, " + provider.defaultScheme() + ".");
    }
    List<Secret> secrets = new ArrayList<>();
    List<String> given = new ArrayList<>();
    if (e.getSecret() != null) {
      given.add(e.getSecret());
    }
    given.addAll(e.getSecrets());
    for (String s : given) {
      if (s == null || s.isBlank()) {
        throw new HooksConfigurationException(at + ".secret", "is empty",
            "Set " + at + ".secret, usually to ${SOME_ENV_VAR}, and export that variable with the secret the sender signs with.");
      }
      secrets.add(Secret.of(s));
    }
    try {
      return CATALOG.verifier(provider, scheme, secrets, e.getVerifierOptions(), clock);
    } catch (RuntimeException ex) {
      // the message of the verifier names the scheme's needs, never a secret's value
      throw new HooksConfigurationException(secrets.isEmpty() ? at + ".secret" : at + ".scheme",
          ex.getMessage() + " (scheme " + (scheme != null ? scheme : provider.defaultScheme()) + ": " + provider.proof() + ")",
          secrets.isEmpty() ? "Set " + at + ".secret, usually to ${SOME_ENV_VAR}, or set " + at + ".scheme=none for an unsigned endpoint."
              : "Correct " + at + ".scheme or " + at + ".verifier-options as the message says.", ex);
    }
  }

  private static Route route(RouteProperties r, int index, Map<String, EventHandler> handlers) {
    String name = r.getName() != null ? r.getName() : "route-" + (index + 1);
    String at = "hooks.routes[" + index + "]";
    Route.Builder b;
    try {
      b = Route.builder(name)
          .endpoint(r.getEndpoint().toArray(String[]::new))
          .provider(r.getProvider().toArray(String[]::new))
          .type(r.getType().toArray(String[]::new))
          .action(r.getAction().toArray(String[]::new))
          .branch(r.getBranch().toArray(String[]::new))
          .tag(r.getTag().toArray(String[]::new));
      for (String when : r.getWhen()) {
        b.when(when);
      }
    } catch (RuntimeException ex) {
      throw new HooksConfigurationException(at + ".when", ex.getMessage(), "Correct the JsonPath condition or glob of route '" + name + "'.", ex);
    }
    if (r.getHandlers().isEmpty()) {
      throw new HooksConfigurationException(at + ".handlers", "route '" + name + "' names no handler",
          "List EventHandler bean names (or notify) in " + at + ".handlers.");
    }
    for (String h : r.getHandlers()) {
      EventHandler handler = handlers.get(h);
      if (handler == null) {
        throw new HooksConfigurationException(at + ".handlers", "route '" + name + "' names handler '" + h + "', which is no EventHandler bean",
            "Declare an EventHandler bean of that name, or use one of " + new TreeSet<>(handlers.keySet()) + ".");
      }
      b.handler(handler);
    }
    return b.build();
  }
}
