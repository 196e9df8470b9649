package dev.hooks.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateServiceCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.ServiceUpdateState;
import com.github.dockerjava.api.model.ServiceUpdateStatus;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker Swarm target: a deployment is a {@code service update} to its image (a
 * {@code service create} the first time) with the update configuration of
 * {@link SwarmOptions}: order start-first, failure action rollback, the monitor period; the
 * rollback configuration has the same order and monitor. The swarm itself gates the update: a
 * task with a HEALTHCHECK counts as running only once healthy, and a task failing within the
 * monitor period makes the swarm roll back. Ports are published in host mode. Thread-safe; one
 * caller per service at a time.
 */
final class SwarmTarget {
  private static final Logger LOG = LoggerFactory.getLogger(SwarmTarget.class);
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final DockerClient docker;
  private final Clock clock;

  SwarmTarget(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  static String serviceName(DeployService s) {
    return s.swarm().orElseThrow().serviceName().orElse(s.name());
  }

  /** What {@link #deploy} did: created the service or updated it, and when it asked. */
  record Rollout(boolean created, Instant issuedAt) {}

  /** The verdict of the swarm on a rollout. */
  record Verdict(boolean healthy, String reason, @Nullable String failedContainer) {}

  Optional<Service> find(DeployService s) {
    try {
      return Optional.of(docker.inspectServiceCmd(serviceName(s)).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** Creates the service with {@code image}, or updates it to {@code image}. */
  Rollout deploy(DeployService s, Deployment d, String image) {
    Optional<Service> existing = find(s);
    Instant issued = clock.instant();
    Map<String, String> labels = labels(s, d);
    if (existing.isEmpty()) {
      ServiceSpec spec = new ServiceSpec()
          .withName(serviceName(s))
          .withLabels(Map.of(ContainerTarget.LABEL_SERVICE, s.name()))
          .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec().withImage(image).withLabels(labels).withInit(true)))
          .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(s.swarm().orElseThrow().replicas())))
          .withEndpointSpec(new EndpointSpec().withPorts(List.of(new PortConfig()
              .withProtocol(PortConfigProtocol.TCP)
              .withTargetPort(s.port())
              .withPublishedPort(s.swarm().orElseThrow().publishedPort())
              .withPublishMode(PortConfig.PublishMode.host))))
          .withUpdateConfig(updateConfig(s, UpdateFailureAction.ROLLBACK))
          .withRollbackConfig(updateConfig(s, UpdateFailureAction.PAUSE));
      if (!s.network().isEmpty()) {
        spec.withNetworks(List.of(new NetworkAttachmentConfig().withTarget(s.network())));
      }
      CreateServiceCmd cmd = docker.createServiceCmd(spec);
      AuthConfig auth = ImageRegistry.auth(s);
      if (auth != null) {
        cmd.withAuthConfig(auth);
      }
      cmd.exec();
      LOG.info("deploy {}: swarm service {} created with {}", s.name(), serviceName(s), image);
      return new Rollout(true, issued);
    }
    update(s, existing.get(), image, labels);
    return new Rollout(false, issued);
  }

  private void update(DeployService s, Service svc, String image, @Nullable Map<String, String> labels) {
    ServiceSpec spec = svc.getSpec();
    ContainerSpec c = spec.getTaskTemplate().getContainerSpec();
    c.withImage(image);
    if (labels != null) {
      c.withLabels(labels);
    }
    spec.withUpdateConfig(updateConfig(s, UpdateFailureAction.ROLLBACK)).withRollbackConfig(updateConfig(s, UpdateFailureAction.PAUSE));
    docker.updateServiceCmd(svc.getId(), spec).withVersion(svc.getVersion().getIndex()).exec();
    LOG.info("deploy {}: swarm service {} updated to {}", s.name(), serviceName(s), image);
  }

  private static Map<String, String> labels(DeployService s, Deployment d) {
    Map<String, String> m = new HashMap<>();
    m.put(ContainerTarget.LABEL_SERVICE, s.name());
    m.put(ContainerTarget.LABEL_COMMIT, d.commit == null ? "" : d.commit);
    m.put(ContainerTarget.LABEL_DEPLOYMENT, d.id);
    return m;
  }

  private static UpdateConfig updateConfig(DeployService s, UpdateFailureAction onFailure) {
    SwarmOptions o = s.swarm().orElseThrow();
    return new UpdateConfig()
        .withParallelism(1L)
        .withDelay(0L)
        .withOrder(o.order() == SwarmOptions.Order.START_FIRST ? UpdateOrder.START_FIRST : UpdateOrder.STOP_FIRST)
        .withFailureAction(onFailure)
        .withMonitor(o.monitor().toMillis() * NANOS_PER_MILLI)
        .withMaxFailureRatio(0f);
  }

