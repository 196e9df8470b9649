package dev.hooks.deploy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a service runs as a Docker Swarm service: each deployment is a {@code service update} to
 * the new image, with the update configuration order start-first (the old task serves until
 * the new one is running and healthy), failure action rollback and a monitor period, and the
 * same order and monitor for the rollback configuration. The service's port is published in
 * host mode (the routing mesh is not used). Immutable and thread-safe.
 *
 * <p>Swarm never places two tasks holding one host-mode port on one node, so on a single node a
 * fixed {@link Builder#publishedPort(int)} cannot be updated start-first: with a fixed port the
 * default order is stop-first; without one the Engine chooses each task's host port.
 *
 * <pre>{@code
 * SwarmOptions swarm = SwarmOptions.builder().monitor(Duration.ofSeconds(5)).build();
 * }</pre>
 */
public final class SwarmOptions {
  /** The order of old and new tasks in an update or rollback. */
  public enum Order {
    /** The new task starts, and must be running (healthy, with a HEALTHCHECK) before the old one stops. */
    START_FIRST,
    /** The old task stops before the new one starts. */
    STOP_FIRST
  }

  private final @Nullable String serviceName;
  private final int publishedPort;
  private final int replicas;
  private final Order order;
  private final Duration monitor;

  private SwarmOptions(Builder b) {
    this.serviceName = b.serviceName;
    this.publishedPort = b.publishedPort;
    this.replicas = b.replicas;
    this.order = b.order != null ? b.order : (b.publishedPort > 0 ? Order.STOP_FIRST : Order.START_FIRST);
    this.monitor = b.monitor;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The swarm service's name; empty: the deployed service's name. */
  public Optional<String> serviceName() {
    return Optional.ofNullable(serviceName);
  }

  /** The host port the service's port is published on in host mode; 0: chosen by the Engine per task. */
  public int publishedPort() {
    return publishedPort;
  }

  public int replicas() {
    return replicas;
  }

  /** The update and rollback order. */
  public Order order() {
    return order;
  }

  /** How long a new task must keep running before the update counts as done (and a failure still rolls back). */
  public Duration monitor() {
    return monitor;
  }

  @Override
  public String toString() {
    return "SwarmOptions[" + serviceName + ", port " + publishedPort + ", " + replicas + " replicas, " + order + ", monitor " + monitor + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private @Nullable String serviceName;
    private int publishedPort;
    private int replicas = 1;
    private @Nullable Order order;
    private Duration monitor = Duration.ofSeconds(5);

    private Builder() {}

    public Builder serviceName(@Nullable String name) {
      this.serviceName = name == null || name.isBlank() ? null : name.strip();
      return this;
    }

    /**
     * @throws IllegalArgumentException if not 0..65535
     */
    public Builder publishedPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("the published port must be 0..65535 (0: chosen by the Engine), got " + port);
      }
      this.publishedPort = port;
      return this;
    }

    /**
     * @throws IllegalArgumentException if less than 1
     */
    public Builder replicas(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("replicas must be at least 1, got " + n);
      }
      this.replicas = n;
      return this;
    }

    public Builder order(Order order) {
      this.order = Objects.requireNonNull(order, "order");
      return this;
    }

    /**
     * @throws IllegalArgumentException if not positive
     */
    public Builder monitor(Duration monitor) {
      if (monitor.isZero() || monitor.isNegative()) {
        throw new IllegalArgumentException("the monitor period must be positive, got " + monitor);
      }
      this.monitor = monitor;
      return this;
    }

    public SwarmOptions build() {
      return new SwarmOptions(this);
    }
  }
}
