package dev.hooks.remediation;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.remediation.FailureTracker.Outcome;
import dev.hooks.state.InMemoryStateStore;
import dev.hooks.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FailureTrackerTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final ServiceKey WEB = ServiceKey.of("shop", "web");

  private final MutableClock clock = new MutableClock(T0);
  private final StateStore store = new InMemoryStateStore();
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final List<RemediationContext> contexts = new CopyOnWriteArrayList<>();
  private final AtomicBoolean healthy = new AtomicBoolean(true);

  private RemediationLadder ladder() {
    return RemediationLadder.builder()
        .step(named("alert"))
        .step(named("reset"))
        .verify(service -> healthy.get())
        .onGiveUp(named("stop"))
        .onGiveUp(named("final"))
        .onRecovered(named("recovered"))
        .build();
  }

  private RemediationAction named(String name) {
    return new RemediationAction() {
      @Override
      public void run(RemediationContext context) {
        ran.add(name);
        contexts.add(context);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  private FailureTracker tracker(RemediationPolicy policy) {
    return FailureTracker.builder(store, ladder()).policy(policy).clock(clock).build();
  }

  private FailureTracker tracker() {
    return tracker(RemediationPolicy.ofDefaults());
  }

  private static ServiceStatus status(FailureTracker t) {
    return t.status(WEB).orElseThrow();
  }

  @Test
  void countsFailuresAndRunsTheLadderOnceAtTheThreshold() {
    FailureTracker t = tracker();
    assertThat(t.recordFailure(WEB, "e1", "unhealthy")).isEqualTo(Outcome.COUNTED);
    clock.advance(Duration.ofSeconds(10));
    assertThat(t.recordFailure(WEB, "e2", "unhealthy")).isEqualTo(Outcome.COUNTED);
    assertThat(status(t).failures()).isEqualTo(2);
    assertThat(status(t).phase()).isEqualTo(ServicePhase.FAILING);
    assertThat(ran).isEmpty();

    clock.advance(Duration.ofSeconds(10));
    assertThat(t.recordFailure(WEB, "e3", "died")).isEqualTo(Outcome.REMEDIATED);

    assertThat(ran).containsExactly("alert", "reset");
    assertThat(contexts.get(0)).isEqualTo(new RemediationContext(WEB, 3, 1, 1, "threshold", T0.plusSeconds(20)));
    ServiceStatus s = status(t);
    assertThat(s.phase()).isEqualTo(ServicePhase.COOLDOWN);
    assertThat(s.verifyDueAt()).isEqualTo(T0.plusSeconds(20 + 300));
    assertThat(s.lastFailureAt()).isEqualTo(T0.plusSeconds(20));
    assertThat(s.lastFailureReason()).isEqualTo("died");
    assertThat(s.threshold()).isEqualTo(3);
    assertThat(s.cooldown()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void aRedeliveredEventIsCountedOnce() {
    FailureTracker t = tracker();
    t.recordFailure(WEB, "e1", "unhealthy");
    assertThat(t.recordFailure(WEB, "e1", "unhealthy")).isEqualTo(Outcome.DUPLICATE);
    assertThat(status(t).failures()).isEqualTo(1);
  }

  @Test
  void servicesAreCountedApartByProjectAndService() {
    FailureTracker t = tracker();
    t.recordFailure(WEB, "e1", "unhealthy");
    t.recordFailure(ServiceKey.of("shop", "db"), "e2", "unhealthy");
    t.recordFailure(ServiceKey.of("blog", "web"), "e3", "unhealthy");
    assertThat(t.status()).extracting(ServiceStatus::service, ServiceStatus::failures).containsExactly(
        org.assertj.core.groups.Tuple.tuple(ServiceKey.of("blog", "web"), 1),
        org.assertj.core.groups.Tuple.tuple(ServiceKey.of("shop", "db"), 1),
        org.assertj.core.groups.Tuple.tuple(WEB, 1));
  }

  @Test
  void failuresDuringTheCooldownAreNotCountedAndVerificationWaitsForItsEnd() {
    FailureTracker t = tracker();
    crossThreshold(t);
    ran.clear();
    clock.advance(Duration.ofSeconds(60));
    assertThat(t.recordFailure(WEB, "late", "died")).isEqualTo(Outcome.IGNORED);
    assertThat(t.runDue()).isZero();
    assertThat(status(t).phase()).isEqualTo(ServicePhase.COOLDOWN);
    assertThat(ran).isEmpty();

    clock.advance(Duration.ofSeconds(240));
    assertThat(t.runDue()).isEqualTo(1);
    assertThat(ran).containsExactly("recovered");
  }

  @Test
  void aHealthyStackAfterTheCooldownResetsTheCount() {
    FailureTracker t = tracker();
    crossThreshold(t);
    clock.advance(Duration.ofSeconds(300));
    t.runDue();
    ServiceStatus s = status(t);
    assertThat(s.phase()).isEqualTo(ServicePhase.OK);
    assertThat(s.failures()).isZero();
    assertThat(s.verifyDueAt()).isNull();
    assertThat(t.recordFailure(WEB, "e9", "unhealthy")).isEqualTo(Outcome.COUNTED);
    assertThat(status(t).failures()).isEqualTo(1);
  }

  @Test
  void anUnhealthyStackAfterTheLastAttemptIsStoppedAlertedAndQuarantinedUntilReset() {
    FailureTracker t = tracker();
    crossThreshold(t);
    healthy.set(false);
    clock.advance(Duration.ofSeconds(300));
    t.runDue();

    assertThat(ran).containsExactly("alert", "reset", "stop", "final");
    ServiceStatus s = status(t);
    assertThat(s.phase()).isEqualTo(ServicePhase.QUARANTINED);
    assertThat(s.quarantinedAt()).isEqualTo(T0.plusSeconds(300));

    clock.advance(Duration.ofHours(5));
    assertThat(t.recordFailure(WEB, "e10", "unhealthy")).isEqualTo(Outcome.IGNORED);
    assertThat(t.recordHealthy(WEB, "h1")).isEqualTo(Outcome.IGNORED);
    assertThat(t.runDue()).isZero();
    assertThat(status(t).phase()).isEqualTo(ServicePhase.QUARANTINED);
    assertThat(ran).hasSize(4);

    assertThat(t.reset(WEB)).isTrue();
    assertThat(status(t).phase()).isEqualTo(ServicePhase.OK);
    assertThat(status(t).failures()).isZero();
    assertThat(t.recordFailure(WEB, "e11", "unhealthy")).isEqualTo(Outcome.COUNTED);
  }

  @Test
  void resetOfAnUnknownServiceSaysSo() {
    assertThat(tracker().reset(WEB)).isFalse();
  }

  @Test
  void windowedCountingForgetsFailuresOlderThanTheWindow() {
    FailureTracker t = tracker(RemediationPolicy.builder().window(Duration.ofMinutes(10)).build());
    t.recordFailure(WEB, "e1", "unhealthy");
    clock.advance(Duration.ofMinutes(6));
    t.recordFailure(WEB, "e2", "unhealthy");
    clock.advance(Duration.ofMinutes(6));
    assertThat(status(t).failures()).isEqualTo(1);
    assertThat(t.recordFailure(WEB, "e3", "unhealthy")).isEqualTo(Outcome.COUNTED);
    assertThat(status(t).failures()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(1));
    assertThat(t.recordFailure(WEB, "e4", "unhealthy")).isEqualTo(Outcome.REMEDIATED);
  }

  @Test
  void consecutiveCountingKeepsOldFailuresUntilAStablePeriod() {
    FailureTracker t = tracker();
    t.recordFailure(WEB, "e1", "unhealthy");
    clock.advance(Duration.ofHours(3));
    t.recordFailure(WEB, "e2", "unhealthy");
    assertThat(status(t).failures()).isEqualTo(2);
  }

  @Test
  void aServiceHealthyForTheStablePeriodHasItsCountReset() {
    FailureTracker t = tracker();
    t.recordFailure(WEB, "e1", "unhealthy");
    t.recordFailure(WEB, "e2", "unhealthy");
    clock.advance(Duration.ofSeconds(30));
    assertThat(t.recordHealthy(WEB, "h1")).isEqualTo(Outcome.RECORDED);
    assertThat(status(t).stableResetAt()).isEqualTo(T0.plusSeconds(30 + 300));

    clock.advance(Duration.ofSeconds(299));
    assertThat(t.runDue()).isZero();
    assertThat(status(t).failures()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    assertThat(t.runDue()).isEqualTo(1);
    assertThat(status(t).failures()).isZero();
    assertThat(status(t).phase()).isEqualTo(ServicePhase.OK);
    assertThat(status(t).stableResetAt()).isNull();
  }

  @Test
  void aFailureBeforeTheStablePeriodEndsKeepsTheCount() {
    FailureTracker t = tracker();
    t.recordFailure(WEB, "e1", "unhealthy");
    t.recordHealthy(WEB, "h1");
    clock.advance(Duration.ofSeconds(200));
    t.recordFailure(WEB, "e2", "unhealthy");
    clock.advance(Duration.ofSeconds(200));
    t.runDue();
    assertThat(status(t).failures()).isEqualTo(2);
    assertThat(status(t).stableResetAt()).isNull();
  }

  @Test
  void aFlappingServiceIsRemediatedBelowTheThreshold() {
    FailureTracker t = tracker(RemediationPolicy.builder().threshold(10).flapping(3, Duration.ofMinutes(10)).build());
    for (int i = 0; i < 3; i++) {
      assertThat(t.recordFailure(WEB, "f" + i, "unhealthy")).isEqualTo(Outcome.COUNTED);
      clock.advance(Duration.ofSeconds(30));
      t.recordHealthy(WEB, "h" + i);
      clock.advance(Duration.ofSeconds(30));
    }
    assertThat(status(t).flapping()).isTrue();
    assertThat(t.recordFailure(WEB, "f3", "unhealthy")).isEqualTo(Outcome.REMEDIATED);
    assertThat(contexts.get(0).reason()).isEqualTo("flapping");
    assertThat(contexts.get(0).failures()).isEqualTo(4);
  }

  @Test
  void recoveriesOutsideTheFlappingWindowDoNotCount() {
    FailureTracker t = tracker(RemediationPolicy.builder().threshold(10).flapping(3, Duration.ofMinutes(10)).build());
    for (int i = 0; i < 3; i++) {
      t.recordFailure(WEB, "f" + i, "unhealthy");
      t.recordHealthy(WEB, "h" + i);
      clock.advance(Duration.ofMinutes(4));
    }
    assertThat(status(t).flapping()).isFalse();
    assertThat(t.recordFailure(WEB, "f3", "unhealthy")).isEqualTo(Outcome.COUNTED);
  }

  @Test
  void retriesWaitForABackoffThatGrowsUpToItsCapThenQuarantine() {
    FailureTracker t = tracker(RemediationPolicy.builder()
        .threshold(1).cooldown(Duration.ofSeconds(10)).maxAttempts(4)
        .backoff(Duration.ofMinutes(1), 3.0, Duration.ofMinutes(5)).build());
    healthy.set(false);
    assertThat(t.recordFailure(WEB, "e1", "unhealthy")).isEqualTo(Outcome.REMEDIATED);
    Instant first = clock.instant();

    clock.advance(Duration.ofSeconds(10));
    t.runDue();
    assertThat(status(t).phase()).isEqualTo(ServicePhase.FAILING);
    assertThat(status(t).remediationDueAt()).isEqualTo(first.plus(Duration.ofMinutes(1)));
    assertThat(t.recordFailure(WEB, "e2", "unhealthy")).isEqualTo(Outcome.DEFERRED);

    clock.advance(Duration.ofSeconds(49));
    assertThat(t.runDue()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(t.runDue()).isEqualTo(1);
    assertThat(contexts.get(contexts.size() - 1)).extracting(RemediationContext::attempt, RemediationContext::reason)
        .containsExactly(2, "retry");
    Instant second = clock.instant();

    clock.advance(Duration.ofSeconds(10));
    t.runDue();
    assertThat(status(t).remediationDueAt()).isEqualTo(second.plus(Duration.ofMinutes(3)));
    clock.advance(Duration.ofMinutes(3));
    t.runDue();
    Instant third = clock.instant();

    clock.advance(Duration.ofSeconds(10));
    t.runDue();
    assertThat(status(t).remediationDueAt()).as("9 min capped at 5").isEqualTo(third.plus(Duration.ofMinutes(5)));
    clock.advance(Duration.ofMinutes(5));
    t.runDue();
    assertThat(status(t).attempts()).isEqualTo(4);

    clock.advance(Duration.ofSeconds(10));
    t.runDue();
    assertThat(status(t).phase()).isEqualTo(ServicePhase.QUARANTINED);
    assertThat(ran.stream().filter("reset"::equals).count()).isEqualTo(4);
    assertThat(ran).endsWith("stop", "final");
  }

  @Test
  void aSecondCrossingSoonAfterASuccessWaitsForBackoff() {
    FailureTracker t = tracker(RemediationPolicy.builder()
        .threshold(1).cooldown(Duration.ofSeconds(10)).maxAttempts(2).stablePeriod(Duration.ofHours(1))
        .backoff(Duration.ofMinutes(2), 2.0, Duration.ofMinutes(30)).build());
    t.recordFailure(WEB, "e1", "unhealthy");
    clock.advance(Duration.ofSeconds(10));
    t.runDue();
    assertThat(status(t).phase()).isEqualTo(ServicePhase.OK);
    clock.advance(Duration.ofSeconds(20));
    assertThat(t.recordFailure(WEB, "e2", "unhealthy")).isEqualTo(Outcome.DEFERRED);
    assertThat(status(t).remediationDueAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
  }

  private static RemediationAction failing(String name, String message) {
    return new RemediationAction() {
      @Override
      public void run(RemediationContext context) {
        throw new IllegalStateException(message);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  @Test
  void aFailedStepFailsTheRemediationSkipsTheRestAndNeverAnnouncesARecovery() {
    RemediationLadder ladder = RemediationLadder.builder()
        .step(named("alert"))
        .step(failing("compose-reset", "Cannot run program \"docker-compose\": error=2, No such file or directory"))
        .step(named("after-reset"))
        .verify(service -> true)
        .onGiveUp(named("stop"))
        .onGiveUp(named("final"))
        .onRecovered(named("recovered"))
        .build();
    FailureTracker t = FailureTracker.builder(store, ladder).clock(clock).build();
    crossThreshold(t);

    // The probe would say healthy, but the reset never ran: no cooldown, no success.
    assertThat(ran).containsExactly("alert", "stop", "final");
    assertThat(status(t).phase()).isEqualTo(ServicePhase.QUARANTINED);
    assertThat(status(t).stepErrors())
        .containsExactly("compose-reset: Cannot run program \"docker-compose\": error=2, No such file or directory");
    clock.advance(Duration.ofMinutes(30));
    t.runDue();
    assertThat(ran).doesNotContain("recovered", "after-reset");
  }

  @Test
  void aFailedStepWithAttemptsLeftRetriesAfterTheBackoff() {
    RemediationLadder ladder = RemediationLadder.builder()
        .step(failing("compose-reset", "exited with 1"))
        .verify(service -> true)
        .onGiveUp(named("final"))
        .onRecovered(named("recovered"))
        .build();
    FailureTracker t = FailureTracker.builder(store, ladder).clock(clock)
        .policy(RemediationPolicy.builder().maxAttempts(2).backoff(Duration.ofMinutes(1), 2.0, Duration.ofHours(1)).build())
        .build();
    Instant crossed = clock.instant();
    crossThreshold(t);

    assertThat(status(t).phase()).isEqualTo(ServicePhase.FAILING);
    assertThat(status(t).remediationDueAt()).isEqualTo(crossed.plus(Duration.ofMinutes(1)));
    clock.advance(Duration.ofMinutes(1));
    t.runDue();
    assertThat(status(t).attempts()).isEqualTo(2);
    assertThat(status(t).phase()).isEqualTo(ServicePhase.QUARANTINED);
    assertThat(ran).containsExactly("final");
  }

  @Test
  void aBestEffortStepMayFailWithoutFailingTheRemediation() {
    RemediationLadder ladder = RemediationLadder.builder()
        .bestEffortStep(failing("archive-logs", "No space left on device"))
        .step(named("reset"))
        .verify(service -> true)
        .onRecovered(named("recovered"))
        .build();
    FailureTracker t = FailureTracker.builder(store, ladder).clock(clock).build();
    crossThreshold(t);
    assertThat(ran).containsExactly("reset");
    assertThat(status(t).phase()).isEqualTo(ServicePhase.COOLDOWN);
    assertThat(status(t).stepErrors()).containsExactly("archive-logs: No space left on device");
    clock.advance(RemediationPolicy.ofDefaults().cooldown());
    t.runDue();
    assertThat(ran).containsExactly("reset", "recovered");
  }

  @Test
  void aNewTrackerOverTheSameStoreKeepsTheCountAndTheTimers() {
    FailureTracker before = tracker();
    before.recordFailure(WEB, "e1", "unhealthy");
    before.recordFailure(WEB, "e2", "unhealthy");

    FailureTracker after = tracker();
    assertThat(status(after).failures()).isEqualTo(2);
    assertThat(after.recordFailure(WEB, "e2", "unhealthy")).as("ids survive too").isEqualTo(Outcome.DUPLICATE);
    assertThat(after.recordFailure(WEB, "e3", "unhealthy")).isEqualTo(Outcome.REMEDIATED);

    FailureTracker third = tracker();
    clock.advance(Duration.ofSeconds(300));
    assertThat(third.runDue()).isEqualTo(1);
    assertThat(status(third).phase()).isEqualTo(ServicePhase.OK);
  }

  @Test
  void anotherProcessTakesOverARemediationWhoseLeaseExpired() {
    RemediationLadder dying = RemediationLadder.builder()
        .step(context -> {
          throw new ProcessDied();
        })
        .verify(service -> true)
        .build();
    FailureTracker crashed = FailureTracker.builder(store, dying).clock(clock).build();
    crashed.recordFailure(WEB, "e1", "unhealthy");
    crashed.recordFailure(WEB, "e2", "unhealthy");
    assertThatThrownBy(() -> crashed.recordFailure(WEB, "e3", "unhealthy")).isInstanceOf(ProcessDied.class);

    FailureTracker survivor = tracker();
    assertThat(status(survivor).phase()).isEqualTo(ServicePhase.REMEDIATING);
    assertThat(status(survivor).leaseExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(survivor.runDue()).isZero();
    clock.advance(Duration.ofMinutes(10));
    assertThat(survivor.runDue()).isEqualTo(1);
    assertThat(status(survivor).phase()).isEqualTo(ServicePhase.OK);
    assertThat(ran).containsExactly("recovered");
  }

  @Test
  void twoTrackersSharingAStoreRemediateOneCrossingOnce() throws Exception {
    FailureTracker a = tracker(RemediationPolicy.builder().threshold(5).build());
    FailureTracker b = tracker(RemediationPolicy.builder().threshold(5).build());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Outcome>> outcomes = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        FailureTracker t = i % 2 == 0 ? a : b;
        String id = "e" + (i % 20);
        outcomes.add(pool.submit(() -> {
          go.await();
          return t.recordFailure(WEB, id, "unhealthy");
        }));
      }
      go.countDown();
      int remediated = 0;
      int duplicates = 0;
      for (Future<Outcome> f : outcomes) {
        Outcome o = f.get(10, TimeUnit.SECONDS);
        remediated += o == Outcome.REMEDIATED ? 1 : 0;
        duplicates += o == Outcome.DUPLICATE ? 1 : 0;
      }
      assertThat(remediated).isEqualTo(1);
      assertThat(duplicates).isEqualTo(20);
      assertThat(ran).containsExactly("alert", "reset");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoTrackersSharingAStoreVerifyOneCooldownOnce() {
    FailureTracker a = tracker();
    FailureTracker b = tracker();
    crossThreshold(a);
    healthy.set(false);
    clock.advance(Duration.ofSeconds(300));
    assertThat(a.runDue() + b.runDue()).isEqualTo(1);
    assertThat(ran).containsExactly("alert", "reset", "stop", "final");
  }

  @Test
  void siblingServicesFailingWhileTheirStackIsRemediatedAreNotCounted() {
    FailureTracker t = tracker();
    ServiceKey db = ServiceKey.of("shop", "db");
    ServiceKey otherDb = ServiceKey.of("blog", "db");
    crossThreshold(t);
    assertThat(t.recordFailure(db, "db-died", "died")).isEqualTo(Outcome.IGNORED);
    assertThat(t.recordFailure(otherDb, "blog-db-died", "died")).isEqualTo(Outcome.COUNTED);
    assertThat(status(t).phase()).isEqualTo(ServicePhase.COOLDOWN);
    assertThat(t.status(db).orElseThrow().failures()).isZero();

    clock.advance(Duration.ofSeconds(300));
    t.runDue();
    assertThat(t.recordFailure(db, "db-died-later", "died")).isEqualTo(Outcome.COUNTED);
  }

  private void crossThreshold(FailureTracker t) {
    t.recordFailure(WEB, "c1", "unhealthy");
    t.recordFailure(WEB, "c2", "unhealthy");
    assertThat(t.recordFailure(WEB, "c3", "unhealthy")).isEqualTo(Outcome.REMEDIATED);
  }

  /** Stands for a process that dies in the middle of a step. */
  private static final class ProcessDied extends Error {
    private static final long serialVersionUID = 1L;
  }
}
