package dev.hooks.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code hooks.deploy.*} properties: services built from a git repository and deployed on a
 * verified push, with the keys of hooks-server's {@code deploy:} section in kebab-case. Off
 * unless {@code hooks.deploy.enabled=true}. Mutable binding class, read once at start.
 */
@ConfigurationProperties("hooks.deploy")
public class HooksDeployProperties {
  /** Whether push to deploy is configured; it needs a Docker Engine and builds images from git repositories. */
  private boolean enabled;

  /** The services by name; the name is the image name and the container prefix. */
  private Map<String, Service> services = new LinkedHashMap<>();

  /** Where repositories are cloned; default {hooks.journal.data-dir}/deploy. */
  private @Nullable Path workDir;

  /** How long an instance holds a service while deploying it without renewing; default 30s. */
  private @Nullable Duration lease;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Map<String, Service> getServices() {
    return services;
  }

  public void setServices(Map<String, Service> services) {
    this.services = services;
  }

  public @Nullable Path getWorkDir() {
    return workDir;
  }

  public void setWorkDir(@Nullable Path workDir) {
    this.workDir = workDir;
  }

  public @Nullable Duration getLease() {
    return lease;
  }

  public void setLease(@Nullable Duration lease) {
    this.lease = lease;
  }

  /** One service. Never printed: it may hold a repository token. */
  public static class Service {
    /** A git URL (https://, ssh://, file://) or a local path of the repository built; required. */
    private @Nullable String repository;

    /** The watched branch; default main. */
    private @Nullable String branch;

    /** The hooks.endpoints ids whose signed pushes deploy this service; default every endpoint. */
    private List<String> endpoints = new ArrayList<>();

    /** The Dockerfile, relative to the repository root; default Dockerfile. */
    private @Nullable String dockerfile;

    /** The build context, relative to the repository root; default the root. */
    private @Nullable String context;

    /** Build arguments. */
    private Map<String, String> buildArgs = new LinkedHashMap<>();

    /** The build stage to stop at; default the last. */
    private @Nullable String buildTarget;

    /** Where deployments run: containers (default: plain containers moving a network alias) or swarm. */
    private @Nullable String target;

    /** How long a build may take; default 10m. */
    private @Nullable Duration buildTimeout;

    /** The Docker network the containers join; it must exist. Required with target containers; with swarm an optional overlay network. */
    private @Nullable String network;

    /** The network alias the current deployment holds; default the service name. Not used with target swarm. */
    private @Nullable String alias;

    /** The port the service listens on inside its container; default 8000. */
    private @Nullable Integer port;

    /** Names of hooks.notify.targets (or Notifier beans) that receive the step notifications. */
    private List<String> notify = new ArrayList<>();

    /** Deployments kept (containers and images), at least 2; default 3. */
    private @Nullable Integer retain;

    /** A token for a private HTTPS repository; never logged. */
    private @Nullable String token;

    /** The user name sent with the token; default x-access-token. */
    private @Nullable String tokenUser;

    /** The health gate. */
    private final Gate gate = new Gate();

    /** The image registry. */
    private final Registry registry = new Registry();

    /** The Swarm service, with target swarm. */
    private final Swarm swarm = new Swarm();

    public @Nullable String getRepository() {
      return repository;
    }

    public void setRepository(@Nullable String repository) {
      this.repository = repository;
    }

    public @Nullable String getBranch() {
      return branch;
    }

    public void setBranch(@Nullable String branch) {
      this.branch = branch;
    }

    public List<String> getEndpoints() {
      return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
      this.endpoints = endpoints;
    }

    public @Nullable String getDockerfile() {
      return dockerfile;
    }

    public void setDockerfile(@Nullable String dockerfile) {
      this.dockerfile = dockerfile;
    }

    public @Nullable String getContext() {
      return context;
    }

    public void setContext(@Nullable String context) {
      this.context = context;
    }

    public Map<String, String> getBuildArgs() {
      return buildArgs;
    }

    public void setBuildArgs(Map<String, String> buildArgs) {
      this.buildArgs = buildArgs;
    }

    public @Nullable String getBuildTarget() {
      return buildTarget;
    }

    public void setBuildTarget(@Nullable String buildTarget) {
      this.buildTarget = buildTarget;
    }

    public @Nullable String getTarget() {
      return target;
    }

    public void setTarget(@Nullable String target) {
      this.target = target;
    }

    public @Nullable Duration getBuildTimeout() {
      return buildTimeout;
    }

    public void setBuildTimeout(@Nullable Duration buildTimeout) {
      this.buildTimeout = buildTimeout;
    }

    public @Nullable String getNetwork() {
      return network;
    }

    public void setNetwork(@Nullable String network) {
      this.network = network;
    }

    public @Nullable String getAlias() {
      return alias;
    }

    public void setAlias(@Nullable String alias) {
      this.alias = alias;
    }

    public @Nullable Integer getPort() {
      return port;
    }

    public void setPort(@Nullable Integer port) {
      this.port = port;
    }

    public List<String> getNotify() {
      return notify;
    }

    public void setNotify(List<String> notify) {
      this.notify = notify;
    }

