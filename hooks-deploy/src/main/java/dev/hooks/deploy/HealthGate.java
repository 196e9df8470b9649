package dev.hooks.deploy;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When a new container counts as healthy: the image's Docker {@code HEALTHCHECK} reporting
 * {@code healthy}, and/or an HTTP probe answering the expected status a number of times in a
 * row, before a deadline. A container that exits (a crash or a restart loop) fails the gate at
 * once. Immutable and thread-safe.
 *
 * <pre>{@code
 * HealthGate gate = HealthGate.builder().dockerHealthcheck(true).deadline(Duration.ofSeconds(60)).build();
 * }</pre>
 */
public final class HealthGate {
  private final boolean dockerHealthcheck;
  private final @Nullable String httpPath;
  private final int expectedStatus;
  private final Duration startPeriod;
  private final Duration interval;
  private final Duration timeout;
  private final int successThreshold;
  private final Duration deadline;

  private HealthGate(Builder b) {
    this.dockerHealthcheck = b.dockerHealthcheck;
    this.httpPath = b.httpPath;
    this.expectedStatus = b.expectedStatus;
    this.startPeriod = b.startPeriod;
    this.interval = b.interval;
    this.timeout = b.timeout;
    this.successThreshold = b.successThreshold;
    this.deadline = b.deadline;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The gate of the image's HEALTHCHECK alone, 60 s deadline. */
  public static HealthGate ofDefaults() {
    return builder().build();
  }

  /** Whether the image's Docker HEALTHCHECK must report {@code healthy}. */
  public boolean dockerHealthcheck() {
    return dockerHealthcheck;
  }

  /** The path of the HTTP probe, such as {@code /health}; empty for none. */
  public java.util.Optional<String> httpPath() {
    return java.util.Optional.ofNullable(httpPath);
  }

  public int expectedStatus() {
    return expectedStatus;
  }

  /** How long after the start failures of the HTTP probe do not count. */
  public Duration startPeriod() {
    return startPeriod;
  }

  public Duration interval() {
    return interval;
  }

  /** Timeout of one HTTP probe. */
  public Duration timeout() {
    return timeout;
  }

  /** HTTP probe successes in a row needed. */
  public int successThreshold() {
    return successThreshold;
  }

  /** How long the new container has to become healthy. */
  public Duration deadline() {
    return deadline;
  }

  @Override
  public String toString() {
    return "HealthGate[docker=" + dockerHealthcheck + ", http=" + httpPath + " -> " + expectedStatus + ", deadline=" + deadline + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private boolean dockerHealthcheck = true;
    private @Nullable String httpPath;
    private int expectedStatus = 200;
    private Duration startPeriod = Duration.ZERO;
    private Duration interval = Duration.ofSeconds(1);
    private Duration timeout = Duration.ofSeconds(2);
    private int successThreshold = 1;
    private Duration deadline = Duration.ofSeconds(60);

    private Builder() {}

    /** Whether the image's HEALTHCHECK must report healthy; default true. */
    public Builder dockerHealthcheck(boolean on) {
      this.dockerHealthcheck = on;
      return this;
    }

    /**
     * Probes {@code http://<container address>:<service port><path>}.
     *
     * @throws IllegalArgumentException if {@code path} does not start with '/'
     */
    public Builder httpProbe(String path, int expectedStatus) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("the HTTP probe path must start with '/', got '" + path + "'");
      }
      if (expectedStatus < 100 || expectedStatus > 599) {
        throw new IllegalArgumentException("the expected status must be 100..599, got " + expectedStatus);
      }
      this.httpPath = path;
      this.expectedStatus = expectedStatus;
      return this;
    }

    public Builder startPeriod(Duration d) {
      this.startPeriod = nonNegative(d, "start period");
      return this;
    }

    public Builder interval(Duration d) {
      this.interval = positive(d, "interval");
      return this;
    }

    public Builder timeout(Duration d) {
      this.timeout = positive(d, "timeout");
      return this;
    }

    public Builder successThreshold(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("the success threshold must be at least 1, got " + n);
      }
      this.successThreshold = n;
      return this;
    }

    public Builder deadline(Duration d) {
      this.deadline = positive(d, "deadline");
      return this;
    }

    /**
     * @throws IllegalStateException if neither the HEALTHCHECK nor an HTTP probe is asked for
     */
    public HealthGate build() {
      if (!dockerHealthcheck && httpPath == null) {
        throw new IllegalStateException("a health gate needs the image's HEALTHCHECK or an HTTP probe (or both)");
      }
      return new HealthGate(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("the " + what + " must be positive, got " + d);
      }
      return d;
    }

    private static Duration nonNegative(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative()) {
        throw new IllegalArgumentException("the " + what + " must not be negative, got " + d);
      }
      return d;
    }
  }
}
