package dev.hooks.remediation;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.hooks.remediation.internal.ArchiveLogsAction;
import dev.hooks.remediation.internal.ComposeResetAction;
import dev.hooks.remediation.internal.DockerStack;
import dev.hooks.remediation.internal.LabelResetAction;
import dev.hooks.remediation.internal.StopServiceAction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ladder steps and probes that act on a Docker Engine through docker-java, finding a stack by
 * its compose labels. Every factory returns a thread-safe object.
 *
 * <pre>{@code
 * DockerClient docker = DockerRemediation.newClient();
 * RemediationLadder ladder = RemediationLadder.builder()
 *     .step(DockerRemediation.archiveLogs(docker, Path.of("/var/backups/logs"), 20))
 *     .step(DockerRemediation.composeReset(Path.of("/host/docker-compose.yml")))
 *     .verify(DockerRemediation.healthProbe(docker))
 *     .onGiveUp(DockerRemediation.stopService(docker))
 *     .build();
 * }</pre>
 */
public final class DockerRemediation {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private DockerRemediation() {}

  /**
   * A client for the Engine named by {@code DOCKER_HOST} and the other standard docker-java
   * settings, the local socket by default. The API version is negotiated, not pinned.
   */
  public static DockerClient newClient() {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .connectionTimeout(Duration.ofSeconds(10))
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /**
   * Archives the logs and inspect JSON of every container of the stack into {@code directory}
   * as {@code <project>-<yyyyMMdd'T'HHmmss'Z'>-<incident>.tar.gz}, keeping the newest {@code
   * keep} archives of the project, none older than 30 days.
   */
  public static RemediationAction archiveLogs(DockerClient docker, Path directory, int keep) {
    return archiveLogs(docker, directory, keep, Duration.ofDays(30));
  }

  /**
   * Like {@link #archiveLogs(DockerClient, Path, int)} with the maximum age of kept archives.
   *
   * @throws IllegalArgumentException if {@code keep} is below 1
   */
  public static RemediationAction archiveLogs(DockerClient docker, Path directory, int keep, Duration maxAge) {
    return new ArchiveLogsAction(Objects.requireNonNull(docker, "docker"), Objects.requireNonNull(directory, "directory"),
        keep, Objects.requireNonNull(maxAge, "maxAge"));
  }

  /**
   * Recreates the stack with {@code docker-compose -f FILE -p PROJECT down} then {@code up -d},
   * each allowed 5 minutes. Relative paths in the file resolve against the file's directory; use
   * {@link #composeReset(DockerClient, Path)} when the file is mounted somewhere else than the
   * directory the stack was started from.
   */
  public static RemediationAction composeReset(Path composeFile) {
    return composeReset(List.of("docker-compose"), composeFile, Duration.ofMinutes(5));
  }

  /**
   * Recreates the stack with a compose CLI of your choice, such as {@code List.of("docker",
   * "compose")}.
   */
  public static RemediationAction composeReset(List<String> command, Path composeFile, Duration timeout) {
    return new ComposeResetAction(command, Objects.requireNonNull(composeFile, "composeFile"), Objects.requireNonNull(timeout, "timeout"), null);
  }

  /**
   * As {@link #composeReset(Path)}, in the project's own directory: the {@code
   * com.docker.compose.project.working_dir} label of its containers is passed as {@code
   * --project-directory}, so bind mounts such as {@code ./data:/data} stay those of the running
   * stack although the file is read from a mount such as {@code /host/docker-compose.yml}. Files
   * compose itself reads relative to the project ({@code .env}, {@code env_file}, {@code build}
   * contexts) must then exist at that path: mount the project directory at the same path.
   */
  public static RemediationAction composeReset(DockerClient docker, Path composeFile) {
    return composeReset(docker, List.of("docker-compose"), composeFile, Duration.ofMinutes(5));
  }

  /** As {@link #composeReset(DockerClient, Path)} with a compose CLI of your choice. */
  public static RemediationAction composeReset(DockerClient docker, List<String> command, Path composeFile, Duration timeout) {
    return new ComposeResetAction(command, Objects.requireNonNull(composeFile, "composeFile"), Objects.requireNonNull(timeout, "timeout"),
        Objects.requireNonNull(docker, "docker"));
  }

  /**
   * Checks that the compose CLI runs here ({@code <command> version} exits 0), to fail at start
   * rather than at the first remediation.
   *
   * @throws dev.hooks.HooksException naming the command and why it cannot run
   */
  public static void checkCompose(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("compose command must not be empty");
    }
    ComposeResetAction.check(command);
  }

  /**
   * Restarts the stack without a compose file: stops its containers, dependents first, then
   * starts them in {@code startOrder} (compose service names, dependencies first, as the
   * compose file's {@code depends_on} says), waiting up to 2 minutes for each to be healthy
   * before the next.
   */
  public static RemediationAction labelReset(DockerClient docker, List<String> startOrder) {
    return new LabelResetAction(Objects.requireNonNull(docker, "docker"), startOrder, STOP_TIMEOUT, Duration.ofMinutes(2));
  }

  /** Stops the failing service's containers; put it on the give-up steps. */
  public static RemediationAction stopService(DockerClient docker) {
    return new StopServiceAction(Objects.requireNonNull(docker, "docker"), STOP_TIMEOUT);
  }

  /**
   * Healthy when the project has containers and every one runs and, if it has a healthcheck,
   * reports healthy.
   */
  public static HealthProbe healthProbe(DockerClient docker) {
    Objects.requireNonNull(docker, "docker");
    return service -> {
      List<Container> containers = DockerStack.containers(docker, service.project());
      return !containers.isEmpty()
          && containers.stream().allMatch(c -> DockerStack.healthy(docker.inspectContainerCmd(c.getId()).exec()));
    };
  }

  /**
   * Reads the compose labels of the named container. A name outside Docker's syntax ({@link
   * RemediationEventHandler#CONTAINER_NAME}) resolves to nothing without asking the Engine.
   */
  public static ServiceResolver serviceResolver(DockerClient docker) {
    Objects.requireNonNull(docker, "docker");
    return name -> {
      if (!RemediationEventHandler.CONTAINER_NAME.matcher(name).matches() || name.length() > 255) {
        return Optional.empty();
      }
      try {
        return Optional.ofNullable(DockerStack.key(docker.inspectContainerCmd(name).exec().getConfig().getLabels()));
      } catch (NotFoundException gone) {
        return Optional.empty();
      }
    };
  }
}
