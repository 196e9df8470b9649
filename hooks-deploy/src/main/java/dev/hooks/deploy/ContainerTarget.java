package dev.hooks.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain-container target: each deployment is one container on the service's network; only
 * the current one holds the service's network alias. A new container starts without the alias,
 * is gated, then the alias moves to it (connect with the alias, then disconnect the old one)
 * and the old one is stopped and kept for rollback. Docker cannot drop one alias of a connected
 * container, hence the disconnect and reconnect. Thread-safe; one caller per service at a time.
 */
final class ContainerTarget {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerTarget.class);
  static final String LABEL_SERVICE = "dev.hooks.deploy.service";
  static final String LABEL_COMMIT = "dev.hooks.deploy.commit";
  static final String LABEL_DEPLOYMENT = "dev.hooks.deploy.deployment";

  /** The verdict of a health gate. */
  record GateResult(boolean healthy, String reason) {}

  private final DockerClient docker;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  ContainerTarget(DockerClient docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  /** Creates and starts the container of {@code d} on the service's network, without the alias. */
  String start(DeployService s, Deployment d, String image) {
    String name = s.name() + "-" + shortId(d.commit) + "-" + d.id.substring(Math.max(0, d.id.length() - 6));
    CreateContainerResponse c = docker.createContainerCmd(image)
        .withName(name)
        .withLabels(Map.of(LABEL_SERVICE, s.name(), LABEL_COMMIT, d.commit == null ? "" : d.commit, LABEL_DEPLOYMENT, d.id))
        // --init: a shell as PID 1 ignores SIGTERM and would make every stop wait its timeout
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(s.network()).withInit(true))
        .exec();
    docker.startContainerCmd(c.getId()).exec();
    return name;
  }

  /**
   * Waits until the container passes the gate, fails it, or the deadline passes. A container
   * that exits fails at once.
   *
   * @throws InterruptedException if the pipeline is closed
   */
  GateResult gate(DeployService s, String container) throws InterruptedException {
    HealthGate g = s.gate();
    Instant start = clock.instant();
    Instant deadline = start.plus(g.deadline());
    Instant probeFrom = start.plus(g.startPeriod());
    int httpSuccesses = 0;
    String last = "not yet healthy";
    long pollMs = Math.min(g.interval().toMillis(), 250);
    Instant nextProbe = start;
    while (clock.instant().isBefore(deadline)) {
      InspectContainerResponse in = docker.inspectContainerCmd(container).exec();
      InspectContainerResponse.ContainerState state = in.getState();
      if (!Boolean.TRUE.equals(state.getRunning())) {
        return new GateResult(false, "container exited with code " + state.getExitCodeLong()
            + (Boolean.TRUE.equals(state.getRestarting()) ? " (restart loop)" : ""));
      }
      boolean dockerOk = true;
      if (g.dockerHealthcheck()) {
        HealthState health = state.getHealth();
        if (health == null) {
          return new GateResult(false, "the image has no HEALTHCHECK; add one or gate on an HTTP probe instead");
        }
        if ("unhealthy".equals(health.getStatus())) {
          return new GateResult(false, "HEALTHCHECK unhealthy: " + lastOutput(health));
        }
        dockerOk = "healthy".equals(health.getStatus());
        if (!dockerOk) {
          last = "HEALTHCHECK " + health.getStatus();
        }
      }
      boolean httpOk = true;
      if (g.httpPath().isPresent()) {
        Instant now = clock.instant();
        if (!now.isBefore(nextProbe)) {
          nextProbe = now.plus(g.interval());
          String verdict = probe(s, in, g);
          if (verdict == null) {
            httpSuccesses++;
          } else {
            httpSuccesses = 0;
            last = verdict;
            if (!now.isBefore(probeFrom) && verdict.startsWith("HTTP ")) {
              LOG.debug("{} probe: {}", container, verdict);
            }
          }
        }
        httpOk = httpSuccesses >= g.successThreshold();
      }
      if (dockerOk && httpOk) {
        return new GateResult(true, "healthy");
      }
      TimeUnit.MILLISECONDS.sleep(pollMs);
    }
    return new GateResult(false, "not healthy within " + g.deadline() + ": " + last);
  }

  /** Null when the probe answered the expected status, else why not. */
  private @Nullable String probe(DeployService s, InspectContainerResponse in, HealthGate g) throws InterruptedException {
    ContainerNetwork net = in.getNetworkSettings().getNetworks().get(s.network());
    if (net == null || net.getIpAddress() == null || net.getIpAddress().isEmpty()) {
      return "no address on network " + s.network();
    }
    URI uri = URI.create("http://" + net.getIpAddress() + ":" + s.port() + g.httpPath().orElse("/"));
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(g.timeout()).GET().build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == g.expectedStatus() ? null : "HTTP " + r.statusCode() + ", expected " + g.expectedStatus();
    } catch (java.io.IOException e) {
      return "HTTP probe failed: " + e.getClass().getSimpleName();
    }
  }

  private static String lastOutput(HealthState h) {
    List<HealthStateLog> log = h.getLog();
    if (log == null || log.isEmpty()) {
      return "no output";
    }
    HealthStateLog l = log.get(log.size() - 1);
    String out = l.getOutput() == null ? "" : l.getOutput().strip();
    return "exit " + l.getExitCodeLong() + (out.isEmpty() ? "" : ": " + (out.length() > 300 ? out.substring(0, 300) : out));
  }

  /**
   * Gives {@code container} the alias (starting it if stopped), then takes the alias from
   * {@code old} and stops it.
   */
  void promote(DeployService s, String container, @Nullable String old) {
    activate(s, container);
    if (old != null && !old.equals(container)) {
      retire(s, old);
    }
  }

  /** Starts {@code container} if needed and makes it hold the alias on the service network. */
  void activate(DeployService s, String container) {
    InspectContainerResponse in = docker.inspectContainerCmd(container).exec();
    if (!Boolean.TRUE.equals(in.getState().getRunning())) {
      docker.startContainerCmd(container).exec();
      in = docker.inspectContainerCmd(container).exec();
    }
    ContainerNetwork net = in.getNetworkSettings().getNetworks().get(s.network());
    if (net != null && net.getAliases() != null && net.getAliases().contains(s.alias())) {
      return;
    }
    if (net != null) {
      docker.disconnectFromNetworkCmd().withNetworkId(s.network()).withContainerId(container).withForce(true).exec();
    }
    docker.connectToNetworkCmd().withNetworkId(s.network()).withContainerId(container)
        .withContainerNetwork(new ContainerNetwork().withAliases(s.alias())).exec();
  }

  /** Starts a kept container again on the service network, without the alias, for its gate. */
  void activateOffAlias(DeployService s, String container) {
    InspectContainerResponse in = docker.inspectContainerCmd(container).exec();
    ContainerNetwork net = in.getNetworkSettings().getNetworks().get(s.network());
    if (net != null && net.getAliases() != null && net.getAliases().contains(s.alias())) {
      docker.disconnectFromNetworkCmd().withNetworkId(s.network()).withContainerId(container).withForce(true).exec();
      net = null;
    }
    if (net == null) {
      docker.connectToNetworkCmd().withNetworkId(s.network()).withContainerId(container).exec();
    }
    if (!Boolean.TRUE.equals(in.getState().getRunning())) {
      docker.startContainerCmd(container).exec();
    }
  }

  /** Takes {@code container} off the network (and so the alias) and stops it, keeping it. */
  void retire(DeployService s, String container) {
    try {
      docker.disconnectFromNetworkCmd().withNetworkId(s.network()).withContainerId(container).withForce(true).exec();
    } catch (NotFoundException | com.github.dockerjava.api.exception.ConflictException e) {
      LOG.debug("{} was not on {}", container, s.network());
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("is not connected")) {
        throw e;
      }
    }
    stop(container);
  }

  /** Stops {@code container}, keeping it; absent or stopped is fine. */
  void stop(String container) {
    try {
      docker.stopContainerCmd(container).withTimeout(10).exec();
    } catch (NotModifiedException | NotFoundException e) {
      LOG.debug("{} already stopped or gone", container);
    }
  }

  boolean exists(String container) {
    try {
      docker.inspectContainerCmd(container).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** Removes the container and, if no other container uses it, its image. */
  void prune(String container, @Nullable String image) {
    try {
      docker.removeContainerCmd(container).withForce(true).exec();
    } catch (NotFoundException e) {
      LOG.debug("{} already removed", container);
    }
    if (image != null) {
      try {
        docker.removeImageCmd(image).exec();
      } catch (NotFoundException e) {
        LOG.debug("image {} already removed", image);
      } catch (RuntimeException e) {
        LOG.debug("image {} kept: {}", image, e.getMessage());
      }
    }
  }

  /** The last {@code lines} lines of the container's output. */
  String logTail(String container, int lines) {
    List<String> out = new ArrayList<>();
    try {
      docker.logContainerCmd(container).withStdOut(true).withStdErr(true).withTail(lines)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame f) {
              out.add(new String(f.getPayload(), StandardCharsets.UTF_8).stripTrailing());
            }
          }).awaitCompletion(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("logs of {} not readable", container, e);
    }
    synchronized (out) {
      return String.join("\n", out);
    }
  }

  static String shortId(@Nullable String commit) {
    if (commit == null) {
      return "unknown";
    }
    return commit.length() > 7 ? commit.substring(0, 7) : commit;
  }
}
