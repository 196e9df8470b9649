package dev.hooks.spring;

import dev.hooks.Hooks;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/hooks}: the counters of hooks-server's {@code /status} (received, accepted,
 * duplicates, rejected by reason, pending, dead letters, in flight, dispatched, retries).
 * Exposed over the web when {@code management.endpoints.web.exposure.include} names it.
 */
@Endpoint(id = "hooks")
public final class HooksEndpoint {
  private final Hooks hooks;

  public HooksEndpoint(Hooks hooks) {
    this.hooks = hooks;
  }

  @ReadOperation
  public Map<String, Object> status() {
    return hooks.status();
  }
}
