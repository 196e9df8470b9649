package dev.hooks.spring.boot3;

import dev.hooks.Hooks;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code hooks} component of {@code /actuator/health} on Spring Boot 3, with the same
 * status and details as the starter's Boot 4 one: UP while the journal answers, with the
 * dispatcher's backlog as details.
 */
public final class Boot3HooksHealthIndicator implements HealthIndicator {
  private final Hooks hooks;

  public Boot3HooksHealthIndicator(Hooks hooks) {
    this.hooks = hooks;
  }

  @Override
  public Health health() {
    Map<String, Object> status = hooks.status();
    return (hooks.isHealthy() ? Health.up() : Health.down())
        .withDetail("journal", status.get("journal"))
        .withDetail("pending", status.get("pending"))
        .withDetail("dead_letters", status.get("dead_letters"))
        .withDetail("in_flight", status.get("in_flight"))
        .build();
  }
}
