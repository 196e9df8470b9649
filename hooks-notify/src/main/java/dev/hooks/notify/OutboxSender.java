package dev.hooks.notify;

import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyConfig;
import dev.hooks.notify.internal.RateLimiter;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.outbox.OutboxEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Messages of one target keep their order: once one waits, the later ones wait too.
 *
 * <p>Fair to every target: each target has a lane (one request at a time, in order) and the
 * lanes of a batch run in parallel on {@linkplain Builder#lanes a few threads}; a target waiting
 * for its rate limit or a request still running is skipped by the next claims
 * ({@link NotificationOutbox#claim(String, Instant, Duration, int, Set)}), so a backlog or a
 * hanging sink on one target never delays a message to another. Every wait a server asks for is
 * clamped to {@link SendOutcome#MAX_SERVER_WAIT}, and an error while a lane works puts its
 * claimed messages back instead of leaving them claimed.
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
  private final int lanes;
  private final RateLimiter limiter = new RateLimiter();
  private final Set<String> failingTargets = ConcurrentHashMap.newKeySet();
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> holds = new ConcurrentHashMap<>();
  private final AtomicBoolean woken = new AtomicBoolean();
  private final AtomicInteger submitted = new AtomicInteger();
  private final Object drainLock = new Object();
  private final ExecutorService pool;
  private volatile @Nullable ScheduledExecutorService loop;

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
    this.lanes = b.lanes;
    String name = "hooks-outbox-lane-" + b.owner + "-";
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(b.lanes, r -> {
      Thread t = new Thread(r, name + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public static Builder builder(NotificationOutbox outbox, NotifierRegistry notifiers) {
    return new Builder(outbox, notifiers);
  }

  /**
   * Claims one batch of due messages, skipping the targets that must wait (a rate limit learnt,
   * or a send to them still running), and sends them: the messages of each target in order on
   * that target's lane, the lanes in parallel on the sender's threads. Blocks until every lane of
   * this batch is done.
   */
  public DrainReport drainOnce() {
    List<Future<DrainReport>> lanes = dispatch();
    DrainReport total = new DrainReport(0, 0, 0, 0, 0);
    for (Future<DrainReport> f : lanes) {
      try {
        total = sum(total, f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        LOG.warn("outbox lane failed", e.getCause());
      }
    }
    return total;
  }

  private static DrainReport sum(DrainReport a, DrainReport b) {
    return new DrainReport(a.claimed() + b.claimed(), a.delivered() + b.delivered(), a.retried() + b.retried(),
        a.waiting() + b.waiting(), a.dead() + b.dead());
  }

  /** The targets not to claim for now: their lane is busy, or they wait for a rate limit. */
  private Set<String> skipTargets(Instant now) {
    holds.values().removeIf(until -> !until.isAfter(now));
    Set<String> skip = new HashSet<>(busy);
    skip.addAll(holds.keySet());
    return skip;
  }

  /** Claims a batch and starts one lane per target in it; returns the lanes' results to come. */
  private List<Future<DrainReport>> dispatch() {
    List<Future<DrainReport>> lanes = new ArrayList<>();
    synchronized (drainLock) {
      Instant claimedAt = clock.instant();
      Set<String> skip = skipTargets(claimedAt);
      List<OutboxEntry> batch = outbox.claim(owner, claimedAt, lease, batchSize, skip);
      Map<String, List<OutboxEntry>> byTarget = new LinkedHashMap<>();
      for (OutboxEntry e : batch) {
        byTarget.computeIfAbsent(e.message().target(), k -> new ArrayList<>()).add(e);
      }
      for (Map.Entry<String, List<OutboxEntry>> lane : byTarget.entrySet()) {
        String target = lane.getKey();
        List<OutboxEntry> entries = lane.getValue();
        if (skip.contains(target)) {
          // An outbox that ignores skipTargets handed them out anyway: put them back unsent.
          Instant at = holds.getOrDefault(target, claimedAt.plus(pollInterval));
          lanes.add(CompletableFuture.completedFuture(release(entries, 0, at, "waiting for target " + target)));
          continue;
        }
        busy.add(target);
        try {
          lanes.add(pool.submit(() -> runLane(target, entries)));
          submitted.incrementAndGet();
        } catch (RejectedExecutionException ex) {
          busy.remove(target);
          lanes.add(CompletableFuture.completedFuture(release(entries, 0, claimedAt, "sender closed")));
        }
      }
    }
    return lanes;
  }

  /** Sends one target's messages in order; never leaves one of them claimed but unhandled. */
  private DrainReport runLane(String target, List<OutboxEntry> entries) {
    int delivered = 0;
    int retried = 0;
    int waiting = 0;
    int dead = 0;
    @Nullable Instant held = null;
    int i = 0;
    try {
      for (; i < entries.size(); i++) {
        OutboxEntry e = entries.get(i);
        Instant now = clock.instant();
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
          held = capped(now, wait.get());
          outbox.retryLater(e.key(), e.fence(), e.attempts(), held, "throttled by the rate limit of " + target);
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
            held = after(answeredAt, o.retryAfter().orElse(Duration.ofSeconds(1)));
            outbox.retryLater(e.key(), e.fence(), e.attempts(), held, o.reason());
            waiting++;
            LOG.debug("notifier {} rate limited until {}{}", target, held, o.global() ? " (global)" : "");
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
              held = after(answeredAt, o.retryAfter().orElseGet(() -> backoff(attempts)));
              outbox.retryLater(e.key(), e.fence(), attempts, held, o.reason());
              retried++;
            }
          }
        }
      }
    } catch (RuntimeException ex) {
      // A failed write or any other error: the message at hand and the ones after it go back to
      // the outbox, due again shortly, instead of staying claimed until their lease ends.
      LOG.warn("outbox lane {} failed; releasing {} claimed messages", target, entries.size() - i, ex);
      DrainReport released = release(entries, i, clock.instant().plus(pollInterval), "sender error: " + ex.getClass().getSimpleName());
      waiting += released.waiting();
    } finally {
      if (held != null) {
        holds.merge(target, held, (a, b) -> a.isAfter(b) ? a : b);
      }
      busy.remove(target);
      wake();
    }
    return new DrainReport(entries.size(), delivered, retried, waiting, dead);
  }

  /** Puts {@code entries} from {@code from} on back to pending, due at {@code at}, attempts unchanged. */
  private DrainReport release(List<OutboxEntry> entries, int from, Instant at, String reason) {
    int released = 0;
    for (OutboxEntry e : entries.subList(from, entries.size())) {
      try {
        outbox.retryLater(e.key(), e.fence(), e.attempts(), at, reason);
        released++;
      } catch (RuntimeException ex) {
        // The outbox refuses writes: the lease ending makes the message due again.
        LOG.debug("could not release {}; its lease will end", e.key(), ex);
      }
    }
    return new DrainReport(entries.size() - from, 0, 0, released, 0);
  }

  /** {@code from + wait}, the wait at least a little and at most {@link SendOutcome#MAX_SERVER_WAIT}. */
  private static Instant after(Instant from, Duration wait) {
    return from.plus(atLeast(SendOutcome.clampServerWait(wait)));
  }

  /** {@code at}, but never later than {@link SendOutcome#MAX_SERVER_WAIT} after {@code now}. */
  private static Instant capped(Instant now, Instant at) {
    Instant max = now.plus(SendOutcome.MAX_SERVER_WAIT);
    return at.isAfter(max) ? max : at;
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
   * Drains on a daemon thread until {@link #close()}: again as soon as a lane finishes or the
   * outbox says the next message is due ({@link NotificationOutbox#nextDue()}), and at least
   * every poll interval. The loop does not wait for the lanes it starts, so a target that hangs
   * until its request timeout holds only its own lane.
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

  /** Asks the background loop, if started, to look for work now (a lane has finished). */
  private void wake() {
    ScheduledExecutorService s = loop;
    if (s != null && woken.compareAndSet(false, true)) {
      try {
        s.execute(() -> cycle(s));
      } catch (RejectedExecutionException e) {
        LOG.debug("sender closed");
      }
    }
  }

  private void cycle(ScheduledExecutorService s) {
    woken.set(false);
    long delay = pollInterval.toMillis();
    try {
      // Claim again while lanes were started and threads are free: the next claim skips the
      // targets now busy, so it reaches the messages of other targets.
      int started;
      do {
        int before = submitted.get();
        dispatch();
        started = submitted.get() - before;
      } while (started > 0 && busy.size() < lanes && !s.isShutdown());
      Instant now = clock.instant();
      Optional<Instant> next = outbox.nextDue();
      if (next.isPresent() && next.get().isAfter(now)) {
        delay = Math.min(delay, Duration.between(now, next.get()).toMillis());
      }
      for (Instant until : holds.values()) {
        delay = Math.min(delay, Math.max(0, Duration.between(now, until).toMillis()));
      }
      delay = Math.max(1, delay);
    } catch (RuntimeException e) {
      LOG.warn("outbox drain failed; trying again in {}", pollInterval, e);
    }
    if (!s.isShutdown()) {
      try {
        s.schedule(() -> cycle(s), delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        LOG.debug("sender closed");
      }
    }
  }

  /** Stops the background thread and the lanes, letting sends in progress finish for up to 30 s. */
  @Override
  public synchronized void close() {
    ScheduledExecutorService s = loop;
    loop = null;
    if (s != null) {
      s.shutdown();
    }
    pool.shutdown();
    try {
      if (s != null) {
        s.awaitTermination(30, TimeUnit.SECONDS);
      }
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
    private int lanes = 4;

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

    /**
     * How many targets are sent to at the same time, each on its own lane (one request at a time
     * per target, in order); default 4. A target that hangs until its request timeout, or waits
     * for its rate limit, holds only its own lane.
     */
    public Builder lanes(int lanes) {
      if (lanes < 1) {
        throw new IllegalArgumentException("lanes must be at least 1: " + lanes);
      }
      this.lanes = lanes;
      return this;
    }

    public OutboxSender build() {
      return new OutboxSender(this);
    }
  }
}
