package dev.hooks.notify;

import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyConfig;
import dev.hooks.notify.internal.RateLimiter;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.outbox.OutboxEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what waits in a {@link NotificationOutbox}: claims due messages under a lease, sends
 * each through its target's {@link Notifier}, and acts on the {@link SendOutcome}:
 * <ul>
 *   <li>success: the message is delivered;
 *   <li>rate limited (429): sent again when the target said ({@code retry_after},
 *       {@code Retry-After}), not counted as an attempt; a global 429 pauses every target of the
 *       same {@linkplain Notifier#rateLimitScope() scope};
 *   <li>retry-after (503 with {@code Retry-After}) or a transient failure: another attempt after
 *       the wait asked, else after exponential backoff with jitter as the Failsafe
 *       {@link RetryPolicy} given says, until its retries run out, then the dead letters;
 *   <li>permanent failure (400, 401, 403, 404, 410, a redirect, a host not allowed): the dead
 *       letters at once, with the reason.
 * </ul>
 * Rate-limit buckets announced by the targets (Discord's {@code X-RateLimit-*}) are learnt, and
 * a message that would exceed its bucket waits for the bucket's reset instead of drawing a 429.
 * Messages of one target keep their order within a batch: once one waits, the later ones wait
 * too.
 *
 * <p>Several senders may drain one outbox (its leases share the work); a sender that stops, or a
 * process that dies, leaves its claimed messages to be claimed again when their lease ends, so
 * nothing enqueued is lost. Thread-safe; {@link #drainOnce()} may be called by tests with a
 * controlled {@link Clock}, {@link #start()} runs it on a background thread.
 *
 * <pre>{@code
 * OutboxSender sender = OutboxSender.builder(outbox, notifiers)
 *     .retryPolicy(RetryPolicy.builder().withBackoff(Duration.ofSeconds(2), Duration.ofMinutes(10))
 *         .withJitter(0.2).withMaxRetries(12).build())
 *     .build();
 * sender.start();
 * }</pre>
 */
public final class OutboxSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
  private static final Duration MIN_WAIT = Duration.ofMillis(10);

  /**
   * What one {@link #drainOnce()} did.
   *
   * @param claimed messages claimed
   * @param delivered accepted by their targets
   * @param retried failed and rescheduled with backoff (or the target's Retry-After)
   * @param waiting rescheduled for a rate limit (a 429, or throttled before one), attempts unchanged
   * @param dead moved to the dead letters
   */
  public record DrainReport(int claimed, int delivered, int retried, int waiting, int dead) {}

  private final NotificationOutbox outbox;
  private final NotifierRegistry notifiers;
  private final Clock clock;
  private final String owner;
  private final Duration lease;
  private final int batchSize;
  private final RetryPolicyConfig<?> retry;
  private final Random random;
  private final Duration pollInterval;
  private final RateLimiter limiter = new RateLimiter();
  private final Set<String> failingTargets = ConcurrentHashMap.newKeySet();
  private final Object drainLock = new Object();
  private volatile ScheduledExecutorService loop;
  private volatile @Nullable Instant earliestHold;

  private OutboxSender(Builder b) {
    this.outbox = b.outbox;
    this.notifiers = b.notifiers;
    this.clock = b.clock;
    this.owner = b.owner;
    this.lease = b.lease;
    this.batchSize = b.batchSize;
    this.retry = b.retryPolicy.getConfig();
    this.random = b.random;
    this.pollInterval = b.pollInterval;
  }

  public static Builder builder(NotificationOutbox outbox, NotifierRegistry notifiers) {
    return new Builder(outbox, notifiers);
  }

  /** Claims one batch of due messages and sends each. Blocks while sending. */
  public DrainReport drainOnce() {
    synchronized (drainLock) {
      Instant claimedAt = clock.instant();
      var batch = outbox.claim(owner, claimedAt, lease, batchSize);
      int delivered = 0;
      int retried = 0;
      int waiting = 0;
      int dead = 0;
      Map<String, Instant> heldTargets = new HashMap<>();
      for (OutboxEntry e : batch) {
        String target = e.message().target();
        Instant now = clock.instant();
        Instant held = heldTargets.get(target);
        if (held != null) {
          outbox.retryLater(e.key(), e.fence(), e.attempts(), held, "waiting for an earlier message to " + target);
          waiting++;
          continue;
        }
        Optional<Notifier> notifier = notifiers.find(target);
        if (notifier.isEmpty()) {
          outbox.deadLetter(e.key(), e.fence(), "no notifier named '" + target + "' is registered");
          dead++;
          continue;
        }
        Notifier n = notifier.get();
        Optional<Instant> wait = limiter.tryAcquire(target, n.rateLimitScope(), now);
        if (wait.isPresent()) {
          outbox.retryLater(e.key(), e.fence(), e.attempts(), wait.get(), "throttled by the rate limit of " + target);
          heldTargets.put(target, wait.get());
          waiting++;
          continue;
        }
        SendOutcome o;
        try {
          o = n.send(new RenderedMessage(e.message().contentType(), e.message().body()), e.key());
        } catch (RuntimeException ex) {
          o = SendOutcome.transientFailure(0, "notifier " + target + " threw " + ex.getClass().getSimpleName());
          LOG.debug("notifier {} threw", target, ex);
        }
        Instant answeredAt = clock.instant();
        limiter.learn(target, n.rateLimitScope(), o, answeredAt);
        switch (o.kind()) {
          case SUCCESS -> {
            outbox.complete(e.key(), e.fence());
            delivered++;
            if (failingTargets.remove(target)) {
              LOG.info("notifier {} delivers again", target);
            }
          }
          case RATE_LIMITED -> {
            Instant at = answeredAt.plus(atLeast(o.retryAfter().orElse(Duration.ofSeconds(1))));
            outbox.retryLater(e.key(), e.fence(), e.attempts(), at, o.reason());
            heldTargets.put(target, at);
            waiting++;
            LOG.debug("notifier {} rate limited until {}{}", target, at, o.global() ? " (global)" : "");
          }
          case PERMANENT_FAILURE -> {
            outbox.deadLetter(e.key(), e.fence(), o.reason());
            dead++;
            LOG.warn("notifier {} refused message {} for good: {}", target, e.key(), o.reason());
          }
          case RETRY_AFTER, TRANSIENT_FAILURE -> {
            int attempts = e.attempts() + 1;
            warnOnce(target, o);
            if (retry.getMaxRetries() >= 0 && attempts > retry.getMaxRetries()) {
              outbox.deadLetter(e.key(), e.fence(), "gave up after " + attempts + " attempts: " + o.reason());
              dead++;
            } else {
              Instant at = answeredAt.plus(atLeast(o.retryAfter().orElseGet(() -> backoff(attempts))));
              outbox.retryLater(e.key(), e.fence(), attempts, at, o.reason());
              heldTargets.put(target, at);
              retried++;
            }
          }
        }
      }
      earliestHold = heldTargets.values().stream().min(Instant::compareTo).orElse(null);
      return new DrainReport(batch.size(), delivered, retried, waiting, dead);
    }
  }

  /**
   * Drains batch after batch while there is work that can be sent now: stops when a batch
   * claims nothing, or only messages that must wait for a rate limit.
   */
  public DrainReport drainAll() {
    int claimed = 0;
    int delivered = 0;
    int retried = 0;
    int waiting = 0;
    int dead = 0;
    DrainReport r;
    do {
      r = drainOnce();
      claimed += r.claimed();
      delivered += r.delivered();
      retried += r.retried();
      waiting += r.waiting();
      dead += r.dead();
    } while (r.claimed() > 0 && r.waiting() < r.claimed());
    return new DrainReport(claimed, delivered, retried, waiting, dead);
  }

  /**
   * The wait before attempt {@code attempts + 1}: the policy's delay times its factor to the
   * power of the failed attempts so far, capped at its max delay, with its jitter.
   */
  Duration backoff(int attempts) {
    Duration base = retry.getDelay().isZero() ? Duration.ofSeconds(1) : retry.getDelay();
    double factor = retry.getMaxDelay() == null ? 1 : Math.max(1, retry.getDelayFactor());
    double millis = base.toMillis() * Math.pow(factor, Math.max(0, attempts - 1));
    if (retry.getMaxDelay() != null) {
      millis = Math.min(millis, retry.getMaxDelay().toMillis());
    }
    double jitter;
    synchronized (random) {
      jitter = random.nextDouble() * 2 - 1;
    }
    if (retry.getJitterFactor() > 0) {
      millis += millis * retry.getJitterFactor() * jitter;
    } else if (retry.getJitter() != null) {
      millis += retry.getJitter().toMillis() * jitter;
    }
    return Duration.ofMillis(Math.max(1, Math.round(millis)));
  }

  /** A wait of zero would resend at once to a target that just refused: wait a little at least. */
  private static Duration atLeast(Duration wait) {
    return wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait;
  }

  private void warnOnce(String target, SendOutcome o) {
    if (failingTargets.add(target)) {
      LOG.warn("notifier {} failing: {}; retrying with backoff", target, o.reason());
    } else {
      LOG.debug("notifier {} still failing: {}", target, o.reason());
    }
  }

  /**
   * Drains on a daemon thread until {@link #close()}: again as soon as the outbox says the next
   * message is due ({@link NotificationOutbox#nextDue()}), and at least every poll interval.
   */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hooks-outbox-sender-" + owner);
      t.setDaemon(true);
      return t;
    });
    loop = s;
    s.execute(() -> cycle(s));
  }

  private void cycle(ScheduledExecutorService s) {
    long delay = pollInterval.toMillis();
    try {
      DrainReport r;
      do {
        r = drainOnce();
      } while (r.claimed() > 0 && r.waiting() < r.claimed());
      Instant hold = earliestHold;
      // A batch that only waited: look again when the first wait ends, not for every message
      // behind it (they are due now, and would only be put back to wait).
      Optional<Instant> next = r.claimed() > 0 && hold != null ? Optional.of(hold) : outbox.nextDue();
      if (next.isPresent()) {
        delay = Math.max(0, Math.min(delay, Duration.between(clock.instant(), next.get()).toMillis()));
      }
    } catch (RuntimeException e) {
      LOG.warn("outbox drain failed; trying again in {}", pollInterval, e);
    }
    if (!s.isShutdown()) {
      try {
        s.schedule(() -> cycle(s), delay, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        LOG.debug("sender closed");
      }
    }
  }

  /** Stops the background thread, letting a send in progress finish for up to the request timeout. */
  @Override
  public synchronized void close() {
    ScheduledExecutorService s = loop;
    loop = null;
    if (s != null) {
      s.shutdown();
      try {
        s.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final NotificationOutbox outbox;
    private final NotifierRegistry notifiers;
    private Clock clock = Clock.systemUTC();
    private String owner = "sender-" + UUID.randomUUID();
    private Duration lease = Duration.ofMinutes(2);
    private int batchSize = 20;
    private RetryPolicy<?> retryPolicy = RetryPolicy.builder()
        .withBackoff(Duration.ofSeconds(2), Duration.ofMinutes(10))
        .withJitter(0.2)
        .withMaxRetries(12)
        .build();
    private Random random = new Random();
    private Duration pollInterval = Duration.ofMillis(250);

    private Builder(NotificationOutbox outbox, NotifierRegistry notifiers) {
      this.outbox = Objects.requireNonNull(outbox, "outbox");
      this.notifiers = Objects.requireNonNull(notifiers, "notifiers");
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** This sender's name in the outbox's leases; unique per process. */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /** How long a claimed batch is this sender's; longer than a batch takes to send. Default 2 minutes. */
    public Builder lease(Duration lease) {
      this.lease = Objects.requireNonNull(lease, "lease");
      return this;
    }

    /** Messages claimed at a time; default 20. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * The backoff of failed sends: its delay, max delay, delay factor, jitter and max retries are
     * used (retries span claims, so the policy is read, not executed). Default: 2 s doubling to
     * 10 min, jitter 0.2, 12 retries.
     */
    public Builder retryPolicy(RetryPolicy<?> policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The source of jitter; tests pass a seeded one. */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The longest {@link #start()} waits before looking for due messages again; default 250 ms. */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    public OutboxSender build() {
      return new OutboxSender(this);
    }
  }
}
