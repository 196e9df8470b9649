package dev.hooks.remediation.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.hooks.remediation.ServiceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Finds a compose stack's containers by their labels. Stateless. */
public final class DockerStack {
  private DockerStack() {}

  /** Every container of the project, running or not, ordered by name. */
  public static List<Container> containers(DockerClient docker, String project) {
    List<Container> found = new ArrayList<>(docker.listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(ServiceKey.PROJECT_LABEL, project))
        .exec());
    found.sort(Comparator.comparing(DockerStack::name));
    return found;
  }

  /** Every container of one service of the project, running or not. */
  public static List<Container> containers(DockerClient docker, ServiceKey service) {
    return docker.listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(ServiceKey.PROJECT_LABEL, service.project(), ServiceKey.SERVICE_LABEL, service.service()))
        .exec();
  }

  /** The container's name without the leading slash the Engine puts there. */
  public static String name(Container c) {
    String[] names = c.getNames();
    String n = names == null || names.length == 0 ? c.getId() : names[0];
    return n.startsWith("/") ? n.substring(1) : n;
  }

  public static @Nullable String service(Container c) {
    return c.getLabels() == null ? null : c.getLabels().get(ServiceKey.SERVICE_LABEL);
  }

  /** Whether the container runs and, if it has a healthcheck, reports healthy. */
  public static boolean healthy(InspectContainerResponse inspect) {
    InspectContainerResponse.ContainerState state = inspect.getState();
    if (state == null || !Boolean.TRUE.equals(state.getRunning())) {
      return false;
    }
    HealthState health = state.getHealth();
    return health == null || health.getStatus() == null || "healthy".equals(health.getStatus());
  }

  /** The key from the container's compose labels, or null if it has none. */
  public static @Nullable ServiceKey key(@Nullable Map<String, String> labels) {
    if (labels == null) {
      return null;
    }
    String project = labels.get(ServiceKey.PROJECT_LABEL);
    String service = labels.get(ServiceKey.SERVICE_LABEL);
    if (project == null || service == null || project.isBlank() || service.isBlank()) {
      return null;
    }
    return ServiceKey.of(project, service);
  }
}