    public @Nullable Integer getRetain() {
      return retain;
    }

    public void setRetain(@Nullable Integer retain) {
      this.retain = retain;
    }

    public @Nullable String getToken() {
      return token;
    }

    public void setToken(@Nullable String token) {
      this.token = token;
    }

    public @Nullable String getTokenUser() {
      return tokenUser;
    }

    public void setTokenUser(@Nullable String tokenUser) {
      this.tokenUser = tokenUser;
    }

    public Gate getGate() {
      return gate;
    }

    public Registry getRegistry() {
      return registry;
    }

    public Swarm getSwarm() {
      return swarm;
    }

    /** When a new container is healthy. */
    public static class Gate {
      /** Whether the image's HEALTHCHECK must report healthy; default true. */
      private @Nullable Boolean dockerHealthcheck;

      /** The path of an HTTP probe, such as /health; default none. */
      private @Nullable String httpPath;

      /** The status the HTTP probe expects; default 200. */
      private @Nullable Integer expectedStatus;

      /** Before it, failing HTTP probes do not count. */
      private @Nullable Duration startPeriod;

      /** Between HTTP probes; default 1s. */
      private @Nullable Duration interval;

      /** Of one HTTP probe; default 2s. */
      private @Nullable Duration timeout;

      /** HTTP probe successes in a row needed; default 1. */
      private @Nullable Integer successThreshold;

      /** How long the new container has to become healthy; default 60s. */
      private @Nullable Duration deadline;

      public @Nullable Boolean getDockerHealthcheck() {
        return dockerHealthcheck;
      }

      public void setDockerHealthcheck(@Nullable Boolean dockerHealthcheck) {
        this.dockerHealthcheck = dockerHealthcheck;
      }

      public @Nullable String getHttpPath() {
        return httpPath;
      }

      public void setHttpPath(@Nullable String httpPath) {
        this.httpPath = httpPath;
      }

      public @Nullable Integer getExpectedStatus() {
        return expectedStatus;
      }

      public void setExpectedStatus(@Nullable Integer expectedStatus) {
        this.expectedStatus = expectedStatus;
      }

      public @Nullable Duration getStartPeriod() {
        return startPeriod;
      }

      public void setStartPeriod(@Nullable Duration startPeriod) {
        this.startPeriod = startPeriod;
      }

      public @Nullable Duration getInterval() {
        return interval;
      }

      public void setInterval(@Nullable Duration interval) {
        this.interval = interval;
      }

      public @Nullable Duration getTimeout() {
        return timeout;
      }

      public void setTimeout(@Nullable Duration timeout) {
        this.timeout = timeout;
      }

      public @Nullable Integer getSuccessThreshold() {
        return successThreshold;
      }

      public void setSuccessThreshold(@Nullable Integer successThreshold) {
        this.successThreshold = successThreshold;
      }

      public @Nullable Duration getDeadline() {
        return deadline;
      }

      public void setDeadline(@Nullable Duration deadline) {
        this.deadline = deadline;
      }
    }

    /** A registry. Never printed: it may hold a password. */
    public static class Registry {
      /** host[:port][/path] of the registry built images are pushed to and pulled from, such as 127.0.0.1:5000; empty: none. */
      private @Nullable String url;

      /** The registry user; with password. */
      private @Nullable String username;

      /** The registry password or token; never logged. */
      private @Nullable String password;

      public @Nullable String getUrl() {
        return url;
      }

      public void setUrl(@Nullable String url) {
        this.url = url;
      }

      public @Nullable String getUsername() {
        return username;
      }

      public void setUsername(@Nullable String username) {
        this.username = username;
      }

      public @Nullable String getPassword() {
        return password;
      }

      public void setPassword(@Nullable String password) {
        this.password = password;
      }
    }

    /** The Swarm service of target swarm. */
    public static class Swarm {
      /** The swarm service's name; default the service name. */
      private @Nullable String serviceName;

      /** The host port published in host mode; default 0, chosen by the Engine per task. */
      private @Nullable Integer publishedPort;

      /** Replicas; default 1. */
      private @Nullable Integer replicas;

      /** start-first (default without a fixed published port) or stop-first. */
      private @Nullable String order;

      /** How long a new task must run before the update is done; default 5s. */
      private @Nullable Duration monitor;

      public @Nullable String getServiceName() {
        return serviceName;
      }

      public void setServiceName(@Nullable String serviceName) {
        this.serviceName = serviceName;
      }

      public @Nullable Integer getPublishedPort() {
        return publishedPort;
      }

      public void setPublishedPort(@Nullable Integer publishedPort) {
        this.publishedPort = publishedPort;
      }

      public @Nullable Integer getReplicas() {
        return replicas;
      }

      public void setReplicas(@Nullable Integer replicas) {
        this.replicas = replicas;
      }

      public @Nullable String getOrder() {
        return order;
      }

      public void setOrder(@Nullable String order) {
        this.order = order;
      }

      public @Nullable Duration getMonitor() {
        return monitor;
      }

      public void setMonitor(@Nullable Duration monitor) {
        this.monitor = monitor;
      }
    }
  }
}
