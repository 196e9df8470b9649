package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.endpoints.EndpointStore;
import dev.hooks.state.InMemoryStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code audit.retention-days}: audit entries of the endpoint registry older than the retention are purged, younger ones kept. */
class PeriodicPurgeTest {
  private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void entriesOlderThanTheRetentionArePurgedAndYoungerOnesKept() {
    TestClock clock = new TestClock();
    EndpointStore registry = EndpointStore.builder(new InMemoryStateStore()).clock(clock).build();
    registry.audit("token:admin", "create", EndpointStore.ALERT, "old", Map.of());
    clock.advance(Duration.ofDays(20));
    registry.audit("token:admin", "create", EndpointStore.ALERT, "young", Map.of());

    try (PeriodicPurge retention = new PeriodicPurge("audit entries", registry::purgeAudit, Duration.ofDays(30), Duration.ofHours(1), clock)) {
      assertThat(retention.purge()).isZero();
      assertThat(registry.audit(10)).hasSize(2);

      clock.advance(Duration.ofDays(11)); // "old" is 31 days old, "young" 11
      retention.purge();

      assertThat(registry.audit(10)).extracting(e -> e.get("endpoint")).containsExactly("young");
    }
  }

  @Test
  void theRetentionDefaultsTo90DaysAndRefusesNegativeDays() {
    ServerConfig.AuditConfig a = new ServerConfig.AuditConfig();
    assertThat(ServerAssembly.auditRetention(a)).isEqualTo(Duration.ofDays(90));
    a.retentionDays = 14;
    assertThat(ServerAssembly.auditRetention(a)).isEqualTo(Duration.ofDays(14));
    a.retentionDays = -1;
    assertThatThrownBy(() -> ServerAssembly.auditRetention(a)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("audit.retention-days");
  }
}
