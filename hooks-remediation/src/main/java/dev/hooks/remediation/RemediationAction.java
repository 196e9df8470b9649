package dev.hooks.remediation;

/**
 * One step of the remediation ladder: alert, archive logs, reset the stack, stop a service.
 *
 * <p>Called on the thread that made the decision (a dispatcher thread, the Docker events
 * thread or the tracker's timer); may block. A step that throws has failed: it is logged with its
 * reason and recorded in the service's status, and unless it was added as a {@linkplain
 * RemediationLadder.Builder#bestEffortStep best-effort step} it fails the remediation. A step
 * must therefore throw whenever it did not do its work. Exactly one process runs the ladder for
 * one threshold crossing.
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
