package dev.hooks.remediation;

import java.util.Optional;

/**
 * Finds the compose service of a container from its name, for inputs that only name the
 * container (autoheal webhooks). {@link DockerRemediation#serviceResolver} asks the Engine.
 * Thread-safe implementations only.
 */
@FunctionalInterface
public interface ServiceResolver {

  /** The service the container belongs to; empty if unknown or not a compose container. */
  Optional<ServiceKey> resolve(String containerName);
}
