package dev.hooks.remediation;

import dev.hooks.HooksException;
import dev.hooks.remediation.internal.FailureRecord;
import dev.hooks.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure-counting state machine, one per compose service, kept in a {@link StateStore}.
 *
 * <p>A failure counts toward the {@linkplain RemediationPolicy#threshold() threshold}; crossing
 * it (or failing while {@linkplain RemediationPolicy#flapThreshold() flapping}) starts the
 * {@link RemediationLadder}: its steps run, then after the cooldown the health probe decides:
 * healthy resets the count; unhealthy retries (with backoff) until {@linkplain
 * RemediationPolicy#maxAttempts() max attempts}, then runs the give-up steps and leaves the
 * service {@link ServicePhase#QUARANTINED} until {@link #reset(ServiceKey)}. A service healthy
 * for the stable period has its count reset.
 *
 * <p>The ladder acts on the whole compose stack, so while one service of a project is being
 * remediated or cooling down, failures of its sibling services are not counted either.
 *
 * <p>Every transition is a compare-and-set on the store, so processes sharing one store never
 * remediate one threshold crossing twice, and events are counted once by id however often they
 * are delivered. Time comes from the injected {@link Clock} only; timers (cooldown end, backoff,
 * stable period, leases) are instants in the store, acted on by {@link #runDue()}, so a new
 * tracker over the same store picks them up after a restart.
 *
 * <p>Thread-safe. The ladder runs on the calling thread.
 *
 * <pre>{@code
 * FailureTracker tracker = FailureTracker.builder(store, ladder)
 *     .policy(RemediationPolicy.builder().threshold(3).build())
 *     .clock(Clock.systemUTC())
 *     .build();
 * tracker.recordFailure(ServiceKey.of("shop", "web"), event.id(), "unhealthy");
 * scheduler.scheduleWithFixedDelay(tracker::runDue, 1, 1, TimeUnit.SECONDS);
 * }</pre>
 */
public final class FailureTracker {
  private static final Logger LOG = LoggerFactory.getLogger(FailureTracker.class);
  private static final int MAX_CAS_ROUNDS = 64;
  private static final int KEPT_FAILURES = 64;

  private final StateStore store;
  private final RemediationLadder ladder;
  private final RemediationPolicy policy;
  private final Clock clock;
  private final String prefix;

  private FailureTracker(Builder b) {
    this.store = b.store;
    this.ladder = b.ladder;
    this.policy = b.policy;
    this.clock = b.clock;
    this.prefix = b.keyPrefix;
  }

  /**
   * @param store where the state lives; share it between processes to share the counts
   * @param ladder the remediation steps
   */
  public static Builder builder(StateStore store, RemediationLadder ladder) {
    return new Builder(store, ladder);
  }

  /** What a reported failure or recovery did. */
  public enum Outcome {
    /** This event id was counted before. */
    DUPLICATE,
    /** Counted, below the threshold. */
    COUNTED,
    /** Threshold reached, but the remediation waits for its backoff. */
    DEFERRED,
    /** Threshold reached: this call ran the ladder's steps. */
    REMEDIATED,
    /** Not counted: a remediation is running or cooling down, or the service is quarantined. */
    IGNORED,
    /** A recovery was recorded. */
    RECORDED
  }

  public RemediationPolicy policy() {
    return policy;
  }

  /**
   * Counts a failure of {@code service}; runs the ladder if it crosses the threshold.
   *
   * @param eventId the id of the event reporting it; a second report with the same id is a
   *     {@link Outcome#DUPLICATE}
   * @param reason what happened ({@code unhealthy}, {@code died}, {@code restarted}...)
   * @throws dev.hooks.HooksException if the state store fails
   */
  public Outcome recordFailure(ServiceKey service, String eventId, String reason) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(reason, "reason");
    Instant now = clock.instant();
    boolean stackBusy = stackBusy(service);
    Outcome[] outcome = {Outcome.IGNORED};
    FailureRecord written = update(service, r -> {
      if (r.seen(eventId)) {
        outcome[0] = Outcome.DUPLICATE;
        return null;
      }
      r.remember(eventId);
      r.lastFailureAt = now;
      r.lastFailureReason = reason;
      switch (r.phase) {
        case OK, FAILING -> {
          if (stackBusy) {
            // The ladder resets the whole stack: a sibling service failing meanwhile is its doing.
            outcome[0] = Outcome.IGNORED;
            return r;
          }
          r.count++;
          r.failures.add(now);
          r.healthySince = null;
          prune(r, now);
          outcome[0] = crossing(r, now);
        }
        default -> outcome[0] = Outcome.IGNORED;
      }
      return r;
    });
    if (outcome[0] == Outcome.REMEDIATED && written != null) {
      LOG.warn("{}: {} failures, remediation #{} ({})", service, written.incidentFailures, written.incident, written.incidentReason);
      runSteps(written);
    } else if (outcome[0] == Outcome.COUNTED) {
      LOG.debug("{}: failure {} ({})", service, effectiveCount(written, now), reason);
    }
    return outcome[0];
  }

  /**
   * Records that {@code service} reported healthy: starts its stable period, and counts a
   * recovery for flapping detection when it was failing.
   *
   * @throws dev.hooks.HooksException if the state store fails
   */
  public Outcome recordHealthy(ServiceKey service, String eventId) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(eventId, "eventId");
    Instant now = clock.instant();
    Outcome[] outcome = {Outcome.IGNORED};
    update(service, r -> {
      outcome[0] = Outcome.IGNORED;
      if (r.seen(eventId)) {
        outcome[0] = Outcome.DUPLICATE;
        return null;
      }
      if ((r.phase != ServicePhase.OK && r.phase != ServicePhase.FAILING) || r.healthySince != null) {
        return null;
      }
      r.remember(eventId);
      r.healthySince = now;
      if (r.phase == ServicePhase.FAILING) {
        r.recoveries.add(now);
        prune(r, now);
      }
      outcome[0] = Outcome.RECORDED;
      return r;
    });
    return outcome[0];
  }

  /**
   * Acts on every timer that is due: starts remediations whose backoff ended, verifies stacks
   * whose cooldown ended, takes over leases of crashed processes, resets the counts of services
   * stable long enough. Call it regularly (every second or so); {@link RemediationService}
   * does.
   *
   * @return the number of services it acted on
   * @throws dev.hooks.HooksException if the state store fails
   */
  public int runDue() {
    int acted = 0;
    for (Map.Entry<String, StateStore.Versioned> e : store.list(prefix).entrySet()) {
      FailureRecord r = FailureRecord.fromJson(e.getValue().value());
      Instant now = clock.instant();
      try {
        if (due(r, now) && act(r.service)) {
          acted++;
        }
      } catch (RuntimeException ex) {
        LOG.warn("{}: due work failed", r.service, ex);
      }
    }
    return acted;
  }

  /**
   * Admin reset: forgets the count and leaves quarantine. A running remediation's late
   * results are then dropped.
   *
   * @return whether the service had state
   * @throws dev.hooks.HooksException if the state store fails
   */
  public boolean reset(ServiceKey service) {
    boolean[] existed = {false};
    update(service, r -> {
      existed[0] = r.phase != ServicePhase.OK || r.count > 0 || r.attempts > 0 || !r.failures.isEmpty() || r.incident > 0;
      FailureRecord fresh = new FailureRecord(r.service);
      fresh.incident = r.incident;
      fresh.seen = r.seen;
      fresh.lastFailureAt = r.lastFailureAt;
      fresh.lastFailureReason = r.lastFailureReason;
      return fresh;
    });
    LOG.info("{}: reset by admin", service);
    return existed[0];
  }

  /** The status of one service; empty if nothing was ever reported for it. */
  public Optional<ServiceStatus> status(ServiceKey service) {
    return store.get(key(service)).map(v -> toStatus(FailureRecord.fromJson(v.value()), clock.instant()));
  }

  /** The status of every service with state, ordered by project and service. */
  public List<ServiceStatus> status() {
    Instant now = clock.instant();
    List<ServiceStatus> out = new ArrayList<>();
    store.list(prefix).values().forEach(v -> out.add(toStatus(FailureRecord.fromJson(v.value()), now)));
    return out;
  }

  // --- transitions -------------------------------------------------------------------------

  /** After counting a failure in OK/FAILING: decide whether it starts a remediation. */
  private Outcome crossing(FailureRecord r, Instant now) {
    boolean flapping = r.recoveries.size() >= policy.flapThreshold();
    boolean over = effectiveCount(r, now) >= policy.threshold();
    if (!flapping && !over) {
      r.phase = ServicePhase.FAILING;
      return Outcome.COUNTED;
    }
    String reason = over ? (r.attempts > 0 ? "retry" : "threshold") : "flapping";
    Instant notBefore = notBefore(r);
    if (now.isBefore(notBefore)) {
      r.phase = ServicePhase.FAILING;
      r.dueAt = notBefore;
      r.incidentReason = reason;
      return Outcome.DEFERRED;
    }
    startRemediation(r, now, reason);
    return Outcome.REMEDIATED;
  }

  private void startRemediation(FailureRecord r, Instant now, String reason) {
    r.incidentFailures = effectiveCount(r, now);
    r.phase = ServicePhase.REMEDIATING;
    r.incident++;
    r.attempts++;
    r.incidentReason = reason;
    r.lastRemediationAt = now;
    r.dueAt = now.plus(policy.lease());
    r.recoveries.clear();
    r.stepErrors = new ArrayList<>();
  }

  private Instant notBefore(FailureRecord r) {
    if (r.attempts == 0 || r.lastRemediationAt == null) {
      return Instant.MIN;
    }
    return r.lastRemediationAt.plus(policy.backoffAfter(r.attempts));
  }

  private boolean due(FailureRecord r, Instant now) {
    if (r.dueAt != null && !now.isBefore(r.dueAt) && r.phase != ServicePhase.OK && r.phase != ServicePhase.QUARANTINED) {
      return true;
    }
    return stableResetAt(r) != null && !now.isBefore(stableResetAt(r));
  }

  /** Re-reads the service and performs the due transition, if it is still due. */
  private boolean act(ServiceKey service) {
    Instant now = clock.instant();
    String[] kind = {""};
    FailureRecord written = update(service, r -> {
      if (!due(r, now)) {
        return null;
      }
      Instant stable = stableResetAt(r);
      if (stable != null && !now.isBefore(stable) && (r.phase == ServicePhase.OK || r.phase == ServicePhase.FAILING)) {
        kind[0] = "stable";
        r.phase = ServicePhase.OK;
        r.count = 0;
        r.failures.clear();
        r.attempts = 0;
        r.dueAt = null;
        return r;
      }
      switch (r.phase) {
        case FAILING -> {
          kind[0] = "remediate";
          startRemediation(r, now, r.incidentReason == null ? "threshold" : r.incidentReason);
        }
        case REMEDIATING, COOLDOWN, VERIFYING -> {
          if (r.phase != ServicePhase.COOLDOWN) {
            LOG.warn("{}: lease of remediation #{} expired in {}; verifying here", r.service, r.incident, r.phase);
          }
          kind[0] = "verify";
          r.phase = ServicePhase.VERIFYING;
          r.dueAt = now.plus(policy.lease());
        }
        default -> {
          return null;
        }
      }
      return r;
    });
    if (written == null) {
      return false;
    }
    switch (kind[0]) {
      case "stable" -> LOG.info("{}: stable for {}, count reset", service, policy.stablePeriod());
      case "remediate" -> {
        LOG.warn("{}: remediation #{} after backoff ({})", service, written.incident, written.incidentReason);
        runSteps(written);
      }
      case "verify" -> verify(written);
      default -> {}
    }
    return true;
  }

  private void runSteps(FailureRecord started) {
    RemediationContext ctx = context(started, started.lastRemediationAt == null ? clock.instant() : started.lastRemediationAt);
    List<String> errors = new ArrayList<>();
    String failedStep = null;
    for (RemediationAction step : ladder.steps()) {
      String error = run(step, ctx);
      if (error == null) {
        continue;
      }
      errors.add(error);
      if (!ladder.isBestEffort(step)) {
        failedStep = error;
        break;
      }
    }
    Instant now = clock.instant();
    if (failedStep != null) {
      LOG.error("{}: remediation #{} failed, step {}", started.service, started.incident, failedStep);
      fail(started.service, started.incident, ServicePhase.REMEDIATING, now, errors, "remediation #" + started.incident + " failed");
      return;
    }
    update(started.service, r -> {
      if (r.phase != ServicePhase.REMEDIATING || r.incident != started.incident) {
        return null;
      }
      r.phase = ServicePhase.COOLDOWN;
      r.dueAt = now.plus(policy.cooldown());
      r.stepErrors = errors;
      return r;
    });
  }

  private void verify(FailureRecord verifying) {
    boolean healthy;
    try {
      healthy = ladder.probe().healthy(verifying.service);
    } catch (Exception e) {
      LOG.warn("{}: health probe failed", verifying.service, e);
      healthy = false;
    }
    Instant now = clock.instant();
    if (!healthy) {
      fail(verifying.service, verifying.incident, ServicePhase.VERIFYING, now, null, "still unhealthy after remediation #" + verifying.incident);
      return;
    }
    FailureRecord written = update(verifying.service, r -> {
      if (r.phase != ServicePhase.VERIFYING || r.incident != verifying.incident) {
        return null;
      }
      r.phase = ServicePhase.OK;
      r.count = 0;
      r.failures.clear();
      r.healthySince = now;
      r.dueAt = null;
      return r;
    });
    if (written == null) {
      return;
    }
    LOG.info("{}: healthy after remediation #{}", written.service, written.incident);
    for (RemediationAction step : ladder.recovered()) {
      run(step, context(written, now));
    }
  }

  /**
   * Ends a remediation that did not heal the service, if it is still in {@code expected}: another
   * attempt after the backoff while attempts remain, else quarantine and the give-up steps.
   *
   * @param errors the step errors to record, or null to keep those recorded
   */
  private void fail(ServiceKey service, long incident, ServicePhase expected, Instant now, @Nullable List<String> errors, String why) {
    ServicePhase[] next = {expected};
    FailureRecord written = update(service, r -> {
      if (r.phase != expected || r.incident != incident) {
        return null;
      }
      if (errors != null) {
        r.stepErrors = new ArrayList<>(errors);
      }
      if (r.attempts < policy.maxAttempts()) {
        r.phase = ServicePhase.FAILING;
        r.incidentReason = "retry";
        Instant notBefore = notBefore(r);
        r.dueAt = now.isBefore(notBefore) ? notBefore : now;
      } else {
        r.phase = ServicePhase.QUARANTINED;
        r.quarantinedAt = now;
        r.dueAt = null;
      }
      next[0] = r.phase;
      return r;
    });
    if (written == null) {
      return;
    }
    if (next[0] == ServicePhase.FAILING) {
      LOG.warn("{}: {}; retry due at {}", service, why, written.dueAt);
      return;
    }
    LOG.error("{}: {}; giving up, quarantined until reset", service, why);
    RemediationContext ctx = context(written, now);
    List<String> giveUpErrors = new ArrayList<>();
    for (RemediationAction step : ladder.giveUp()) {
      String error = run(step, ctx);
      if (error != null) {
        giveUpErrors.add(error);
      }
    }
    if (!giveUpErrors.isEmpty()) {
      update(service, r -> {
        if (r.phase != ServicePhase.QUARANTINED || r.incident != incident) {
          return null;
        }
        r.stepErrors.addAll(giveUpErrors);
        return r;
      });
    }
  }

  private static RemediationContext context(FailureRecord r, Instant at) {
    return new RemediationContext(r.service, r.incidentFailures, r.attempts, r.incident,
        r.incidentReason == null ? "threshold" : r.incidentReason, at);
  }

  /** Runs one step; returns {@code name: reason} if it threw, else null. The log has the whole exception. */
  private static @Nullable String run(RemediationAction action, RemediationContext ctx) {
    try {
      action.run(ctx);
      return null;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("{}: step {} failed", ctx.service(), action.name(), e);
      return action.name() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  // --- derived values ----------------------------------------------------------------------

  /** Whether another service of the same compose project is being remediated or cooling down. */
  private boolean stackBusy(ServiceKey service) {
    for (StateStore.Versioned v : store.list(prefix + service.project() + "/").values()) {
      FailureRecord other = FailureRecord.fromJson(v.value());
      if (!other.service.equals(service) && other.service.project().equals(service.project())
          && (other.phase == ServicePhase.REMEDIATING || other.phase == ServicePhase.COOLDOWN || other.phase == ServicePhase.VERIFYING)) {
        return true;
      }
    }
    return false;
  }

  private void prune(FailureRecord r, Instant now) {
    Duration window = policy.window().orElse(null);
    if (window != null) {
      Instant from = now.minus(window);
      r.failures.removeIf(t -> !t.isAfter(from));
    }
    while (r.failures.size() > KEPT_FAILURES) {
      r.failures.remove(0);
    }
    Instant flapFrom = now.minus(policy.flapWindow());
    r.recoveries.removeIf(t -> !t.isAfter(flapFrom));
  }

  private int effectiveCount(@Nullable FailureRecord r, Instant now) {
    if (r == null) {
      return 0;
    }
    Duration window = policy.window().orElse(null);
    if (window == null) {
      return r.count;
    }
    Instant from = now.minus(window);
    return (int) r.failures.stream().filter(t -> t.isAfter(from)).count();
  }

  private @Nullable Instant stableResetAt(FailureRecord r) {
    boolean somethingToReset = r.count > 0 || r.attempts > 0 || !r.failures.isEmpty();
    if (r.healthySince == null || !somethingToReset || (r.phase != ServicePhase.OK && r.phase != ServicePhase.FAILING)) {
      return null;
    }
    return r.healthySince.plus(policy.stablePeriod());
  }

  private ServiceStatus toStatus(FailureRecord r, Instant now) {
    Instant flapFrom = now.minus(policy.flapWindow());
    boolean flapping = r.recoveries.stream().filter(t -> t.isAfter(flapFrom)).count() >= policy.flapThreshold();
    return new ServiceStatus(
        r.service,
        r.phase,
        effectiveCount(r, now),
        policy.threshold(),
        policy.cooldown(),
        r.lastFailureAt,
        r.lastFailureReason,
        r.attempts,
        r.incident,
        flapping,
        r.phase == ServicePhase.FAILING ? r.dueAt : null,
        r.phase == ServicePhase.COOLDOWN ? r.dueAt : null,
        stableResetAt(r),
        r.phase == ServicePhase.REMEDIATING || r.phase == ServicePhase.VERIFYING ? r.dueAt : null,
        r.phase == ServicePhase.QUARANTINED ? r.quarantinedAt : null,
        r.stepErrors);
  }

  // --- store -------------------------------------------------------------------------------

  private String key(ServiceKey service) {
    return prefix + service.project() + "/" + service.service();
  }

  /**
   * Reads, changes and compare-and-sets one service's record until no other writer interferes.
   * The change returns the record to write, or null to write nothing.
   *
   * @return the record written, or null if the change wrote nothing
   */
  private @Nullable FailureRecord update(ServiceKey service, Function<FailureRecord, @Nullable FailureRecord> change) {
    String key = key(service);
    for (int round = 0; round < MAX_CAS_ROUNDS; round++) {
      Optional<StateStore.Versioned> current = store.get(key);
      FailureRecord r = current.map(v -> FailureRecord.fromJson(v.value())).orElseGet(() -> new FailureRecord(service));
      FailureRecord next = change.apply(r);
      if (next == null) {
        return null;
      }
      OptionalLong written = store.compareAndSet(key, current.map(StateStore.Versioned::version).orElse(0L), next.toJson());
      if (written.isPresent()) {
        return next;
      }
    }
    throw new HooksException("state of " + service + " kept changing under " + MAX_CAS_ROUNDS + " concurrent writers");
  }

  /** Collects a tracker's settings; not thread-safe. */
  public static final class Builder {
    private final StateStore store;
    private final RemediationLadder ladder;
    private RemediationPolicy policy = RemediationPolicy.ofDefaults();
    private Clock clock = Clock.systemUTC();
    private String keyPrefix = "remediation/";

    private Builder(StateStore store, RemediationLadder ladder) {
      this.store = Objects.requireNonNull(store, "store");
      this.ladder = Objects.requireNonNull(ladder, "ladder");
    }

    public Builder policy(RemediationPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The only source of time: tests pass a clock they advance. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Prefix of the state store keys, {@code remediation/} by default. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    public FailureTracker build() {
      return new FailureTracker(this);
    }
  }
}
