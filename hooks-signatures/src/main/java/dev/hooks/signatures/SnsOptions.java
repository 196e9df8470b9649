package dev.hooks.signatures;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * How AWS SNS messages are checked: which hosts may serve the signing certificate (over HTTPS
 * only), which TLS trust to use when fetching it, the replay window and, optionally, which topics
 * are accepted. Immutable and thread-safe.
 *
 * <pre>{@code
 * SnsOptions options = SnsOptions.builder()
 *     .topicArn("arn:aws:sns:eu-west-1:123456789012:deploys")
 *     .build();
 * SignatureVerifier sns = SignatureVerifiers.sns(options, Clock.systemUTC());
 * }</pre>
 */
public final class SnsOptions {
  /** The hosts AWS serves SNS signing certificates from: {@code sns.<region>.amazonaws.com(.cn)}. */
  public static final Pattern AWS_CERTIFICATE_HOSTS = Pattern.compile("sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?");
  /** One hour: SNS retries for a while, and its timestamp is the publish time. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofHours(1);

  private final Pattern certificateHosts;
  private final SSLContext sslContext;
  private final Duration tolerance;
  private final Duration fetchTimeout;
  private final Set<String> topicArns;

  private SnsOptions(Builder b) {
    this.certificateHosts = b.certificateHosts;
    this.sslContext = b.sslContext;
    this.tolerance = b.tolerance;
    this.fetchTimeout = b.fetchTimeout;
    this.topicArns = Set.copyOf(b.topicArns);
  }

  /** AWS certificate hosts, the JDK's default trust, a one-hour window and every topic. */
  public static SnsOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The host names (whole-name match) a {@code SigningCertURL} may point to. */
  public Pattern certificateHosts() {
    return certificateHosts;
  }

  /** The TLS context used to fetch certificates. */
  public SSLContext sslContext() {
    return sslContext;
  }

  public Duration tolerance() {
    return tolerance;
  }

  public Duration fetchTimeout() {
    return fetchTimeout;
  }

  /** Accepted {@code TopicArn}s; empty accepts every topic. */
  public Set<String> topicArns() {
    return topicArns;
  }

  /** Not thread-safe. */
  public static final class Builder {
    private Pattern certificateHosts = AWS_CERTIFICATE_HOSTS;
    private SSLContext sslContext;
    private Duration tolerance = DEFAULT_TOLERANCE;
    private Duration fetchTimeout = Duration.ofSeconds(5);
    private final Set<String> topicArns = new LinkedHashSet<>();

    private Builder() {
      try {
        sslContext = SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no default TLS context", e);
      }
    }

    /** Hosts allowed to serve the signing certificate; the whole host name must match. */
    public Builder certificateHosts(Pattern certificateHosts) {
      this.certificateHosts = Objects.requireNonNull(certificateHosts, "certificateHosts");
      return this;
    }

    /** The trust used when fetching certificates (tests use one that trusts a local CA). */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * @throws IllegalArgumentException if not positive
     */
    public Builder tolerance(Duration tolerance) {
      if (tolerance.isNegative() || tolerance.isZero()) {
        throw new IllegalArgumentException("SNS tolerance must be positive");
      }
      this.tolerance = tolerance;
      return this;
    }

    public Builder fetchTimeout(Duration fetchTimeout) {
      this.fetchTimeout = Objects.requireNonNull(fetchTimeout, "fetchTimeout");
      return this;
    }

    /** Accept this topic; once any is set, messages from other topics are rejected. */
    public Builder topicArn(String topicArn) {
      topicArns.add(topicArn);
      return this;
    }

    public SnsOptions build() {
      return new SnsOptions(this);
    }
  }
}
