package dev.hooks.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeployMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DeployListener listener = DeployMeters.listener(registry);

  @Test
  void countsEachDeploymentOnceByItsLastStep() {
    for (DeployEventType t : new DeployEventType[] {DeployEventType.WEBHOOK_RECEIVED, DeployEventType.BUILD_STARTED,
        DeployEventType.BUILD_COMPLETED, DeployEventType.DEPLOYMENT_STARTED, DeployEventType.DEPLOYMENT_COMPLETED}) {
      listener.onEvent(event(t, "web"));
    }
    listener.onEvent(event(DeployEventType.BUILD_FAILED, "web"));
    listener.onEvent(event(DeployEventType.DEPLOYMENT_FAILED, "web"));
    listener.onEvent(event(DeployEventType.DEPLOYMENT_ROLLBACK, "api"));
    listener.onEvent(event(DeployEventType.DEPLOYMENT_ROLLBACK_FAILED, "api"));

    assertThat(count("web", "completed")).isEqualTo(1);
    assertThat(count("web", "failed")).isEqualTo(2);
    assertThat(count("api", "rolled_back")).isEqualTo(1);
    assertThat(count("api", "rollback_failed")).isEqualTo(1);
    assertThat(registry.find(DeployMeters.DEPLOYMENTS).counters()).hasSize(4);
  }

  private double count(String service, String outcome) {
    return registry.get(DeployMeters.DEPLOYMENTS).tag("service", service).tag("outcome", outcome).counter().count();
  }

  private static DeployEvent event(DeployEventType type, String service) {
    return new DeployEvent(type, service, "d-1", "abc123", null, null, null, null, null, Instant.parse("2026-12-07T12:00:00Z"));
  }
}
