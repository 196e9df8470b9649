package dev.hooks.remediation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One service's remediation state at a moment, as {@code GET /status} shows it. A plain value.
 *
 * @param service the compose service
 * @param phase where it is on the ladder
 * @param failures the failures that count toward the threshold now (consecutive, or in the
 *     window)
 * @param threshold the failures that start a remediation
 * @param cooldown the time between a reset and its health check
 * @param lastFailureAt the last failure reported, counted or not
 * @param lastFailureReason what the last failure was ({@code unhealthy}, {@code died}...)
 * @param attempts remediations in a row since the service was last stable
 * @param incident the number of the last remediation of this service (0: none yet)
 * @param flapping whether recent recoveries reached the flapping limit
 * @param remediationDueAt when a remediation held back by backoff will start
 * @param verifyDueAt when the health check after a reset is due
 * @param stableResetAt when the count resets if the service stays healthy
 * @param leaseExpiresAt when another process may take over a running remediation or check
 * @param quarantinedAt when the service was quarantined
 * @param stepErrors the steps that failed during the last remediation, as {@code name: message}
 */
public record ServiceStatus(
    ServiceKey service,
    ServicePhase phase,
    int failures,
    int threshold,
    Duration cooldown,
    @Nullable Instant lastFailureAt,
    @Nullable String lastFailureReason,
    int attempts,
    long incident,
    boolean flapping,
    @Nullable Instant remediationDueAt,
    @Nullable Instant verifyDueAt,
    @Nullable Instant stableResetAt,
    @Nullable Instant leaseExpiresAt,
    @Nullable Instant quarantinedAt,
    List<String> stepErrors) {

  public ServiceStatus {
    stepErrors = List.copyOf(stepErrors);
  }
}