  /**
   * Waits for the swarm's verdict on the rollout of {@code image}: the update completed (or, for
   * a new service, every replica of the image running for the monitor period), or the swarm
   * rolled back, or the deadline passed.
   *
   * @throws InterruptedException if the pipeline is closed
   */
  Verdict gate(DeployService s, String image, Rollout rollout) throws InterruptedException {
    HealthGate g = s.gate();
    SwarmOptions o = s.swarm().orElseThrow();
    Instant deadline = rollout.issuedAt().plus(g.deadline());
    String last = "not yet running";
    Instant runningSince = null;
    while (clock.instant().isBefore(deadline)) {
      Service svc = docker.inspectServiceCmd(serviceName(s)).exec();
      List<Task> tasks = tasks(s, image);
      Task failed = tasks.stream().filter(t -> isFailed(t.getStatus().getState())).findFirst().orElse(null);
      if (rollout.created()) {
        long running = tasks.stream().filter(t -> t.getStatus().getState() == TaskState.RUNNING).count();
        if (failed != null) {
          return new Verdict(false, "task failed: " + taskError(failed), containerOf(failed));
        }
        if (running >= o.replicas()) {
          runningSince = runningSince == null ? clock.instant() : runningSince;
          if (!clock.instant().isBefore(runningSince.plus(o.monitor()))) {
            return new Verdict(true, "healthy", null);
          }
        } else {
          runningSince = null;
        }
      } else {
        ServiceUpdateStatus us = svc.getUpdateStatus();
        if (us != null && us.getStartedAt() != null && !us.getStartedAt().toInstant().isBefore(rollout.issuedAt().minusMillis(500))) {
          ServiceUpdateState state = us.getState();
          if (state == ServiceUpdateState.COMPLETED) {
            return new Verdict(true, "healthy", null);
          }
          if (state == ServiceUpdateState.ROLLBACK_STARTED || state == ServiceUpdateState.ROLLBACK_COMPLETED
              || state == ServiceUpdateState.ROLLBACK_PAUSED || state == ServiceUpdateState.PAUSED) {
            String why = failed != null ? taskError(failed) : String.valueOf(us.getMessage());
            return new Verdict(false, "the swarm rolled the update back: " + why, failed != null ? containerOf(failed) : null);
          }
          last = "update " + state + (us.getMessage() != null ? ": " + us.getMessage() : "");
        }
      }
      if (failed != null) {
        last = "task failed: " + taskError(failed);
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    return new Verdict(false, "not healthy within " + g.deadline() + ": " + last, null);
  }

  /**
   * Waits until the swarm's own rollback has ended (or {@code timeout} passed); then, if the
   * service does not run {@code image} (null: the service is new and is removed), updates it back.
   */
  void restore(DeployService s, @Nullable String image, Duration timeout) throws InterruptedException {
    Instant until = clock.instant().plus(timeout);
    while (clock.instant().isBefore(until)) {
      Optional<Service> svc = find(s);
      if (svc.isEmpty()) {
        return;
      }
      ServiceUpdateStatus us = svc.get().getUpdateStatus();
      if (us == null || us.getState() != ServiceUpdateState.ROLLBACK_STARTED) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    revert(s, image);
  }

  /** Makes the service run {@code image} again (null: removes the service, which had no good image). */
  void revert(DeployService s, @Nullable String image) {
    Optional<Service> svc = find(s);
    if (svc.isEmpty()) {
      return;
    }
    if (image == null) {
      docker.removeServiceCmd(svc.get().getId()).exec();
      LOG.info("deploy {}: swarm service {} removed: it never ran a healthy image", s.name(), serviceName(s));
      return;
    }
    String now = svc.get().getSpec().getTaskTemplate().getContainerSpec().getImage();
    if (!sameImage(now, image)) {
      update(s, svc.get(), image, null);
    }
  }

  /** The image the service's spec names, without a digest. */
  Optional<String> image(DeployService s) {
    return find(s).map(svc -> stripDigest(svc.getSpec().getTaskTemplate().getContainerSpec().getImage()));
  }

  /** The tasks of the service whose image is {@code image}, newest first. */
  List<Task> tasks(DeployService s, String image) {
    List<Task> out = new ArrayList<>();
    for (Task t : docker.listTasksCmd().withServiceFilter(serviceName(s)).exec()) {
      if (t.getSpec() != null && t.getSpec().getContainerSpec() != null && sameImage(t.getSpec().getContainerSpec().getImage(), image)) {
        out.add(t);
      }
    }
    out.sort(Comparator.comparing((Task t) -> String.valueOf(t.getCreatedAt())).reversed());
    return out;
  }

  private static boolean isFailed(@Nullable TaskState st) {
    return st == TaskState.FAILED || st == TaskState.REJECTED;
  }

  private static String taskError(Task t) {
    String err = t.getStatus().getErr();
    return err != null && !err.isBlank() ? err : String.valueOf(t.getStatus().getMessage());
  }

  private static @Nullable String containerOf(Task t) {
    return t.getStatus().getContainerStatus() == null ? null : t.getStatus().getContainerStatus().getContainerID();
  }

  static boolean sameImage(@Nullable String spec, String image) {
    return spec != null && stripDigest(spec).equals(image);
  }

  private static String stripDigest(String image) {
    int at = image.indexOf('@');
    return at < 0 ? image : image.substring(0, at);
  }
}
