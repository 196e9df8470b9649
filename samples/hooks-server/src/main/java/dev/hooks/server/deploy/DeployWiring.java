package dev.hooks.server.deploy;

import dev.hooks.Hooks;
import dev.hooks.deploy.DeployNotifications;
import dev.hooks.deploy.DeployService;
import dev.hooks.deploy.DeployWebhooks;
import dev.hooks.endpoints.EndpointStore;
import dev.hooks.deploy.Deployer;
import dev.hooks.deploy.HealthGate;
import dev.hooks.deploy.SwarmOptions;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.route.Route;
import dev.hooks.server.ConfigException;
import dev.hooks.state.StateStore;
import dev.hooks.verify.Secret;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the {@code deploy:} section into a {@link Deployer} over the server's state store, a
 * route of push events to it, step notifications through the server's outbox and
 * {@code notify:} targets, and the admin servlet of {@code /admin/deploy/*}. Per service and
 * provider, the admin API hands out a webhook URL {@code /hooks/deploy-<service>-<provider>}
 * with a generated secret ({@link DeployWebhooks}), kept sealed in the server's endpoint
 * registry and served again, the same, after a restart; only a rotation replaces it.
 */
public final class DeployWiring implements Closeable {
  /** Providers with both a push parser and a signature scheme of the same name. */
  static final List<String> PROVIDERS = DeployWebhooks.PROVIDERS;
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

  private final Deployer deployer;
  private final StateStore state;
  private final DeployWebhooks webhooks;
  private final NotifierRegistry notifiers;
  private final Set<String> routedEndpoints;
  private final boolean everyEndpoint;
  private final String adminToken;
  private @Nullable Hooks hooks;
  private @Nullable String publicUrl;

  private DeployWiring(Deployer deployer, StateStore state, DeployWebhooks webhooks, NotifierRegistry notifiers, Set<String> routedEndpoints,
      boolean everyEndpoint, String adminToken) {
    this.deployer = deployer;
    this.state = state;
    this.webhooks = webhooks;
    this.notifiers = notifiers;
    this.routedEndpoints = routedEndpoints;
    this.everyEndpoint = everyEndpoint;
    this.adminToken = adminToken;
  }

  /**
   * @param endpointIds the ids declared under {@code endpoints:}
   * @param notifyTargets the names declared under {@code notify:}
   * @param adminToken the admin token, which the deploy routes require
   * @throws ConfigException naming the key at fault and the fix
   */
  public static DeployWiring create(DeployConfig config, Set<String> endpointIds, Set<String> notifyTargets, @Nullable String adminToken,
      StateStore state, EndpointStore endpoints, NotificationOutbox outbox, Path dataDir, io.micrometer.core.instrument.@Nullable MeterRegistry meters) {
    if (config.services.isEmpty()) {
      throw new ConfigException("deploy.services is empty; declare a service such as web: {repository: ${DEPLOY_REPO}, network: ...}");
    }
    if (adminToken == null || adminToken.strip().length() < 16) {
      throw new ConfigException("deploy needs the admin API for its routes: set admin.token to ${HOOKS_ADMIN_TOKEN}"
          + " (at least 16 characters, such as openssl rand -hex 32)");
    }
    Path work = config.workDir != null ? Path.of(config.workDir) : dataDir.resolve("deploy");
    List<DeployService> services = new ArrayList<>();
    Set<String> routed = new LinkedHashSet<>();
    boolean every = false;
    for (Map.Entry<String, DeployConfig.ServiceConfig> e : config.services.entrySet()) {
      DeployService s = service(e.getKey(), e.getValue() == null ? new DeployConfig.ServiceConfig() : e.getValue(), endpointIds, notifyTargets);
      services.add(s);
      if (s.endpoints().isEmpty()) {
        every = true;
      }
      routed.addAll(s.endpoints());
    }
    // The targets are registered by useNotifiers once the server has built them.
    NotifierRegistry registry = NotifierRegistry.of();
    Deployer.Builder b = Deployer.builder(state, work);
    if (config.lease != null) {
      try {
        b.lease(duration(config.lease, "deploy.lease"));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("deploy.lease: " + e.getMessage());
      }
    }
    DeployNotifications.Builder notify = DeployNotifications.builder(outbox, registry);
    for (DeployService s : services) {
      b.service(s);
      notify.service(s.name(), s.notifyTargets());
    }
    b.listener(notify.build());
    if (meters != null) {
      b.listener(dev.hooks.deploy.DeployMeters.listener(meters));
    }
    return new DeployWiring(b.build(), state, new DeployWebhooks(endpoints, Clock.systemUTC()), registry, routed, every, adminToken.strip());
  }

  private static DeployService service(String name, DeployConfig.ServiceConfig c, Set<String> endpointIds, Set<String> notifyTargets) {
    String where = "deploy.services." + name;
    if (c.repository == null || c.repository.isBlank()) {
      throw new ConfigException(where + ".repository is not set; set it to a git URL or path, usually ${DEPLOY_REPO}");
    }
    String target = c.target == null ? "containers" : c.target.strip().toLowerCase(Locale.ROOT);
    if (!target.equals("containers") && !target.equals("swarm")) {
      throw new ConfigException(where + ".target is '" + c.target + "'; write containers (the default) or swarm"
          + " (a build stage is build-target)");
    }
    boolean swarm = target.equals("swarm");
    if (!swarm && (c.network == null || c.network.isBlank())) {
      throw new ConfigException(where + ".network is not set; set it to an existing Docker network, usually ${DEPLOY_NETWORK}");
    }
    try {
      DeployService.Builder b = DeployService.builder(name, c.repository);
      if (c.network != null && !c.network.isBlank()) {
        b.network(c.network);
      }
      if (swarm) {
        b.swarm(swarm(c.swarm != null ? c.swarm : new DeployConfig.SwarmConfig(), where + ".swarm"));
      }
      DeployConfig.RegistryConfig r = c.registry;
      if (r != null && r.url != null && !r.url.isBlank()) {
        b.registry(r.url);
        boolean user = r.username != null && !r.username.isBlank();
        boolean password = r.password != null && !r.password.isBlank();
        if (user != password) {
          throw new ConfigException(where + ".registry needs both username and password, or neither");
        }
        if (user) {
          b.registryCredentials(r.username, Secret.of(r.password));
        }
      }
      if (c.branch != null) {
        b.branch(c.branch);
      }
      for (String ep : c.endpoints) {
        if (!endpointIds.contains(ep)) {
          throw new ConfigException(where + ".endpoints names '" + ep + "', which is not declared under 'endpoints' (declared: " + endpointIds + ")");
        }
        b.endpoint(ep);
      }
      if (!c.endpoints.isEmpty()) {
        for (String p : PROVIDERS) {
          b.endpoint(generatedEndpointId(name, p));
        }
      }
      if (c.dockerfile != null) {
        b.dockerfile(c.dockerfile);
      }
      if (c.context != null) {
        b.context(c.context);
      }
      c.buildArgs.forEach(b::buildArg);
      b.target(c.buildTarget);
      if (c.buildTimeout != null) {
        b.buildTimeout(duration(c.buildTimeout, where + ".build-timeout"));
      }
      if (c.alias != null) {
        b.alias(c.alias);
      }
      if (c.port != null) {
        b.port(c.port);
      }
      b.gate(gate(c.gate, where + ".gate"));
      for (String t : c.notify) {
        if (!notifyTargets.contains(t)) {
          throw new ConfigException(where + ".notify names '" + t + "', which is not declared under 'notify.targets' (declared: " + notifyTargets + ")");
        }
        b.notify(t);
      }
      if (c.retain != null) {
        b.retain(c.retain);
      }
      if (c.token != null && !c.token.isBlank()) {
        b.token(Secret.of(c.token), c.tokenUser != null ? c.tokenUser : "x-access-token");
      }
      return b.build();
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigException(where + ": " + e.getMessage(), e);
    }
  }

  private static SwarmOptions swarm(DeployConfig.SwarmConfig c, String where) {
    SwarmOptions.Builder b = SwarmOptions.builder().serviceName(c.serviceName);
    if (c.publishedPort != null) {
      b.publishedPort(c.publishedPort);
    }
    if (c.replicas != null) {
      b.replicas(c.replicas);
    }
    if (c.order != null) {
      switch (c.order.strip().toLowerCase(Locale.ROOT)) {
        case "start-first" -> b.order(SwarmOptions.Order.START_FIRST);
        case "stop-first" -> b.order(SwarmOptions.Order.STOP_FIRST);
        default -> throw new ConfigException(where + ".order is '" + c.order + "'; write start-first or stop-first");
      }
    }
    if (c.monitor != null) {
      b.monitor(duration(c.monitor, where + ".monitor"));
    }
    return b.build();
  }

  private static HealthGate gate(DeployConfig.GateConfig g, String where) {
    HealthGate.Builder b = HealthGate.builder();
    if (g.dockerHealthcheck != null) {
      b.dockerHealthcheck(g.dockerHealthcheck);
    }
    if (g.httpPath != null) {
      b.httpProbe(g.httpPath, g.expectedStatus != null ? g.expectedStatus : 200);
    }
    if (g.startPeriod != null) {
      b.startPeriod(duration(g.startPeriod, where + ".start-period"));
    }
    if (g.interval != null) {
      b.interval(duration(g.interval, where + ".interval"));
    }
    if (g.timeout != null) {
      b.timeout(duration(g.timeout, where + ".timeout"));
    }
    if (g.successThreshold != null) {
      b.successThreshold(g.successThreshold);
    }
    if (g.deadline != null) {
      b.deadline(duration(g.deadline, where + ".deadline"));
    }
    try {
      return b.build();
    } catch (IllegalStateException e) {
      throw new ConfigException(where + ": " + e.getMessage() + "; set docker-healthcheck: true or http-path");
    }
  }

  static Duration duration(String value, String key) {
    Matcher m = DURATION.matcher(value.strip());
    if (!m.matches()) {
      throw new ConfigException(key + " '" + value + "' is not a duration; write it like 500ms, 30s, 10m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  static String generatedEndpointId(String service, String provider) {
    return DeployWebhooks.endpointId(service, provider);
  }

  /** The route of pushes (and tags, logged as ignored) to the deployer. */
  public Route route() {
    Route.Builder r = Route.builder("deploy").type("push", "tag").handler(deployer.handler());
    if (!everyEndpoint) {
      r.endpoint(routedEndpoints.toArray(String[]::new));
    }
    return r.build();
  }

  /** Gives the step notifications the server's {@code notify:} targets (rendered by them, sent by the server's outbox sender). */
  public void useNotifiers(NotifierRegistry registry) {
    registry.all().forEach(notifiers::register);
  }

  /**
   * Registers the generated webhooks kept in the endpoint registry (moving those a previous
   * version kept in plain text in the state store), then starts the deployer (which ends what a
   * previous process left unfinished).
   */
  public void start(Hooks hooks, @Nullable String publicUrl) {
    this.hooks = hooks;
    this.publicUrl = publicUrl;
    webhooks.start(hooks, deployer.services(), state);
    deployer.start();
  }

  Deployer deployer() {
    return deployer;
  }

  /** The servlet of {@code /admin/deploy/*}. */
  public dev.hooks.deploy.servlet.DeployAdminServlet servlet() {
    return new dev.hooks.deploy.servlet.DeployAdminServlet(deployer, webhooks, publicUrl, adminToken);
  }

  /**
   * The webhook URL and secret of {@code service} for {@code provider}: made on first ask, the
   * same one after, a new one with {@code rotate}.
   */
  @Override
  public void close() {
    deployer.close();
  }
}
