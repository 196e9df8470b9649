package dev.hooks.deploy;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The state of one service: {@code idle} (never deployed), {@code building}, {@code deploying},
 * {@code running} or {@code failed} (a rollback failed: manual intervention required), with its
 * current and previous deployments. A snapshot; not thread-safe.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ServiceState {
  String status = "idle";
  @Nullable String current;
  @Nullable String previous;
  @Nullable String reason;
  @JsonProperty("updated_at") @Nullable Instant updatedAt;

  ServiceState() {}

  ServiceState copy() {
    ServiceState s = new ServiceState();
    s.status = status;
    s.current = current;
    s.previous = previous;
    s.reason = reason;
    s.updatedAt = updatedAt;
    return s;
  }

  /** {@code idle}, {@code building}, {@code deploying}, {@code running} or {@code failed}. */
  public String status() {
    return status;
  }

  /** The id of the deployment whose container holds the alias. */
  public Optional<String> current() {
    return Optional.ofNullable(current);
  }

  /** The id of the deployment before it, kept stopped for rollback. */
  public Optional<String> previous() {
    return Optional.ofNullable(previous);
  }

  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** This snapshot as JSON: snake_case keys, ISO-8601 times, absent values left out. */
  public String toJson() {
    try {
      return DeploymentStore.json().writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a snapshot is always writable", e);
    }
  }
}
