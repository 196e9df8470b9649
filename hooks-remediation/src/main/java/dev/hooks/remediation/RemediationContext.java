package dev.hooks.remediation;

import java.time.Instant;

/**
 * What a {@link RemediationAction} is run for.
 *
 * @param service the compose service that crossed the threshold
 * @param failures the failures counted when the remediation started
 * @param attempt this remediation's number in a row (1 for the first since the service was
 *     last stable)
 * @param incident a number that rises by one per remediation of the service; with the service
 *     it identifies one threshold crossing
 * @param reason why the ladder runs: {@code threshold}, {@code flapping}, {@code retry}
 * @param at when the remediation (or, for the give-up and recovery steps, the verification)
 *     happened
 */
public record RemediationContext(ServiceKey service, int failures, int attempt, long incident, String reason, Instant at) {}
