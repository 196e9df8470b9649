package dev.hooks.servlet.admin;

import dev.hooks.ingress.CidrRange;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What the admin API checks before the token: the client's address must be in the trusted ranges
 * (when any are given), and a client that sent too many wrong tokens is refused for a while
 * without its token being compared at all. A failure costs one token of the client's bucket
 * ({@code failures} per {@code window}, refilled gradually); an empty bucket answers 429 with
 * {@code Retry-After}. Thread-safe; one per admin servlet.
 *
 * <pre>{@code
 * AdminGuard guard = AdminGuard.builder().trustedCidrs(List.of("10.0.0.0/8")).failures(10, Duration.ofMinutes(1)).build();
 * new HooksAdminServlet(hub, journal, clock, token, guard);
 * }</pre>
 */
public final class AdminGuard {
  /** Clients tracked at most; past it the oldest buckets are forgotten (they start full again). */
  private static final int MAX_CLIENTS = 10_000;

  private final List<CidrRange> trusted;
  private final int failures;
  private final Duration window;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private AdminGuard(Builder b) {
    this.trusted = List.copyOf(b.trusted);
    this.failures = b.failures;
    this.window = b.window;
  }

  /** Every client allowed, 10 wrong tokens a minute per client. */
  public static AdminGuard ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The answer to a request before its token is looked at. */
  public enum Check {
    /** Go on and compare the token. */
    PROCEED,
    /** The client is not in the trusted ranges: 403. */
    FORBIDDEN,
    /** The client sent too many wrong tokens: 429 with {@link #retryAfterSeconds}. */
    THROTTLED
  }

  /** Whether a request from {@code remoteAddress} (an IP literal, as a servlet gives it) may try its token. */
  public Check check(@Nullable String remoteAddress) {
    if (!trusted.isEmpty() && !isTrusted(remoteAddress)) {
      return Check.FORBIDDEN;
    }
    Bucket bucket = buckets.get(key(remoteAddress));
    return bucket != null && bucket.getAvailableTokens() < 1 ? Check.THROTTLED : Check.PROCEED;
  }

  /** Records a wrong or missing token from {@code remoteAddress}. */
  public void failed(@Nullable String remoteAddress) {
    if (buckets.size() >= MAX_CLIENTS) {
      buckets.clear();
    }
    buckets.computeIfAbsent(key(remoteAddress), k -> newBucket()).tryConsume(1);
  }

  /** Seconds until {@code remoteAddress} may try a token again; at least 1. */
  public int retryAfterSeconds(@Nullable String remoteAddress) {
    Bucket bucket = buckets.get(key(remoteAddress));
    if (bucket == null) {
      return 1;
    }
    EstimationProbe probe = bucket.estimateAbilityToConsume(1);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L);
    return (int) Math.max(1, Math.min(seconds, window.toSeconds() + 1));
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(failures).refillGreedy(failures, window))
        .build();
  }

  private boolean isTrusted(@Nullable String remoteAddress) {
    InetAddress address = parse(remoteAddress);
    if (address == null) {
      return false;
    }
    for (CidrRange r : trusted) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static String key(@Nullable String remoteAddress) {
    return remoteAddress == null ? "" : remoteAddress;
  }

  private static @Nullable InetAddress parse(@Nullable String literal) {
    if (literal == null || literal.isEmpty() || !(Character.digit(literal.charAt(0), 16) >= 0 || literal.indexOf(':') >= 0)) {
      return null;
    }
    try {
      // An IP literal from the container; never a name (getByName resolves only names).
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Not thread-safe; {@link #build} copies. */
  public static final class Builder {
    private final List<CidrRange> trusted = new ArrayList<>();
    private int failures = 10;
    private Duration window = Duration.ofMinutes(1);

    private Builder() {}

    /**
     * The ranges allowed to reach the admin API, such as {@code 10.0.0.0/8} or {@code ::1};
     * none allows every client.
     *
     * @throws IllegalArgumentException naming a range that is not CIDR notation
     */
    public Builder trustedCidrs(List<String> cidrs) {
      for (String c : cidrs) {
        trusted.add(CidrRange.parse(Objects.requireNonNull(c, "cidr")));
      }
      return this;
    }

    /**
     * Wrong tokens a client may send per {@code window} before it is answered 429.
     *
     * @throws IllegalArgumentException if {@code failures} is below 1 or {@code window} not positive
     */
    public Builder failures(int failures, Duration window) {
      if (failures < 1 || window.isZero() || window.isNegative()) {
        throw new IllegalArgumentException("failures must be at least 1 per positive window: " + failures + " per " + window);
      }
      this.failures = failures;
      this.window = window;
      return this;
    }

    public AdminGuard build() {
      return new AdminGuard(this);
    }
  }
}
