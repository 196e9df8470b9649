/**
 * Failure counting per compose service and a remediation ladder: critical alert, log archive,
 * stack reset, cooldown, health verification, and a quarantine instead of an endless restart
 * loop.
 *
 * <p>{@link dev.hooks.remediation.FailureTracker} is the state machine, kept in a
 * {@link dev.hooks.state.StateStore}; {@link dev.hooks.remediation.RemediationService} is the
 * facade the HTTP layer calls; {@link dev.hooks.remediation.RemediationEventHandler} and
 * {@link dev.hooks.remediation.DockerEventsSource} feed it; {@link
 * dev.hooks.remediation.DockerRemediation} and {@link dev.hooks.remediation.RemediationActions}
 * make the ladder's steps; {@link dev.hooks.remediation.AutohealPreset} reads the environment
 * of the autoheal webhook listener it replaces.
 */
@NullMarked
package dev.hooks.remediation;

import org.jspecify.annotations.NullMarked;
