package dev.hooks.remediation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@code GET /status} shows: the policy's threshold and cooldown, the watched
 * service if one was set, and every service's state. A plain value.
 *
 * @param at when it was read
 * @param threshold failures that start a remediation
 * @param cooldown time between a reset and its health check
 * @param watched the one service or container tracked, or null when every service is
 * @param services every service with state, ordered by project and service
 */
public record RemediationStatus(Instant at, int threshold, Duration cooldown, @Nullable String watched, List<ServiceStatus> services) {

  public RemediationStatus {
    services = List.copyOf(services);
  }

  /** The state of one service, if it has any. */
  public Optional<ServiceStatus> service(ServiceKey key) {
    return services.stream().filter(s -> s.service().equals(key)).findFirst();
  }
}
