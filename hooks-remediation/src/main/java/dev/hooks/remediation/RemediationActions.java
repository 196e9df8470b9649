package dev.hooks.remediation;

import java.util.Objects;

/**
 * Ladder steps that send {@link RemediationAlerts}. The Docker steps are in {@link
 * DockerRemediation}. Thread-safe.
 *
 * <pre>{@code
 * RemediationLadder.builder().step(RemediationActions.criticalAlert(alerts, "vps-1"))...
 * }</pre>
 */
public final class RemediationActions {
  private RemediationActions() {}

  /** Sends {@link RemediationAlerts#critical} with the failures that crossed the threshold. */
  public static RemediationAction criticalAlert(RemediationAlerts alerts, String host) {
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(host, "host");
    return named("critical-alert", ctx -> alerts.critical(ctx, host));
  }

  /** Sends {@link RemediationAlerts#finalStop}; put it on the give-up steps. */
  public static RemediationAction finalAlert(RemediationAlerts alerts, String host) {
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(host, "host");
    return named("final-alert", ctx -> alerts.finalStop(ctx, host));
  }

  /** Sends {@link RemediationAlerts#recovered}; put it on the recovered steps. */
  public static RemediationAction recoveredAlert(RemediationAlerts alerts, String host) {
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(host, "host");
    return named("recovered-alert", ctx -> alerts.recovered(ctx, host));
  }

  /** Gives {@code action} a name for logs and the status page. */
  public static RemediationAction named(String name, RemediationAction action) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(action, "action");
    return new RemediationAction() {
      @Override
      public void run(RemediationContext context) throws Exception {
        action.run(context);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
