package dev.hooks.deploy;

import dev.hooks.verify.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One deployed service: where its source is, which branch is watched, which endpoints' pushes
 * count, how its image is built, where its containers run and what gates them. Immutable and
 * thread-safe. Never printed with its credentials.
 *
 * <pre>{@code
 * DeployService web = DeployService.builder("web", "file:///srv/git/web.git")
 *     .branch("main").endpoint("deploy-github")
 *     .network("app").alias("web").port(8000)
 *     .build();
 * }</pre>
 */
public final class DeployService {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
  private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[a-z0-9._-]+)*");

  private final String name;
  private final String repository;
  private final String branch;
  private final Set<String> endpoints;
  private final String dockerfile;
  private final String context;
  private final Map<String, String> buildArgs;
  private final @Nullable String target;
  private final Duration buildTimeout;
  private final String network;
  private final String alias;
  private final int port;
  private final HealthGate gate;
  private final List<String> notifyTargets;
  private final int retain;
  private final @Nullable Secret token;
  private final String tokenUser;
  private final @Nullable String registry;
  private final @Nullable String registryUser;
  private final @Nullable Secret registryPassword;
  private final @Nullable SwarmOptions swarm;

  private DeployService(Builder b) {
    this.name = b.name;
    this.repository = b.repository;
    this.branch = b.branch;
    this.endpoints = Set.copyOf(b.endpoints);
    this.dockerfile = b.dockerfile;
    this.context = b.context;
    this.buildArgs = Map.copyOf(b.buildArgs);
    this.target = b.target;
    this.buildTimeout = b.buildTimeout;
    this.network = b.network == null ? "" : b.network;
    this.alias = b.alias != null ? b.alias : b.name;
    this.port = b.port;
    this.gate = b.gate;
    this.notifyTargets = List.copyOf(b.notifyTargets);
    this.retain = b.retain;
    this.token = b.token;
    this.tokenUser = b.tokenUser;
    this.registry = b.registry;
    this.registryUser = b.registryUser;
    this.registryPassword = b.registryPassword;
    this.swarm = b.swarm;
  }

  /**
   * @param name lower-case letters, digits, '.', '-' or '_': the image name and container prefix
   * @param repository a git URL ({@code https://}, {@code ssh://}, {@code file://}) or a local path
   * @throws IllegalArgumentException if the name is not usable as an image name
   */
  public static Builder builder(String name, String repository) {
    return new Builder(name, repository);
  }

  public String name() {
    return name;
  }

  public String repository() {
    return repository;
  }

  /** The watched branch; pushes to others are ignored. */
  public String branch() {
    return branch;
  }

  /** The endpoint ids whose pushes deploy this service; empty: pushes of any endpoint. */
  public Set<String> endpoints() {
    return endpoints;
  }

  /** The Dockerfile, relative to the repository root. */
  public String dockerfile() {
    return dockerfile;
  }

  /** The build context, relative to the repository root. */
  public String context() {
    return context;
  }

  public Map<String, String> buildArgs() {
    return buildArgs;
  }

  /** The build stage to stop at; empty for the last one. */
  public Optional<String> target() {
    return Optional.ofNullable(target);
  }

  public Duration buildTimeout() {
    return buildTimeout;
  }

  /**
   * The Docker network the service's containers join; for a {@link #swarm()} service, an
   * overlay network its tasks join, or empty for none.
   */
  public String network() {
    return network;
  }

  /** The network alias held by the current deployment's container alone. */
  public String alias() {
    return alias;
  }

  /** The port the service listens on inside its container. */
  public int port() {
    return port;
  }

  public HealthGate gate() {
    return gate;
  }

  /** The notifier names that receive this service's step notifications. */
  public List<String> notifyTargets() {
    return notifyTargets;
  }

  /** How many deployments (containers and images) are kept, the current and previous included. */
  public int retain() {
    return retain;
  }

  /** The token for a private HTTPS repository; never logged. */
  public Optional<Secret> token() {
    return Optional.ofNullable(token);
  }

  /** The user name sent with {@link #token()}. */
  public String tokenUser() {
    return tokenUser;
  }

  /**
   * The registry the built image is pushed to and the target pulls from, such as
   * {@code 127.0.0.1:5000} or {@code registry.example.com/team}; empty: the image stays on the
   * Engine that built it.
   */
  public Optional<String> registry() {
    return Optional.ofNullable(registry);
  }

  /** The user name of {@link #registryPassword()}. */
  public Optional<String> registryUser() {
    return Optional.ofNullable(registryUser);
  }

  /** The registry password or token; never logged. */
  public Optional<Secret> registryPassword() {
    return Optional.ofNullable(registryPassword);
  }

  /** The image repository deployments are tagged in: {@code <registry>/<name>}, or the name alone. */
  public String imageRepository() {
    return registry == null ? name : registry + "/" + name;
  }

  /** Present when the service is a Docker Swarm service rather than plain containers. */
  public Optional<SwarmOptions> swarm() {
    return Optional.ofNullable(swarm);
  }

  /** Whether a push from {@code endpointId} counts for this service. */
  public boolean listensTo(String endpointId) {
    return endpoints.isEmpty() || endpoints.contains(endpointId);
  }

  @Override
  public String toString() {
    return "DeployService[" + name + ", " + branch + (swarm != null ? ", swarm service " + swarm.serviceName().orElse(name)
        : ", network " + network + " alias " + alias) + ":" + port + (registry != null ? ", registry " + registry : "") + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String repository;
    private String branch = "main";
    private final Set<String> endpoints = new LinkedHashSet<>();
    private String dockerfile = "Dockerfile";
    private String context = ".";
    private final Map<String, String> buildArgs = new LinkedHashMap<>();
    private @Nullable String target;
    private Duration buildTimeout = Duration.ofMinutes(10);
    private @Nullable String network;
    private @Nullable String alias;
    private int port = 8000;
    private HealthGate gate = HealthGate.ofDefaults();
    private final List<String> notifyTargets = new ArrayList<>();
    private int retain = 3;
    private @Nullable Secret token;
    private String tokenUser = "x-access-token";
    private @Nullable String registry;
    private @Nullable String registryUser;
    private @Nullable Secret registryPassword;
    private @Nullable SwarmOptions swarm;

    private Builder(String name, String repository) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(repository, "repository");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("service name '" + name
            + "' must be lower-case letters, digits, '.', '-' or '_' (it names images and containers)");
      }
      if (repository.isBlank()) {
        throw new IllegalArgumentException("service '" + name + "' has no repository; set a git URL or a local path");
      }
      this.name = name;
      this.repository = repository.strip();
    }

    public Builder branch(String branch) {
      this.branch = nonBlank(branch, "branch");
      return this;
    }

    /** Adds an endpoint id whose pushes deploy this service. */
    public Builder endpoint(String endpointId) {
      endpoints.add(nonBlank(endpointId, "endpoint"));
      return this;
    }

    public Builder dockerfile(String path) {
      this.dockerfile = relative(path, "dockerfile");
      return this;
    }

    public Builder context(String path) {
      this.context = relative(path, "context");
      return this;
    }

    public Builder buildArg(String name, String value) {
      buildArgs.put(nonBlank(name, "build arg name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder target(@Nullable String stage) {
      this.target = stage == null || stage.isBlank() ? null : stage;
      return this;
    }

    public Builder buildTimeout(Duration timeout) {
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("the build timeout must be positive, got " + timeout);
      }
      this.buildTimeout = timeout;
      return this;
    }

    public Builder network(String network) {
      this.network = nonBlank(network, "network");
      return this;
    }

    public Builder alias(String alias) {
      this.alias = nonBlank(alias, "alias");
      return this;
    }

    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    public Builder gate(HealthGate gate) {
      this.gate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    public Builder notify(String target) {
      notifyTargets.add(nonBlank(target, "notify target"));
      return this;
    }

    /** At least 2: the current and the previous deployment are never pruned. */
    public Builder retain(int n) {
      if (n < 2) {
        throw new IllegalArgumentException("retain must be at least 2 (the current and the previous deployment), got " + n);
      }
      this.retain = n;
      return this;
    }

    /** A token for a private HTTPS repository, sent as the password of {@code user}. */
    public Builder token(@Nullable Secret token, String user) {
      this.token = token;
      this.tokenUser = nonBlank(user, "token user");
      return this;
    }

    /**
     * Pushes every built image to {@code registry} ({@code host[:port][/path]}; a leading
     * {@code http://} or {@code https://} is dropped) and makes the target pull it from there.
     * Null or blank: no registry.
     *
     * @throws IllegalArgumentException if it is not a registry host with an optional path
     */
    public Builder registry(@Nullable String registry) {
      if (registry == null || registry.isBlank()) {
        this.registry = null;
        return this;
      }
      String r = registry.strip().replaceFirst("^https?://", "");
      while (r.endsWith("/")) {
        r = r.substring(0, r.length() - 1);
      }
      if (!REGISTRY.matcher(r).matches()) {
        throw new IllegalArgumentException("registry '" + r + "' must be host[:port][/path], such as 127.0.0.1:5000 or registry.example.com/team");
      }
      this.registry = r;
      return this;
    }

    /** Credentials of the registry, sent on push and pull; the password is never logged. */
    public Builder registryCredentials(String user, Secret password) {
      this.registryUser = nonBlank(user, "registry user");
      this.registryPassword = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Deploys the service as a Docker Swarm service instead of plain containers. */
    public Builder swarm(@Nullable SwarmOptions options) {
      this.swarm = options;
      return this;
    }

    /**
     * @throws IllegalStateException if no network is set for the plain-container target
     */
    public DeployService build() {
      if (network == null && swarm == null) {
        throw new IllegalStateException("service '" + name + "' has no network; set the Docker network its containers join");
      }
      return new DeployService(this);
    }

    private static String nonBlank(String v, String what) {
      Objects.requireNonNull(v, what);
      if (v.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return v.strip();
    }

    private static String relative(String p, String what) {
      String v = nonBlank(p, what);
      if (v.startsWith("/") || v.equals("..") || v.startsWith("../") || v.contains("/../")) {
        throw new IllegalArgumentException(what + " '" + v + "' must be a path inside the repository");
      }
      return v;
    }
  }
}
