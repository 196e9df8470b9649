package dev.hooks.remediation;

/**
 * One step of the remediation ladder: alert, archive logs, reset the stack, stop a service.
 *
 * <p>Called on the thread that made the decision (a dispatcher thread, the Docker events
 * thread or the tracker's timer); may block. A step that throws is logged and recorded in the
 * service's status and the ladder goes on: the health check after the cooldown decides.
 * Exactly one process runs the ladder for one threshold crossing.
 *
 * <pre>{@code
 * RemediationAction page = ctx -> pager.page(ctx.service() + " failed " + ctx.failures() + " times");
 * }</pre>
 */
@FunctionalInterface
public interface RemediationAction {

  void run(RemediationContext context) throws Exception;

  /** A short name for logs and the status page. */
  default String name() {
    return getClass().getSimpleName();
  }
}
