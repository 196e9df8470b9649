package dev.hooks.remediation.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import dev.hooks.HooksException;
import dev.hooks.remediation.RemediationAction;
import dev.hooks.remediation.RemediationContext;
import dev.hooks.remediation.ServiceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts a stack through the Engine API, found by its compose project label: stops every
 * container, dependents first (the reverse of the configured start order; services not in the
 * order stop first and start last), then starts them in order, waiting for each service to be
 * healthy before starting the next, as {@code depends_on: condition: service_healthy} would.
 */
public final class LabelResetAction implements RemediationAction {
  private static final Logger LOG = LoggerFactory.getLogger(LabelResetAction.class);

  private final DockerClient docker;
  private final List<String> startOrder;
  private final Duration stopTimeout;
  private final Duration healthyTimeout;

  public LabelResetAction(DockerClient docker, List<String> startOrder, Duration stopTimeout, Duration healthyTimeout) {
    this.docker = docker;
    this.startOrder = List.copyOf(startOrder);
    this.stopTimeout = stopTimeout;
    this.healthyTimeout = healthyTimeout;
  }

  @Override
  public void run(RemediationContext ctx) throws InterruptedException {
    List<Container> containers = new ArrayList<>(DockerStack.containers(docker, ctx.service().project()));
    if (containers.isEmpty()) {
      throw new HooksException("no container has label " + ServiceKey.PROJECT_LABEL + "=" + ctx.service().project());
    }
    containers.sort(Comparator.comparingInt(this::rank));
    for (int i = containers.size() - 1; i >= 0; i--) {
      Container c = containers.get(i);
      try {
        docker.stopContainerCmd(c.getId()).withTimeout((int) stopTimeout.toSeconds()).exec();
      } catch (NotModifiedException alreadyStopped) {
        LOG.debug("{} was already stopped", DockerStack.name(c));
      }
    }
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      docker.startContainerCmd(c.getId()).exec();
      boolean lastOfItsService = i + 1 == containers.size() || rank(containers.get(i + 1)) != rank(c);
      if (lastOfItsService && i + 1 < containers.size()) {
        awaitHealthy(containers, rank(c));
      }
    }
    LOG.info("{}: restarted {} containers by label", ctx.service(), containers.size());
  }

  @Override
  public String name() {
    return "label-reset";
  }

  private int rank(Container c) {
    String service = DockerStack.service(c);
    int at = service == null ? -1 : startOrder.indexOf(service);
    return at < 0 ? startOrder.size() : at;
  }

  /** Polls until the containers of one rank are healthy; gives up quietly at the timeout. */
  private void awaitHealthy(List<Container> containers, int rank) throws InterruptedException {
    long deadline = System.nanoTime() + healthyTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = containers.stream()
          .filter(c -> rank(c) == rank)
          .allMatch(c -> DockerStack.healthy(docker.inspectContainerCmd(c.getId()).exec()));
      if (all) {
        return;
      }
      Thread.sleep(250);
    }
    LOG.warn("services of start rank {} not healthy after {}; starting the next ones anyway", rank, healthyTimeout);
  }
}
