package dev.hooks.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import dev.hooks.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push to deploy for a set of services. A verified push to a service's watched branch (through
 * {@link #handler()}, routed from any endpoint whose parser reads pushes: GitHub, GitLab,
 * Bitbucket, Gitea/Forgejo) becomes a {@code queued} deployment, stored before the handler
 * returns; the service's pipeline then fetches the exact commit, builds its image, starts it
 * beside the current container, gates it on its health and promotes it or stops it while the
 * current one keeps serving. With a {@link DeployService#registry() registry} the image is pushed
 * there after the build and pulled back by the target. A {@link DeployService#swarm() Swarm}
 * service is updated to the new image instead, the swarm gating the update and rolling it back.
 * Every step is told to the {@link DeployListener}s and stored in the {@link StateStore}, so a
 * restart ends every deployment it interrupted in a known state.
 *
 * <p>Per service: one deployment at a time; pushes arriving meanwhile coalesce to the newest; a
 * build in progress is cancelled by a newer push (its container never starts). A redelivered
 * push (same event id) does nothing, also across replicas sharing one state store: the
 * deployment id is derived from the event id and created by compare-and-set.
 *
 * <p>Thread-safe. {@link #start()} once, {@link #close()} at the end.
 *
 * <pre>{@code
 * Deployer deployer = Deployer.builder(stateStore, Deployer.dockerClient(), Path.of("data/deploy"))
 *     .service(DeployService.builder("web", "file:///srv/git/web.git").network("app").build())
 *     .listener(notifications)
 *     .build();
 * Hooks hooks = Hooks.builder().endpoint(github).route(Route.builder("deploy").type("push", "tag").handler(deployer.handler()).build())...;
 * deployer.start();
 * }</pre>
 */
public final class Deployer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
  private static final int BUILD_LOG_LINES = 500;
  private static final int EXCERPT_LINES = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, DeployService> services;
  private final DeploymentStore store;
  private final ContainerTarget target;
  private final SwarmTarget swarm;
  private final ImageRegistry registry;
  private final ImageBuilder images;
  private final List<DeployListener> listeners;
  private final Clock clock;
  private final Path workDir;
  private final Map<String, Pipeline> pipelines = new LinkedHashMap<>();
  private final @Nullable DockerClient ownedDocker;
  private final String owner = "deployer-" + randomId();
  private final Duration lease;
  private final java.util.concurrent.ScheduledExecutorService renewer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "hooks-deploy-lease");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean started;

  private Deployer(Builder b) {
    this.services = Map.copyOf(b.services);
    this.store = new DeploymentStore(b.stateStore);
    this.clock = b.clock;
    this.target = new ContainerTarget(b.docker, b.clock);
    this.swarm = new SwarmTarget(b.docker, b.clock);
    this.registry = new ImageRegistry(b.docker);
    this.images = b.imageBuilder != null ? b.imageBuilder : new DockerfileImageBuilder(b.docker);
    this.listeners = List.copyOf(b.listeners);
    this.workDir = b.workDir;
    this.ownedDocker = b.ownsDocker ? b.docker : null;
    this.lease = b.lease;
    for (DeployService s : b.services.values()) {
      pipelines.put(s.name(), new Pipeline(s));
    }
  }

  /**
   * @param workDir where the repositories are cloned, one directory per service
   */
  public static Builder builder(StateStore stateStore, DockerClient docker, Path workDir) {
    return new Builder(stateStore, docker, workDir, false);
  }

  /**
   * A deployer on the Engine of {@link #dockerClient()}, closed with the deployer.
   *
   * @param workDir where the repositories are cloned, one directory per service
   */
  public static Builder builder(StateStore stateStore, Path workDir) {
    return new Builder(stateStore, dockerClient(), workDir, true);
  }

  /**
   * A client for the Engine named by {@code DOCKER_HOST} (the local socket by default); the API
   * version is negotiated, not pinned.
   */
  public static DockerClient dockerClient() {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .connectionTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofMinutes(30))
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** The services, by name. */
  public Set<String> services() {
    return services.keySet();
  }

  public Optional<DeployService> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  /**
   * The handler of push events: route pushes (and tags, to log why they are ignored) to it. It
   * only stores a queued deployment and returns; the deploy runs on the service's pipeline.
   */
  public EventHandler handler() {
    return new EventHandler() {
      @Override
      public void handle(WebhookEvent event) {
        onEvent(event);
      }

      @Override
      public String name() {
        return "deploy";
      }
    };
  }

  /**
   * Starts the pipelines; each, once it holds its service's lease, ends what a previous process
   * left (deployments interrupted in a build, gate or promotion
   * become {@code failed}, their containers stopped and off the alias; the current deployment's
   * container is started and given the alias) and re-queues what it had queued. Idempotent.
   */
  public synchronized Deployer start() {
    if (started) {
      return this;
    }
    for (Pipeline p : pipelines.values()) {
      p.thread.start();
    }
    started = true;
    return this;
  }

  /**
   * Queues a deployment of {@code commit} (null: the head of the watched branch).
   *
   * @throws IllegalArgumentException if there is no such service or the commit is not a hex id
   */
  public Deployment deploy(String service, @Nullable String commit) {
    Pipeline p = pipeline(service);
    if (commit != null && !commit.matches("[0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException("commit must be a full 40-character commit id, got '" + commit + "'");
    }
    Deployment d = newDeployment(p.service, "manual", randomId());
    d.commit = commit == null ? null : commit.toLowerCase(java.util.Locale.ROOT);
    d.branch = p.service.branch();
    store.create(d);
    p.submit(new Job(d.id, null));
    return d.copy();
  }

  /**
   * Queues a rollback to deployment {@code deploymentId}: its container (or, if pruned away, a
   * new one from its image) is started, gated and given the alias. A failed rollback sets the
   * service {@code failed} and is notified as {@code deployment_rollback_failed}.
   *
   * @throws IllegalArgumentException if there is no such service or deployment, or it never built an image
   */
  public Deployment rollback(String service, String deploymentId) {
    Pipeline p = pipeline(service);
    Deployment to = store.find(service, deploymentId)
        .orElseThrow(() -> new IllegalArgumentException("service " + service + " has no deployment " + deploymentId));
    if (to.image == null) {
      throw new IllegalArgumentException("deployment " + deploymentId + " has no image to roll back to (status " + to.status.wireName() + ")");
    }
    Deployment d = newDeployment(p.service, "rollback", randomId());
    d.commit = to.commit;
    d.author = to.author;
    d.message = to.message;
    d.rollbackOf = to.id;
    d.image = to.image;
    d.imageId = to.imageId;
    store.create(d);
    p.submit(new Job(d.id, to.id));
    return d.copy();
  }

  /**
   * Cancels the service's queued deployment and its deployment in progress if it is still
   * fetching or building (a gate in progress runs to its verdict).
   *
   * @return whether anything was cancelled
   */
  public boolean cancel(String service) {
    return pipeline(service).cancel("cancelled through the admin API");
  }

  public ServiceState state(String service) {
    pipeline(service);
    return store.service(service);
  }

  /** The deployment whose container holds the alias. */
  public Optional<Deployment> current(String service) {
    return state(service).current().flatMap(id -> store.find(service, id));
  }

  public Optional<Deployment> find(String service, String deploymentId) {
    pipeline(service);
    return store.find(service, deploymentId);
  }

  /** Every stored deployment of the service, newest first. */
  public List<Deployment> history(String service) {
    pipeline(service);
    List<Deployment> all = new ArrayList<>(store.all(service));
    java.util.Collections.reverse(all);
    return all;
  }

  /** Whether the service's pipeline has nothing queued or running. */
  public boolean isIdle(String service) {
    return pipeline(service).isIdle();
  }

  /** Stops the pipelines; a deployment in progress is interrupted and ended by the next {@link #start()}. */
  @Override
  public synchronized void close() {
    for (Pipeline p : pipelines.values()) {
      p.close();
    }
    for (Pipeline p : pipelines.values()) {
      try {
        p.thread.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    renewer.shutdownNow();
    if (ownedDocker != null) {
      try {
        ownedDocker.close();
      } catch (java.io.IOException e) {
        LOG.debug("closing the Docker client failed", e);
      }
    }
  }

  private Pipeline pipeline(String service) {
    Pipeline p = pipelines.get(service);
    if (p == null) {
      throw new IllegalArgumentException("no service '" + service + "'; declared: " + services.keySet());
    }
    return p;
  }

  // ---- the webhook side

  private void onEvent(WebhookEvent event) {
    if (!"push".equals(event.type())) {
      LOG.info("deploy: event {} ignored: a {} is not a branch push{}", event.id(), event.type(),
          event.tag().map(t -> " (tag " + t + ")").orElse(""));
      return;
    }
    for (Pipeline p : pipelines.values()) {
      DeployService s = p.service;
      if (!s.listensTo(event.endpointId())) {
        continue;
      }
      String branch = event.branch().orElse(null);
      if (branch == null) {
        LOG.info("deploy {}: push {} ignored: it names no branch", s.name(), event.id());
      } else if (!branch.equals(s.branch())) {
        LOG.info("deploy {}: push {} to branch {} ignored: the service watches {}", s.name(), event.id(), branch, s.branch());
      } else if (event.attribute("deleted").map("true"::equals).orElse(false) || event.commit().isEmpty()) {
        LOG.info("deploy {}: push {} ignored: it deletes branch {}", s.name(), event.id(), branch);
      } else {
        queuePush(p, event);
      }
    }
  }

  private void queuePush(Pipeline p, WebhookEvent event) {
    DeployService s = p.service;
    Deployment d = newDeployment(s, "push", idOf(s.name(), event.id()));
    d.eventId = event.id();
    d.commit = event.commit().orElseThrow();
    d.branch = event.branch().orElse(null);
    d.author = author(event);
    d.message = message(event);
    if (!store.create(d)) {
      LOG.info("deploy {}: push {} ignored: it already made deployment {} (a redelivery)", s.name(), event.id(), d.id);
      return;
    }
    LOG.info("deploy {}: push {} of {} queued as {}", s.name(), event.id(), ContainerTarget.shortId(d.commit), d.id);
    tell(DeployEventType.WEBHOOK_RECEIVED, d, null, null, null);
    p.submit(new Job(d.id, null));
  }

  private static @Nullable String author(WebhookEvent e) {
    JsonNode head = e.payload().path("head_commit");
    String name = head.path("author").path("name").asText(null);
    return name != null ? name : e.actor().orElse(null);
  }

  private static @Nullable String message(WebhookEvent e) {
    String m = e.payload().path("head_commit").path("message").asText(null);
    if (m == null) {
      JsonNode commits = e.payload().path("commits");
      if (commits.isArray() && !commits.isEmpty()) {
        m = commits.get(commits.size() - 1).path("message").asText(null);
      }
    }
    return m == null ? null : m.lines().findFirst().orElse(m);
  }

  private Deployment newDeployment(DeployService s, String trigger, String id) {
    Deployment d = new Deployment();
    d.id = id;
    d.service = s.name();
    d.trigger = trigger;
    d.createdAt = clock.instant();
    d.status = DeploymentStatus.QUEUED;
    return d;
  }

  /** Stable per (service, push): a redelivery or another replica computes the same id. */
  static String idOf(String service, String eventId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] h = sha.digest((service + "\n" + eventId).getBytes(StandardCharsets.UTF_8));
      return "p" + HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String randomId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "m" + HexFormat.of().formatHex(b);
  }

  // ---- the pipeline side

  private void recover(Pipeline p) {
    DeployService s = p.service;
    ServiceState state = store.service(s.name());
    boolean interrupted = false;
    for (Deployment d : store.all(s.name())) {
      if (d.status == DeploymentStatus.QUEUED) {
        p.submit(new Job(d.id, d.rollbackOf));
      } else if (!d.status.isTerminal()) {
        interrupted = true;
        String was = d.status.wireName();
        if (d.container != null && !d.id.equals(state.current)) {
          try {
            target.retire(s, d.container);
          } catch (RuntimeException e) {
            LOG.warn("deploy {}: container {} of interrupted deployment {} could not be stopped: {}", s.name(), d.container, d.id, e.getMessage());
          }
        }
        d.status = DeploymentStatus.FAILED;
        d.reason = "interrupted by a restart while " + was + "; the previous deployment kept serving";
        d.finishedAt = clock.instant();
        store.save(d);
        LOG.warn("deploy {}: deployment {} {}", s.name(), d.id, d.reason);
        tell(DeployEventType.DEPLOYMENT_FAILED, d, null, d.reason, null);
      }
    }
    if (s.swarm().isPresent()) {
      if (interrupted) {
        try {
          swarm.revert(s, state.current == null ? null : store.find(s.name(), state.current).map(c -> c.image).orElse(null));
        } catch (RuntimeException e) {
          LOG.warn("deploy {}: swarm service {} could not be given back its current image: {}", s.name(), SwarmTarget.serviceName(s), e.getMessage());
        }
      }
    } else if (state.current != null) {
      store.find(s.name(), state.current).ifPresent(cur -> {
        if (cur.container != null) {
          try {
            target.activate(s, cur.container);
          } catch (RuntimeException e) {
            LOG.warn("deploy {}: current container {} could not be given the alias: {}", s.name(), cur.container, e.getMessage());
          }
        }
      });
    }
    store.updateService(s.name(), st -> {
      if (!"failed".equals(st.status)) {
        st.status = st.current != null ? "running" : "idle";
      }
      st.updatedAt = clock.instant();
      return st;
    });
  }

  private void run(Pipeline p, Job job) {
    DeployService s = p.service;
    Optional<Deployment> found = store.find(s.name(), job.deploymentId);
    if (found.isEmpty() || found.get().status != DeploymentStatus.QUEUED) {
      return;
    }
    Deployment d = found.get();
    if (job.rollbackTo != null) {
      runRollback(p, job, d);
    } else {
      runDeploy(p, job, d);
    }
  }

  private void runDeploy(Pipeline p, Job job, Deployment d) {
    DeployService s = p.service;
    Instant began = clock.instant();
    d.startedAt = began;
    d.status = DeploymentStatus.BUILDING;
    store.save(d);
    setService(s, "building", null);
    tell(DeployEventType.BUILD_STARTED, d, null, null, null);
    List<String> buildLog = new ArrayList<>();
    String image;
    boolean pushing = false;
    try {
      Instant t = clock.instant();
      GitCheckout.Source src = new GitCheckout(s, workDir.resolve(s.name())).checkout(d.commit);
      d.commit = src.commit();
      if (d.author == null) {
        d.author = src.author();
      }
      if (d.message == null) {
        d.message = src.message();
      }
      step(d, "fetch", "ok", t);
      store.save(d);
      if (job.cancelled != null) {
        throw new InterruptedException();
      }
      t = clock.instant();
      String tag = s.name() + ":" + ContainerTarget.shortId(d.commit);
      Map<String, String> labels = Map.of(ContainerTarget.LABEL_SERVICE, s.name(), ContainerTarget.LABEL_COMMIT, d.commit,
          ContainerTarget.LABEL_DEPLOYMENT, d.id);
      ImageBuilder.Request req = new ImageBuilder.Request(src.dir(), s.dockerfile(), s.context(), s.buildArgs(),
          s.target().orElse(null), tag, labels, s.buildTimeout(), line -> {
            synchronized (buildLog) {
              buildLog.add(line);
              if (buildLog.size() > BUILD_LOG_LINES) {
                buildLog.remove(0);
              }
            }
          });
      job.phase = "build";
      d.imageId = images.build(req);
      image = tag;
      d.image = tag;
      step(d, "build", "ok", t);
      if (s.registry().isPresent()) {
        t = clock.instant();
        pushing = true;
        String remoteTag = ContainerTarget.shortId(d.commit);
        registry.push(s, d.imageId, s.imageRepository(), remoteTag, s.buildTimeout(), req.log());
        image = s.imageRepository() + ":" + remoteTag;
        d.image = image;
        // the target pulls the image back from the registry: what runs is what the registry serves
        registry.untag(image);
        step(d, "push", "ok", t);
      }
      job.phase = "deploy";
      d.buildLog = copy(buildLog);
      store.save(d);
      tell(DeployEventType.BUILD_COMPLETED, d, Duration.between(began, clock.instant()), null, null);
    } catch (InterruptedException e) {
      Thread.interrupted();
      d.buildLog = copy(buildLog);
      end(d, DeploymentStatus.CANCELLED, job.cancelled != null ? job.cancelled : "cancelled while building");
      step(d, job.phase.equals("build") ? "build" : "fetch", "cancelled", began);
      store.save(d);
      LOG.info("deploy {}: {} {}", s.name(), d.id, d.reason);
      restoreService(s);
      return;
    } catch (BuildFailedException | RuntimeException e) {
      if (job.cancelled != null) {
        Thread.interrupted();
        d.buildLog = copy(buildLog);
        end(d, DeploymentStatus.CANCELLED, job.cancelled);
        store.save(d);
        restoreService(s);
        return;
      }
      d.buildLog = copy(buildLog);
      String excerpt = tail(buildLog);
      d.logExcerpt = excerpt;
      end(d, DeploymentStatus.FAILED, (pushing ? "push failed: " : "build failed: ") + e.getMessage());
      step(d, pushing ? "push" : "build", "failed", began);
      store.save(d);
      LOG.warn("deploy {}: {} {}", s.name(), d.id, d.reason);
      tell(DeployEventType.BUILD_FAILED, d, Duration.between(began, clock.instant()), d.reason, excerpt);
      restoreService(s);
      return;
    }
    if (job.cancelled != null) {
      end(d, DeploymentStatus.CANCELLED, job.cancelled);
      store.save(d);
      restoreService(s);
      return;
    }
    deployImage(p, d, image, began, false);
  }

  private void runRollback(Pipeline p, Job job, Deployment d) {
    DeployService s = p.service;
    Instant began = clock.instant();
    d.startedAt = began;
    Optional<Deployment> to = store.find(s.name(), job.rollbackTo);
    if (to.isPresent() && to.get().container != null && target.exists(to.get().container)
        && !to.get().id.equals(store.service(s.name()).current)) {
      // reuse the kept container: it moves to the rollback's record
      Deployment old = to.get();
      d.container = old.container;
      old.container = null;
      store.save(old);
    }
    deployImage(p, d, Objects.requireNonNull(d.image), began, true);
  }

  /** Start (or restart) the container, gate it, promote it or stop it. */
  private void deployImage(Pipeline p, Deployment d, String image, Instant began, boolean rollback) {
    DeployService s = p.service;
    if (s.swarm().isPresent()) {
      deploySwarm(p, d, image, began, rollback);
      return;
    }
    d.status = DeploymentStatus.DEPLOYING;
    store.save(d);
    setService(s, "deploying", null);
    if (!rollback) {
      tell(DeployEventType.DEPLOYMENT_STARTED, d, null, null, null);
    }
    ServiceState state = store.service(s.name());
    Deployment current = state.current == null ? null : store.find(s.name(), state.current).orElse(null);
    String failure;
    Instant t = clock.instant();
    try {
      if (d.container == null) {
        if (s.registry().isPresent()) {
          pull(s, image);
          step(d, "pull", "ok", t);
          t = clock.instant();
        }
        d.container = target.start(s, d, image);
        store.save(d);
      } else {
        target.activateOffAlias(s, d.container);
      }
      step(d, "start", "ok", t);
      t = clock.instant();
      ContainerTarget.GateResult gate = target.gate(s, d.container);
      step(d, "gate", gate.healthy() ? "ok" : "failed", t);
      failure = gate.healthy() ? null : gate.reason();
    } catch (InterruptedException e) {
      Thread.interrupted();
      failure = "interrupted while gating (the deployer was closed)";
    } catch (BuildFailedException e) {
      failure = e.getMessage();
      step(d, "pull", "failed", t);
    } catch (RuntimeException e) {
      failure = "container did not start: " + e.getMessage();
      step(d, "start", "failed", t);
    }
    if (failure == null) {
      d.status = DeploymentStatus.PROMOTING;
      store.save(d);
      t = clock.instant();
      try {
        target.promote(s, d.container, current != null ? current.container : null);
        step(d, "promote", "ok", t);
      } catch (RuntimeException e) {
        step(d, "promote", "failed", t);
        failure = "moving the alias failed: " + e.getMessage();
        try {
          target.retire(s, d.container);
          if (current != null && current.container != null) {
            target.activate(s, current.container);
          }
        } catch (RuntimeException again) {
          failRollback(s, d, began, failure + "; restoring the previous container failed too: " + again.getMessage());
          return;
        }
      }
    }
    if (failure != null) {
      String excerpt = d.container != null ? target.logTail(d.container, EXCERPT_LINES) : null;
      if (d.container != null) {
        target.retire(s, d.container);
      }
      d.logExcerpt = excerpt;
      if (rollback) {
        failRollback(s, d, began, "rollback target not healthy: " + failure);
        return;
      }
      end(d, DeploymentStatus.FAILED, failure);
      store.save(d);
      LOG.warn("deploy {}: {} failed: {}", s.name(), d.id, failure);
      tell(DeployEventType.DEPLOYMENT_FAILED, d, Duration.between(began, clock.instant()), failure, excerpt);
      if (current != null) {
        tell(DeployEventType.DEPLOYMENT_ROLLBACK, d, null, "deployment " + current.id + " ("
            + ContainerTarget.shortId(current.commit) + ") kept serving", null);
      }
      restoreService(s);
      return;
    }
    promoted(s, d, current, began, rollback);
  }

  /** Records {@code d} as the one serving, {@code current} as replaced, and tells it. */
  private void promoted(DeployService s, Deployment d, @Nullable Deployment current, Instant began, boolean rollback) {
    end(d, DeploymentStatus.RUNNING, null);
    store.save(d);
    if (current != null) {
      current.status = DeploymentStatus.STOPPED;
      store.save(current);
    }
    store.updateService(s.name(), st -> {
      st.previous = current != null ? current.id : st.previous;
      st.current = d.id;
      st.status = "running";
      st.reason = null;
      st.updatedAt = clock.instant();
      return st;
    });
    LOG.info("deploy {}: {} of {} is serving as {}", s.name(), d.id, ContainerTarget.shortId(d.commit),
        s.swarm().isPresent() ? "swarm service " + SwarmTarget.serviceName(s) : s.alias());
    tell(rollback ? DeployEventType.DEPLOYMENT_ROLLBACK : DeployEventType.DEPLOYMENT_COMPLETED, d,
        Duration.between(began, clock.instant()), null, null);
    retain(s);
  }

  /** Pulls {@code image} ({@code repository:tag}) from the service's registry. */
  private void pull(DeployService s, String image) throws BuildFailedException, InterruptedException {
    int colon = image.lastIndexOf(':');
    if (colon <= image.lastIndexOf('/')) {
      registry.pull(s, image, "latest", s.buildTimeout());
    } else {
      registry.pull(s, image.substring(0, colon), image.substring(colon + 1), s.buildTimeout());
    }
  }

  /** The Swarm target: update the service to the image and let the swarm gate and roll back. */
  private void deploySwarm(Pipeline p, Deployment d, String image, Instant began, boolean rollback) {
    DeployService s = p.service;
    d.status = DeploymentStatus.DEPLOYING;
    store.save(d);
    setService(s, "deploying", null);
    if (!rollback) {
      tell(DeployEventType.DEPLOYMENT_STARTED, d, null, null, null);
    }
    ServiceState state = store.service(s.name());
    Deployment current = state.current == null ? null : store.find(s.name(), state.current).orElse(null);
    String failure;
    String failedContainer = null;
    Instant t = clock.instant();
    try {
      if (s.registry().isPresent()) {
        pull(s, image);
        step(d, "pull", "ok", t);
        t = clock.instant();
      }
      SwarmTarget.Rollout rollout = swarm.deploy(s, d, image);
      step(d, "start", "ok", t);
      t = clock.instant();
      SwarmTarget.Verdict v = swarm.gate(s, image, rollout);
      step(d, "gate", v.healthy() ? "ok" : "failed", t);
      failure = v.healthy() ? null : v.reason();
      failedContainer = v.failedContainer();
    } catch (InterruptedException e) {
      Thread.interrupted();
      failure = "interrupted while gating (the deployer was closed)";
    } catch (BuildFailedException e) {
      failure = e.getMessage();
      step(d, "pull", "failed", t);
    } catch (RuntimeException e) {
      failure = "the swarm service update failed: " + e.getMessage();
      step(d, "start", "failed", t);
    }
    if (failure != null) {
      String excerpt = failedContainer != null ? target.logTail(failedContainer, EXCERPT_LINES) : null;
      try {
        swarm.restore(s, current != null ? current.image : null, s.gate().deadline());
      } catch (InterruptedException e) {
        Thread.interrupted();
      } catch (RuntimeException e) {
        LOG.warn("deploy {}: swarm service {} not restored: {}", s.name(), SwarmTarget.serviceName(s), e.getMessage());
      }
      d.logExcerpt = excerpt;
      if (rollback) {
        failRollback(s, d, began, "rollback target not healthy: " + failure);
        return;
      }
      end(d, DeploymentStatus.FAILED, failure);
      store.save(d);
      LOG.warn("deploy {}: {} failed: {}", s.name(), d.id, failure);
      tell(DeployEventType.DEPLOYMENT_FAILED, d, Duration.between(began, clock.instant()), failure, excerpt);
      if (current != null) {
        tell(DeployEventType.DEPLOYMENT_ROLLBACK, d, null, "deployment " + current.id + " ("
            + ContainerTarget.shortId(current.commit) + ") kept serving", null);
      }
      restoreService(s);
      return;
    }
    promoted(s, d, current, began, rollback);
  }

  private void failRollback(DeployService s, Deployment d, Instant began, String reason) {
    end(d, DeploymentStatus.FAILED, reason);
    store.save(d);
    setService(s, "failed", reason);
    LOG.error("deploy {}: rollback {} failed: {}", s.name(), d.id, reason);
    tell(DeployEventType.DEPLOYMENT_ROLLBACK_FAILED, d, Duration.between(began, clock.instant()), reason, d.logExcerpt);
  }

  /** Keeps the newest {@link DeployService#retain()} deployments with a container; never the current or previous. */
  private void retain(DeployService s) {
    ServiceState st = store.service(s.name());
    List<Deployment> withContainers = new ArrayList<>();
    for (Deployment d : store.all(s.name())) {
      if (d.container != null && d.status.isTerminal()) {
        withContainers.add(d);
      }
    }
    int excess = withContainers.size() - s.retain();
    for (Deployment d : withContainers) {
      if (excess <= 0) {
        break;
      }
      if (d.id.equals(st.current) || d.id.equals(st.previous)) {
        continue;
      }
      try {
        target.prune(d.container, d.image);
        if (s.registry().isPresent()) {
          registry.remove(s.name() + ":" + ContainerTarget.shortId(d.commit));
        }
        d.container = null;
        if (d.status == DeploymentStatus.STOPPED) {
          d.status = DeploymentStatus.PRUNED;
        }
        store.save(d);
        excess--;
      } catch (RuntimeException e) {
        LOG.warn("deploy {}: pruning {} failed: {}", s.name(), d.id, e.getMessage());
      }
    }
  }

  private void end(Deployment d, DeploymentStatus status, @Nullable String reason) {
    d.status = status;
    d.reason = reason;
    d.finishedAt = clock.instant();
  }

  private void step(Deployment d, String name, String outcome, Instant from) {
    d.steps.add(new Deployment.Step(name, outcome, Duration.between(from, clock.instant()).toMillis()));
  }

  private void setService(DeployService s, String status, @Nullable String reason) {
    store.updateService(s.name(), st -> {
      st.status = status;
      st.reason = reason;
      st.updatedAt = clock.instant();
      return st;
    });
  }

  /** After a deployment that changed nothing: back to running (or idle), unless failed. */
  private void restoreService(DeployService s) {
    store.updateService(s.name(), st -> {
      if (!"failed".equals(st.status)) {
        st.status = st.current != null ? "running" : "idle";
      }
      st.updatedAt = clock.instant();
      return st;
    });
  }

  private static List<String> copy(List<String> lines) {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  private static String tail(List<String> lines) {
    List<String> c = copy(lines);
    return String.join("\n", c.subList(Math.max(0, c.size() - EXCERPT_LINES), c.size()));
  }

  private void tell(DeployEventType type, Deployment d, @Nullable Duration duration, @Nullable String detail, @Nullable String excerpt) {
    DeployEvent e = new DeployEvent(type, d.service, d.id, d.commit, d.author, d.message, duration, detail, excerpt, clock.instant());
    for (DeployListener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ex) {
        LOG.warn("deploy listener {} failed on {} of {}", l, type.wireName(), d.id, ex);
      }
    }
  }

  /** One queued unit of work. */
  private static final class Job {
    final String deploymentId;
    final @Nullable String rollbackTo;
    volatile @Nullable String cancelled;
    volatile String phase = "fetch";

    Job(String deploymentId, @Nullable String rollbackTo) {
      this.deploymentId = deploymentId;
      this.rollbackTo = rollbackTo;
    }
  }

  /** One service's single-flight pipeline: one job running, at most one (the newest) waiting. */
  private final class Pipeline {
    final DeployService service;
    final Thread thread;
    private @Nullable Job pending;
    private @Nullable Job running;
    private boolean closed;

    Pipeline(DeployService service) {
      this.service = service;
      this.thread = new Thread(this::loop, "hooks-deploy-" + service.name());
      this.thread.setDaemon(true);
    }

    synchronized void submit(Job job) {
      if ((pending != null && pending.deploymentId.equals(job.deploymentId))
          || (running != null && running.deploymentId.equals(job.deploymentId))) {
        return;
      }
      if (pending != null) {
        supersede(pending, job);
      }
      pending = job;
      Job r = running;
      if (r != null && r.rollbackTo == null && !"deploy".equals(r.phase) && r.cancelled == null) {
        r.cancelled = "superseded by " + job.deploymentId + " during its build";
        thread.interrupt();
      }
      notifyAll();
    }

    synchronized boolean cancel(String reason) {
      boolean any = false;
      if (pending != null) {
        Job j = pending;
        pending = null;
        store.find(service.name(), j.deploymentId).ifPresent(d -> {
          end(d, DeploymentStatus.CANCELLED, reason);
          store.save(d);
        });
        any = true;
      }
      Job r = running;
      if (r != null && !"deploy".equals(r.phase) && r.cancelled == null) {
        r.cancelled = reason;
        thread.interrupt();
        any = true;
      }
      return any;
    }

    synchronized boolean isIdle() {
      return pending == null && running == null;
    }

    private void supersede(Job old, Job by) {
      store.find(service.name(), old.deploymentId).ifPresent(d -> {
        if (d.status == DeploymentStatus.QUEUED) {
          end(d, DeploymentStatus.SUPERSEDED, "coalesced into the newer " + by.deploymentId);
          store.save(d);
          LOG.info("deploy {}: {} superseded by {}", service.name(), d.id, by.deploymentId);
        }
      });
    }

    private boolean recovered;

    /** Waits for the service's lease (another process may be deploying this service); false once closed. */
    private boolean takeLease() {
      while (true) {
        synchronized (this) {
          if (closed) {
            return false;
          }
        }
        try {
          if (store.lease(service.name(), owner, clock.instant(), clock.instant().plus(lease))) {
            return true;
          }
        } catch (RuntimeException e) {
          LOG.warn("deploy {}: lease not taken, retrying: {}", service.name(), e.getMessage());
        }
        try {
          Thread.sleep(Math.max(100, lease.toMillis() / 10));
        } catch (InterruptedException e) {
          // a cancel or close: look again
        }
      }
    }

    private void loop() {
      if (!takeLease()) {
        return;
      }
      try {
        recover(this);
      } finally {
        store.release(service.name(), owner);
      }
      while (true) {
        Job job;
        synchronized (this) {
          while (pending == null && !closed) {
            try {
              wait();
            } catch (InterruptedException e) {
              // a cancel aimed at a job that just ended; keep waiting
            }
          }
          if (closed) {
            return;
          }
          job = pending;
          pending = null;
          running = job;
        }
        Thread.interrupted();
        if (!takeLease()) {
          return;
        }
        Thread.interrupted();
        java.util.concurrent.ScheduledFuture<?> renewal = renewer.scheduleWithFixedDelay(() -> {
          try {
            store.lease(service.name(), owner, clock.instant(), clock.instant().plus(lease));
          } catch (RuntimeException e) {
            LOG.warn("deploy {}: lease renewal failed: {}", service.name(), e.getMessage());
          }
        }, lease.toMillis() / 3, lease.toMillis() / 3, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
          run(this, job);
        } catch (RuntimeException e) {
          LOG.error("deploy {}: deployment {} stopped by an unexpected error; the next start ends it", service.name(), job.deploymentId, e);
        } finally {
          renewal.cancel(false);
          try {
            store.release(service.name(), owner);
          } catch (RuntimeException e) {
            LOG.warn("deploy {}: lease not released (it expires): {}", service.name(), e.getMessage());
          }
          synchronized (this) {
            running = null;
            notifyAll();
          }
        }
      }
    }

    synchronized void close() {
      closed = true;
      notifyAll();
      if (running != null) {
        thread.interrupt();
      }
    }
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final StateStore stateStore;
    private final DockerClient docker;
    private final Path workDir;
    private final Map<String, DeployService> services = new LinkedHashMap<>();
    private final List<DeployListener> listeners = new ArrayList<>();
    private @Nullable ImageBuilder imageBuilder;
    private Clock clock = Clock.systemUTC();
    private Duration lease = Duration.ofSeconds(30);

    private final boolean ownsDocker;

    private Builder(StateStore stateStore, DockerClient docker, Path workDir, boolean ownsDocker) {
      this.stateStore = Objects.requireNonNull(stateStore, "stateStore");
      this.docker = Objects.requireNonNull(docker, "docker");
      this.workDir = Objects.requireNonNull(workDir, "workDir");
      this.ownsDocker = ownsDocker;
    }

    /**
     * @throws IllegalArgumentException if a service of that name was added
     */
    public Builder service(DeployService service) {
      if (services.putIfAbsent(service.name(), service) != null) {
        throw new IllegalArgumentException("two services are named '" + service.name() + "'");
      }
      return this;
    }

    public Builder listener(DeployListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The builder of every service's image; default {@link DockerfileImageBuilder}. */
    public Builder imageBuilder(ImageBuilder builder) {
      this.imageBuilder = Objects.requireNonNull(builder, "builder");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a process holds a service while deploying it without renewing (renewed every third
     * of it); after a crash another process takes the service over once it ends. Default 30 s.
     */
    public Builder lease(Duration lease) {
      if (lease.toMillis() < 300) {
        throw new IllegalArgumentException("the lease must be at least 300 ms, got " + lease);
      }
      this.lease = lease;
      return this;
    }

    public Deployer build() {
      return new Deployer(this);
    }
  }
}
