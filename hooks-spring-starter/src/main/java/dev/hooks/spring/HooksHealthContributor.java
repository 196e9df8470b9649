package dev.hooks.spring;

/**
 * A part of the {@code hooks} health component beside the journal and the outbox, such as the
 * Docker Engine that remediation acts on. Each bean of this type is asked on every health check.
 * Implementations are thread-safe and answer quickly (a ping, not a scan).
 */
public interface HooksHealthContributor {
  /** The detail's name under the {@code hooks} component, such as {@code docker}. */
  String name();

  /**
   * Checks the part; returning means up.
   *
   * @return the detail shown, such as the Engine's API version
   * @throws Exception when the part is down; its message is not shown
   */
  Object check() throws Exception;
}
