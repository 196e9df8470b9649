package dev.hooks.remediation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Counts the steps of a remediation ladder in a {@link MeterRegistry}: {@code
 * hooks_remediation_steps_total{step, outcome}} in the Prometheus text, {@code outcome} being
 * {@code ok} or {@code failed}, {@code step} the action's {@link RemediationAction#name()} (the
 * health probe is step {@code verify}: {@code ok} when healthy). The metered ladder runs the same
 * steps in the same order, keeps which are best effort, and lets every failure through unchanged.
 *
 * <pre>{@code
 * RemediationLadder ladder = RemediationMeters.metered(preset.ladder(docker, alerts), server.meterRegistry());
 * }</pre>
 */
public final class RemediationMeters {
  /** The meter's name; Prometheus shows it as {@code hooks_remediation_steps_total}. */
  public static final String STEPS = "hooks.remediation.steps";

  private RemediationMeters() {}

  /**
   * @throws NullPointerException if an argument is null
   */
  public static RemediationLadder metered(RemediationLadder ladder, MeterRegistry registry) {
    Objects.requireNonNull(ladder, "ladder");
    Objects.requireNonNull(registry, "registry");
    RemediationLadder.Builder b = RemediationLadder.builder();
    for (RemediationAction step : ladder.steps()) {
      if (ladder.isBestEffort(step)) {
        b.bestEffortStep(metered(step, registry));
      } else {
        b.step(metered(step, registry));
      }
    }
    HealthProbe probe = ladder.probe();
    Counter healthy = counter(registry, "verify", "ok");
    Counter unhealthy = counter(registry, "verify", "failed");
    b.verify(service -> {
      boolean ok;
      try {
        ok = probe.healthy(service);
      } catch (Exception e) {
        unhealthy.increment();
        throw e;
      }
      (ok ? healthy : unhealthy).increment();
      return ok;
    });
    ladder.giveUp().forEach(a -> b.onGiveUp(metered(a, registry)));
    ladder.recovered().forEach(a -> b.onRecovered(metered(a, registry)));
    return b.build();
  }

  private static RemediationAction metered(RemediationAction action, MeterRegistry registry) {
    String name = action.name();
    Counter ok = counter(registry, name, "ok");
    Counter failed = counter(registry, name, "failed");
    return new RemediationAction() {
      @Override
      public void run(RemediationContext context) throws Exception {
        try {
          action.run(context);
        } catch (Exception | Error e) {
          failed.increment();
          throw e;
        }
        ok.increment();
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  private static Counter counter(MeterRegistry registry, String step, String outcome) {
    return Counter.builder(STEPS).tag("step", step).tag("outcome", outcome)
        .description("remediation steps run, by step and outcome").register(registry);
  }
}
