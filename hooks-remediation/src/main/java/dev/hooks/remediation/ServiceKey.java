package dev.hooks.remediation;

import java.util.Objects;

/**
 * A compose service: the project and service names from the container labels
 * {@code com.docker.compose.project} and {@code com.docker.compose.service}. Failures are
 * counted per key, so a container recreated with a new id keeps its history.
 *
 * <pre>{@code
 * ServiceKey key = ServiceKey.of("shop", "web");
 * ServiceKey same = ServiceKey.parse("shop/web");
 * }</pre>
 *
 * @param project the compose project
 * @param service the compose service
 */
public record ServiceKey(String project, String service) {
  /** The container label naming the compose project. */
  public static final String PROJECT_LABEL = "com.docker.compose.project";
  /** The container label naming the compose service. */
  public static final String SERVICE_LABEL = "com.docker.compose.service";

  /**
   * @throws IllegalArgumentException if a name is blank or contains {@code /}
   */
  public ServiceKey {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(service, "service");
    if (project.isBlank() || service.isBlank() || project.contains("/") || service.contains("/")) {
      throw new IllegalArgumentException("compose project and service must be non-blank names without '/': " + project + "/" + service);
    }
  }

  public static ServiceKey of(String project, String service) {
    return new ServiceKey(project, service);
  }

  /**
   * Reads {@code project/service}.
   *
   * @throws IllegalArgumentException if {@code text} has no single {@code /}
   */
  public static ServiceKey parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0 || slash != text.lastIndexOf('/')) {
      throw new IllegalArgumentException("expected project/service, got: " + text);
    }
    return new ServiceKey(text.substring(0, slash), text.substring(slash + 1));
  }

  /** {@code project/service}. */
  @Override
  public String toString() {
    return project + "/" + service;
  }
}
