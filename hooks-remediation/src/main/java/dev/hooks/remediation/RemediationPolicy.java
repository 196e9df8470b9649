package dev.hooks.remediation;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When a service's failures start the remediation ladder, and how the ladder is paced.
 *
 * <ul>
 *   <li><b>threshold</b> (3): failures that start a remediation. Counting is consecutive (every
 *       failure since the last reset) unless a <b>window</b> is set, then only the failures in
 *       the last window count.
 *   <li><b>cooldown</b> (300 s): time between a stack reset and the health check that decides
 *       success or quarantine; failures reported meanwhile do not count.
 *   <li><b>stable period</b> (5 min): a service healthy that long has its count reset.
 *   <li><b>backoff</b> (1 min doubling, capped at 1 h): the least time between two
 *       remediations of one service while it has not been stable in between.
 *   <li><b>max attempts</b> (1): remediations in a row; a failed health check after the last
 *       one quarantines the service.
 *   <li><b>flapping</b> (4 recoveries in 10 min): a service that keeps recovering and failing
 *       is remediated at its next failure even below the threshold.
 *   <li><b>lease</b> (10 min): how long a process may hold a remediation or a verification
 *       before another process takes over (it crashed).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * RemediationPolicy policy = RemediationPolicy.builder()
 *     .threshold(3).cooldown(Duration.ofMinutes(5)).window(Duration.ofMinutes(30)).build();
 * }</pre>
 */
public final class RemediationPolicy {
  private final int threshold;
  private final @Nullable Duration window;
  private final Duration cooldown;
  private final Duration stablePeriod;
  private final Duration backoffInitial;
  private final double backoffMultiplier;
  private final Duration backoffMax;
  private final int maxAttempts;
  private final int flapThreshold;
  private final Duration flapWindow;
  private final Duration lease;

  private RemediationPolicy(Builder b) {
    this.threshold = positive(b.threshold, "threshold");
    this.window = b.window == null ? null : positive(b.window, "window");
    this.cooldown = notNegative(b.cooldown, "cooldown");
    this.stablePeriod = notNegative(b.stablePeriod, "stablePeriod");
    this.backoffInitial = notNegative(b.backoffInitial, "backoffInitial");
    if (!(b.backoffMultiplier >= 1.0)) {
      throw new IllegalArgumentException("backoffMultiplier must be >= 1, got " + b.backoffMultiplier);
    }
    this.backoffMultiplier = b.backoffMultiplier;
    this.backoffMax = notNegative(b.backoffMax, "backoffMax");
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffInitial " + backoffInitial);
    }
    this.maxAttempts = positive(b.maxAttempts, "maxAttempts");
    this.flapThreshold = positive(b.flapThreshold, "flapThreshold");
    this.flapWindow = positive(b.flapWindow, "flapWindow");
    this.lease = positive(b.lease, "lease");
  }

  /** The defaults listed on the class. */
  public static RemediationPolicy ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.threshold = threshold;
    b.window = window;
    b.cooldown = cooldown;
    b.stablePeriod = stablePeriod;
    b.backoffInitial = backoffInitial;
    b.backoffMultiplier = backoffMultiplier;
    b.backoffMax = backoffMax;
    b.maxAttempts = maxAttempts;
    b.flapThreshold = flapThreshold;
    b.flapWindow = flapWindow;
    b.lease = lease;
    return b;
  }

  public int threshold() {
    return threshold;
  }

  /** The counting window; empty means consecutive counting. */
  public Optional<Duration> window() {
    return Optional.ofNullable(window);
  }

  public Duration cooldown() {
    return cooldown;
  }

  public Duration stablePeriod() {
    return stablePeriod;
  }

  public Duration backoffInitial() {
    return backoffInitial;
  }

  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  public Duration backoffMax() {
    return backoffMax;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public int flapThreshold() {
    return flapThreshold;
  }

  public Duration flapWindow() {
    return flapWindow;
  }

  public Duration lease() {
    return lease;
  }

  /**
   * The least time after the last remediation before the next one, given how many remediations
   * ran in a row: {@code backoffInitial * multiplier^(done - 1)}, capped at {@code backoffMax};
   * zero when none ran.
   */
  public Duration backoffAfter(int remediationsInARow) {
    if (remediationsInARow <= 0) {
      return Duration.ZERO;
    }
    double millis = backoffInitial.toMillis() * Math.pow(backoffMultiplier, remediationsInARow - 1);
    if (millis >= backoffMax.toMillis()) {
      return backoffMax;
    }
    return Duration.ofMillis((long) millis);
  }

  @Override
  public String toString() {
    return "RemediationPolicy[threshold=" + threshold + ", window=" + window + ", cooldown=" + cooldown
        + ", stablePeriod=" + stablePeriod + ", backoff=" + backoffInitial + "x" + backoffMultiplier + "<=" + backoffMax
        + ", maxAttempts=" + maxAttempts + ", flapping=" + flapThreshold + "/" + flapWindow + ", lease=" + lease + "]";
  }

  private static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
    return value;
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  private static Duration notNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }
    return value;
  }

  /** Collects a policy's settings; not thread-safe. */
  public static final class Builder {
    private int threshold = 3;
    private @Nullable Duration window;
    private Duration cooldown = Duration.ofSeconds(300);
    private Duration stablePeriod = Duration.ofMinutes(5);
    private Duration backoffInitial = Duration.ofMinutes(1);
    private double backoffMultiplier = 2.0;
    private Duration backoffMax = Duration.ofHours(1);
    private int maxAttempts = 1;
    private int flapThreshold = 4;
    private Duration flapWindow = Duration.ofMinutes(10);
    private Duration lease = Duration.ofMinutes(10);

    private Builder() {}

    /** Failures that start a remediation; at least 1. */
    public Builder threshold(int threshold) {
      this.threshold = threshold;
      return this;
    }

    /** Counts only the failures of the last {@code window}; {@code null} counts consecutively. */
    public Builder window(@Nullable Duration window) {
      this.window = window;
      return this;
    }

    /** Time between a stack reset and its health check. */
    public Builder cooldown(Duration cooldown) {
      this.cooldown = cooldown;
      return this;
    }

    /** Time healthy after which the count is reset. */
    public Builder stablePeriod(Duration stablePeriod) {
      this.stablePeriod = stablePeriod;
      return this;
    }

    /** Backoff between remediations in a row: first delay, growth factor, cap. */
    public Builder backoff(Duration initial, double multiplier, Duration max) {
      this.backoffInitial = initial;
      this.backoffMultiplier = multiplier;
      this.backoffMax = max;
      return this;
    }

    /** Remediations in a row before a failed health check quarantines the service. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Recoveries within {@code window} that mark a service as flapping. */
    public Builder flapping(int recoveries, Duration window) {
      this.flapThreshold = recoveries;
      this.flapWindow = window;
      return this;
    }

    /** How long one process may hold a remediation or verification before another takes over. */
    public Builder lease(Duration lease) {
      this.lease = lease;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a setting is out of range (the message names it)
     */
    public RemediationPolicy build() {
      return new RemediationPolicy(this);
    }
  }
}
