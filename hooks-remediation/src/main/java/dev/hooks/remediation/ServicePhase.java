package dev.hooks.remediation;

/** Where a service is on the remediation ladder. */
public enum ServicePhase {
  /** No failure counted since the last reset. */
  OK,
  /** Failures counted, below the threshold, or a remediation waiting for its backoff. */
  FAILING,
  /** One process holds the remediation lease and runs the ladder's steps. */
  REMEDIATING,
  /** The stack was reset; the health check is due when the cooldown ends. */
  COOLDOWN,
  /** One process holds the lease and checks whether the stack is healthy again. */
  VERIFYING,
  /** Remediation failed: the service was stopped and stays so until an admin reset. */
  QUARANTINED
}
