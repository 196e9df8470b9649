package dev.hooks.server.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code deploy:} section: services deployed on a verified push. Mutable binding classes,
 * not thread-safe; read once at start. See {@code docs/examples/deploy.yaml}.
 */
public final class DeployConfig {
  /** The services by name; the name is the image name and the container prefix. */
  public Map<String, ServiceConfig> services = new LinkedHashMap<>();

  /** Where repositories are cloned; default {@code <data dir>/deploy}. */
  public @Nullable String workDir;

  /**
   * How long a server holds a service while deploying it without renewing, such as {@code 30s}
   * (default); after a crash, a restarted server recovers the service once it has ended.
   */
  public @Nullable String lease;

  /** One service. Never printed: it may hold a repository token. */
  public static final class ServiceConfig {
    /** A git URL ({@code https://}, {@code ssh://}, {@code file://}) or a local path; usually {@code ${DEPLOY_REPO}}. */
    public @Nullable String repository;

    /** The watched branch; default {@code main}. */
    public @Nullable String branch;

    /** The endpoint ids whose pushes deploy this service; default every endpoint. */
    public List<String> endpoints = new ArrayList<>();

    /** The Dockerfile, relative to the repository root; default {@code Dockerfile}. */
    public @Nullable String dockerfile;

    /** The build context, relative to the repository root; default {@code .}. */
    public @Nullable String context;

    /** Build arguments. */
    public Map<String, String> buildArgs = new LinkedHashMap<>();

    /** The build stage to stop at; default the last. */
    public @Nullable String buildTarget;

    /** Where deployments run: {@code containers} (default: plain containers moving a network alias) or {@code swarm}. */
    public @Nullable String target;

    /** The Swarm service, with {@code target: swarm}. */
    public SwarmConfig swarm = new SwarmConfig();

    /** The registry built images are pushed to and pulled from; default none. */
    public RegistryConfig registry = new RegistryConfig();

    /** How long a build may take, such as {@code 10m} (default). */
    public @Nullable String buildTimeout;

    /** The Docker network the containers join; it must exist. With {@code target: swarm}, an optional overlay network. */
    public @Nullable String network;

    /** The network alias the current deployment holds; default the service name. Not used by {@code target: swarm}. */
    public @Nullable String alias;

    /** The port the service listens on inside its container; default 8000. */
    public @Nullable Integer port;

    /** The health gate. */
    public GateConfig gate = new GateConfig();

    /** Names of targets under {@code notify:} that receive the step notifications. */
    public List<String> notify = new ArrayList<>();

    /** Deployments kept (containers and images), at least 2; default 3. */
    public @Nullable Integer retain;

    /** A token for a private HTTPS repository; usually {@code ${DEPLOY_REPO_TOKEN}}. */
    public @Nullable String token;

    /** The user name sent with the token; default {@code x-access-token}. */
    public @Nullable String tokenUser;

    @Override
    public String toString() {
      return "ServiceConfig[" + branch + ", " + network + "]";
    }
  }

  /** A registry. Never printed: it may hold a password. */
  public static final class RegistryConfig {
    /** {@code host[:port][/path]}, such as {@code 127.0.0.1:5000}; usually {@code ${DOCKER_REGISTRY_URL:-}}; empty: none. */
    public @Nullable String url;

    /** The registry user; with {@code password}. */
    public @Nullable String username;

    /** The registry password or token; usually {@code ${DOCKER_REGISTRY_PASSWORD}}. */
    public @Nullable String password;

    @Override
    public String toString() {
      return "RegistryConfig[" + url + "]";
    }
  }

  /** The Swarm service of {@code target: swarm}. */
  public static final class SwarmConfig {
    /** The swarm service's name; default the service name. */
    public @Nullable String serviceName;

    /** The host port published in host mode; default 0, chosen by the Engine per task. */
    public @Nullable Integer publishedPort;

    /** Replicas; default 1. */
    public @Nullable Integer replicas;

    /** {@code start-first} (default without a fixed published port) or {@code stop-first}. */
    public @Nullable String order;

    /** How long a new task must run before the update is done, such as {@code 5s} (default). */
    public @Nullable String monitor;
  }

  /** When a new container is healthy. */
  public static final class GateConfig {
    /** Whether the image's HEALTHCHECK must report healthy; default true. */
    public @Nullable Boolean dockerHealthcheck;

    /** The path of an HTTP probe, such as {@code /health}; default none. */
    public @Nullable String httpPath;

    /** The status the HTTP probe expects; default 200. */
    public @Nullable Integer expectedStatus;

    /** Before it, failing HTTP probes do not count, such as {@code 5s}. */
    public @Nullable String startPeriod;

    /** Between HTTP probes, such as {@code 1s} (default). */
    public @Nullable String interval;

    /** Of one HTTP probe, such as {@code 2s} (default). */
    public @Nullable String timeout;

    /** HTTP probe successes in a row needed; default 1. */
    public @Nullable Integer successThreshold;

    /** How long the new container has to become healthy; default {@code 60s}. */
    public @Nullable String deadline;
  }
}
