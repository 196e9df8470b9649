package dev.hooks.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What became of one send, classified so the {@link OutboxSender} knows what to do next:
 * complete it, wait as told, back off, or move it to the dead letters. Immutable.
 *
 * <pre>{@code
 * SendOutcome o = discord.send(message, key);
 * if (o.kind() == SendOutcome.Kind.PERMANENT_FAILURE) log.warn("{}", o.reason());
 * }</pre>
 */
public final class SendOutcome {

  /**
   * The longest wait a target may ask for ({@code Retry-After}, {@code retry_after}, a bucket's
   * reset): one hour. A longer, negative or unreadable wait from a server is clamped to this range,
   * so no answer can park a target for ever or overflow the sender's clock arithmetic.
   */
  public static final Duration MAX_SERVER_WAIT = Duration.ofHours(1);

  /** The classes of outcome. */
  public enum Kind {
    /** The target accepted the message. */
    SUCCESS,
    /** The target asked to be asked again later ({@code Retry-After} on a 503); counts as an attempt. */
    RETRY_AFTER,
    /** The target refused for its rate limit (429); resent after the wait, not counted as an attempt. */
    RATE_LIMITED,
    /** The target will never accept this message (400, 401, 403, 404, 410, a redirect, a host not allowed). */
    PERMANENT_FAILURE,
    /** Worth another attempt with backoff: 5xx, a timeout, a refused connection. */
    TRANSIENT_FAILURE
  }

  private final Kind kind;
  private final int status;
  private final String reason;
  private final @Nullable Duration retryAfter;
  private final boolean global;
  private final @Nullable RateLimit rateLimit;
  private final @Nullable String responseBody;

  private SendOutcome(Kind kind, int status, String reason, @Nullable Duration retryAfter, boolean global,
      @Nullable RateLimit rateLimit, @Nullable String responseBody) {
    this.kind = kind;
    this.status = status;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryAfter = retryAfter;
    this.global = global;
    this.rateLimit = rateLimit;
    this.responseBody = responseBody;
  }

  public static SendOutcome success(int status) {
    return new SendOutcome(Kind.SUCCESS, status, "", null, false, null, null);
  }

  public static SendOutcome retryAfter(int status, Duration wait, String reason) {
    return new SendOutcome(Kind.RETRY_AFTER, status, reason, clampServerWait(wait), false, null, null);
  }

  /** @param global whether the limit holds for every target of the same service, not one bucket */
  public static SendOutcome rateLimited(int status, Duration wait, boolean global, String reason) {
    return new SendOutcome(Kind.RATE_LIMITED, status, reason, clampServerWait(wait), global, null, null);
  }

  public static SendOutcome permanentFailure(int status, String reason) {
    return new SendOutcome(Kind.PERMANENT_FAILURE, status, reason, null, false, null, null);
  }

  /** @param status the HTTP status, or 0 when no answer came */
  public static SendOutcome transientFailure(int status, String reason) {
    return new SendOutcome(Kind.TRANSIENT_FAILURE, status, reason, null, false, null, null);
  }

  /** A server-given wait within {@code [0, MAX_SERVER_WAIT]}: negative is zero, longer is one hour. */
  public static Duration clampServerWait(Duration wait) {
    Objects.requireNonNull(wait, "wait");
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(MAX_SERVER_WAIT) > 0 ? MAX_SERVER_WAIT : wait;
  }

  /** A copy carrying the rate-limit bucket the answer announced. */
  public SendOutcome withRateLimit(@Nullable RateLimit limit) {
    return new SendOutcome(kind, status, reason, retryAfter, global, limit, responseBody);
  }

  /** A copy carrying the answer's body (Discord's message JSON with {@code ?wait=true}). */
  public SendOutcome withResponseBody(@Nullable String body) {
    return new SendOutcome(kind, status, reason, retryAfter, global, rateLimit, body);
  }

  public Kind kind() {
    return kind;
  }

  public boolean isSuccess() {
    return kind == Kind.SUCCESS;
  }

  /** The HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }

  /** Why it failed, for logs and dead letters; empty on success. Never holds a secret. */
  public String reason() {
    return reason;
  }

  /** How long the target asked to wait, for {@link Kind#RETRY_AFTER} and {@link Kind#RATE_LIMITED}. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Whether a rate limit holds for the whole service (Discord's {@code "global": true}). */
  public boolean global() {
    return global;
  }

  public Optional<RateLimit> rateLimit() {
    return Optional.ofNullable(rateLimit);
  }

  public Optional<String> responseBody() {
    return Optional.ofNullable(responseBody);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("SendOutcome[").append(kind);
    if (status != 0) s.append(' ').append(status);
    if (!reason.isEmpty()) s.append(' ').append(reason);
    if (retryAfter != null) s.append(" retryAfter=").append(retryAfter);
    if (global) s.append(" global");
    return s.append(']').toString();
  }
}
