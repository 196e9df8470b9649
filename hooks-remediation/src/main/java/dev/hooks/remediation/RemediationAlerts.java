package dev.hooks.remediation;

/**
 * Tells people what the remediation ladder does: the critical alert when a service crosses its
 * threshold, the final alert when remediation failed and the service was stopped, and the
 * recovery when a remediated stack is healthy again. {@link DiscordRemediationAlerts} sends
 * them as Discord embeds; {@link RemediationActions} turns them into ladder steps.
 *
 * <p>Implementations must be thread-safe; they may block; a thrown exception is recorded as a
 * failed step and does not stop the ladder.
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
}
