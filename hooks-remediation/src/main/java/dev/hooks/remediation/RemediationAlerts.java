package dev.hooks.remediation;

/**
 * Tells people what the remediation ladder does: the critical alert when a service crosses its
 * threshold, the final alert when remediation failed and the service was stopped, and the
 * recovery when a remediated stack is healthy again. {@link DiscordRemediationAlerts} sends
 * them as Discord embeds; {@link RemediationActions} turns them into ladder steps.
 *
 * <p>Implementations must be thread-safe; they may block; a thrown exception fails the step,
 * and a failed critical alert fails the remediation (see {@link RemediationLadder}). The ladder's
 * steps call the variants taking a {@link RemediationContext}, which default to the others; an
 * implementation that queues its messages (as {@link DiscordRemediationAlerts} with an outbox
 * does) overrides them to key each message by the incident, so that a step run twice sends once.
 *
 * <pre>{@code
 * RemediationAlerts log = new RemediationAlerts() {
 *   public void critical(String service, int failures, String host) { LOG.error("{} failing", service); }
 *   public void finalStop(String service, int attempts, String host) { LOG.error("{} stopped", service); }
 * };
 * }</pre>
 */
public interface RemediationAlerts {

  /**
   * @param service the service, as {@code project/service}
   * @param failures the failures that crossed the threshold
   * @param host the machine the stack runs on
   */
  void critical(String service, int failures, String host) throws Exception;

  /**
   * The final alert: remediation failed, the service is stopped and quarantined.
   *
   * @param service the service, as {@code project/service}
   * @param attempts the failures counted when the last remediation started
   * @param host the machine the stack runs on
   */
  void finalStop(String service, int attempts, String host) throws Exception;

  /**
   * The remediated stack is healthy again. Does nothing unless overridden.
   *
   * @param service the service, as {@code project/service}
   * @param incident the number of the remediation that succeeded
   * @param host the machine the stack runs on
   */
  default void recovered(String service, long incident, String host) throws Exception {}

  /** The critical alert of the remediation {@code context} describes; by default {@link #critical(String, int, String)}. */
  default void critical(RemediationContext context, String host) throws Exception {
    critical(context.service().toString(), context.failures(), host);
  }

  /** The final alert of the remediation {@code context} describes; by default {@link #finalStop(String, int, String)}. */
  default void finalStop(RemediationContext context, String host) throws Exception {
    finalStop(context.service().toString(), context.failures(), host);
  }

  /** The recovery after the remediation {@code context} describes; by default {@link #recovered(String, long, String)}. */
  default void recovered(RemediationContext context, String host) throws Exception {
    recovered(context.service().toString(), context.incident(), host);
  }
}
