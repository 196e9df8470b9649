package dev.hooks.remediation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The configurable steps of a remediation: what runs when a service crosses its threshold
 * (typically critical alert, archive logs, reset the stack), how health is verified after the
 * cooldown, what runs when verification fails for the last time (stop the service, final
 * alert) and when it succeeds (recovered alert).
 *
 * <p>The steps run in order and each must succeed: the first that throws fails the
 * remediation, the steps after it are skipped, the failure is logged with its reason and kept in
 * the service's {@code stepErrors}, and the remediation ends as a failed health check does
 * (another attempt after the backoff, or the give-up steps and quarantine), never with the
 * recovered steps. A {@linkplain Builder#bestEffortStep best-effort step} (such as archiving the
 * logs) may fail without failing the remediation; its error is recorded all the same.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * RemediationLadder ladder = RemediationLadder.builder()
 *     .step(RemediationActions.criticalAlert(alerts, host))
 *     .step(DockerRemediation.archiveLogs(docker, archives, 10))
 *     .step(DockerRemediation.composeReset(Path.of("/host/docker-compose.yml")))
 *     .verify(DockerRemediation.healthProbe(docker))
 *     .onGiveUp(DockerRemediation.stopService(docker))
 *     .onGiveUp(RemediationActions.finalAlert(alerts, host))
 *     .build();
 * }</pre>
 */
public final class RemediationLadder {
  private final List<RemediationAction> steps;
  private final Set<RemediationAction> bestEffort;
  private final HealthProbe probe;
  private final List<RemediationAction> giveUp;
  private final List<RemediationAction> recovered;

  private RemediationLadder(Builder b) {
    this.steps = List.copyOf(b.steps);
    Set<RemediationAction> optional = Collections.newSetFromMap(new IdentityHashMap<>());
    optional.addAll(b.bestEffort);
    this.bestEffort = Collections.unmodifiableSet(optional);
    this.probe = Objects.requireNonNull(b.probe, "verify(probe) is required");
    this.giveUp = List.copyOf(b.giveUp);
    this.recovered = List.copyOf(b.recovered);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Run in order when a service crosses its threshold. */
  public List<RemediationAction> steps() {
    return steps;
  }

  /** Whether {@code step}, one of {@link #steps()}, may fail without failing the remediation. */
  public boolean isBestEffort(RemediationAction step) {
    return bestEffort.contains(step);
  }

  /** Asked when the cooldown ends. */
  public HealthProbe probe() {
    return probe;
  }

  /** Run in order when the last verification fails, before the service is quarantined. */
  public List<RemediationAction> giveUp() {
    return giveUp;
  }

  /** Run in order when a verification succeeds. */
  public List<RemediationAction> recovered() {
    return recovered;
  }

  /** Collects the steps; not thread-safe. */
  public static final class Builder {
    private final List<RemediationAction> steps = new ArrayList<>();
    private final List<RemediationAction> bestEffort = new ArrayList<>();
    private @Nullable HealthProbe probe;
    private final List<RemediationAction> giveUp = new ArrayList<>();
    private final List<RemediationAction> recovered = new ArrayList<>();

    private Builder() {}

    /** A step that must succeed: if it throws, the remediation has failed. */
    public Builder step(RemediationAction action) {
      steps.add(Objects.requireNonNull(action, "action"));
      return this;
    }

    /** A step whose failure is recorded but does not fail the remediation, such as archiving logs. */
    public Builder bestEffortStep(RemediationAction action) {
      steps.add(Objects.requireNonNull(action, "action"));
      bestEffort.add(action);
      return this;
    }

    public Builder verify(HealthProbe probe) {
      this.probe = Objects.requireNonNull(probe, "probe");
      return this;
    }

    public Builder onGiveUp(RemediationAction action) {
      giveUp.add(Objects.requireNonNull(action, "action"));
      return this;
    }

    public Builder onRecovered(RemediationAction action) {
      recovered.add(Objects.requireNonNull(action, "action"));
      return this;
    }

    /**
     * @throws NullPointerException if no health probe was set
     */
    public RemediationLadder build() {
      return new RemediationLadder(this);
    }
  }
}
