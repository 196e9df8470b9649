package dev.hooks.deploy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Counts deployments that ended in a {@link MeterRegistry}: {@code
 * hooks_deploy_deployments_total{service, outcome}} in the Prometheus text, {@code outcome} being
 * {@code completed}, {@code failed} (the build or the deployment), {@code rolled_back} or
 * {@code rollback_failed}. hooks-server and the Spring Boot starter register the same meter.
 *
 * <pre>{@code
 * Deployer deployer = Deployer.builder(state, work).service(web).listener(DeployMeters.listener(registry)).build();
 * }</pre>
 */
public final class DeployMeters {
  /** The meter's name; Prometheus shows it as {@code hooks_deploy_deployments_total}. */
  public static final String DEPLOYMENTS = "hooks.deploy.deployments";

  private DeployMeters() {}

  /**
   * A listener counting each deployment's outcome once, when its last step is announced.
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static DeployListener listener(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return e -> {
      String outcome = outcome(e.type());
      if (outcome != null) {
        Counter.builder(DEPLOYMENTS).description("deployments that ended, by outcome")
            .tag("service", e.service()).tag("outcome", outcome).register(registry).increment();
      }
    };
  }

  /** The outcome a step ends a deployment with, or null for a step in between. */
  static @Nullable String outcome(DeployEventType type) {
    return switch (type) {
      case DEPLOYMENT_COMPLETED -> "completed";
      case DEPLOYMENT_FAILED, BUILD_FAILED -> "failed";
      case DEPLOYMENT_ROLLBACK -> "rolled_back";
      case DEPLOYMENT_ROLLBACK_FAILED -> "rollback_failed";
      default -> null;
    };
  }
}
