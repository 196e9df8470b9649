package dev.hooks.remediation;

/**
 * Decides after the cooldown whether a remediated service is healthy again. {@link
 * DockerRemediation#healthProbe} checks every container of the compose project.
 *
 * <p>May block; an exception counts as unhealthy.
 */
@FunctionalInterface
public interface HealthProbe {

  boolean healthy(ServiceKey service) throws Exception;
}
