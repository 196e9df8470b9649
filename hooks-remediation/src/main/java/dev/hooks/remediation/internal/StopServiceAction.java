package dev.hooks.remediation.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import dev.hooks.remediation.RemediationAction;
import dev.hooks.remediation.RemediationContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stops every container of the failing compose service, found by its labels. */
public final class StopServiceAction implements RemediationAction {
  private static final Logger LOG = LoggerFactory.getLogger(StopServiceAction.class);

  private final DockerClient docker;
  private final Duration stopTimeout;

  public StopServiceAction(DockerClient docker, Duration stopTimeout) {
    this.docker = docker;
    this.stopTimeout = stopTimeout;
  }

  @Override
  public void run(RemediationContext ctx) {
    for (Container c : DockerStack.containers(docker, ctx.service())) {
      try {
        docker.stopContainerCmd(c.getId()).withTimeout((int) stopTimeout.toSeconds()).exec();
        LOG.warn("{}: stopped {}", ctx.service(), DockerStack.name(c));
      } catch (NotModifiedException alreadyStopped) {
        LOG.debug("{} was already stopped", DockerStack.name(c));
      }
    }
  }

  @Override
  public String name() {
    return "stop-service";
  }
}
