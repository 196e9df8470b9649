package dev.hooks.remediation;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hooks.state.InMemoryStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemediationServiceTest {
  private static final ServiceKey WEB = ServiceKey.of("shop", "web");
  private static final ServiceKey BLOG_WEB = ServiceKey.of("blog", "web");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final FailureTracker tracker = FailureTracker.builder(new InMemoryStateStore(),
          RemediationLadder.builder().verify(service -> true).build())
      .policy(RemediationPolicy.builder().threshold(5).cooldown(Duration.ofSeconds(120)).build())
      .clock(clock).build();
  private final RemediationService service = RemediationService.builder(tracker)
      .resolver(name -> Optional.ofNullable(Map.of("shop-web-1", WEB).get(name)))
      .clock(clock)
      .build();

  @Test
  void statusShowsEveryServiceWithThePolicy() {
    tracker.recordFailure(WEB, "e1", "unhealthy");
    RemediationStatus status = service.status();
    assertThat(status.threshold()).isEqualTo(5);
    assertThat(status.cooldown()).isEqualTo(Duration.ofSeconds(120));
    assertThat(status.at()).isEqualTo(clock.instant());
    assertThat(status.service(WEB).orElseThrow().failures()).isEqualTo(1);
    assertThat(status.service(BLOG_WEB)).isEmpty();
  }

  @Test
  void startedServiceRunsTheTrackersTimersByItself() {
    FailureTracker fast = FailureTracker.builder(new InMemoryStateStore(), RemediationLadder.builder().verify(k -> true).build())
        .policy(RemediationPolicy.builder().threshold(1).cooldown(Duration.ofSeconds(30)).build())
        .clock(clock).build();
    try (RemediationService started = RemediationService.builder(fast).tick(Duration.ofMillis(10)).clock(clock).build()) {
      started.start();
      fast.recordFailure(WEB, "e1", "unhealthy");
      assertThat(fast.status(WEB).orElseThrow().phase()).isEqualTo(ServicePhase.COOLDOWN);
      clock.advance(Duration.ofSeconds(30));
      await().atMost(Duration.ofSeconds(10)).until(() -> fast.status(WEB).orElseThrow().phase() == ServicePhase.OK);
    }
  }

  @Test
  void resetAcceptsProjectSlashServiceAServiceNameOrAContainerName() {
    tracker.recordFailure(WEB, "e1", "unhealthy");
    tracker.recordFailure(BLOG_WEB, "e2", "unhealthy");
    assertThat(service.reset("shop/web")).containsExactly(WEB);
    assertThat(service.reset("shop/web")).isEmpty();

    tracker.recordFailure(WEB, "e3", "unhealthy");
    assertThat(service.reset("web")).containsExactlyInAnyOrder(WEB, BLOG_WEB);

    tracker.recordFailure(WEB, "e4", "unhealthy");
    assertThat(service.reset("shop-web-1")).containsExactly(WEB);
    assertThat(service.reset("nobody")).isEmpty();
    assertThat(service.status().service(WEB).orElseThrow().failures()).isZero();
  }
}
