package dev.hooks.dispatch;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.hooks.event.WebhookEvent;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.JournalEntry;
import dev.hooks.journal.JournalUnavailableException;
import dev.hooks.parse.ParseResult;
import dev.hooks.route.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import dev.hooks.internal.WarnThenDebugLogger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands journaled events to their handlers, off the request thread, at least once.
 *
 * <ul>
 *   <li>Events with the same ordering key (by default endpoint + repository or subject) run one
 *       at a time in the order accepted; other keys run in parallel on one bounded pool.
 *   <li>A failing handler is retried with exponential backoff and jitter (Failsafe); each
 *       scheduled retry is written to the journal, so a restart continues the schedule. Handlers
 *       that already succeeded for the event are not called again in the same process.
 *   <li>Completions are written to the journal in batches by one thread, off the lanes, so a
 *       lane moves on without waiting for the database.
 *   <li>After the last attempt, or at once for {@link PermanentFailureException}, the entry goes
 *       to the dead letters with the reason.
 *   <li>A poller claims entries that are due and unleased: those of a process that died, and
 *       retries due after a restart. So a process killed right after answering 202 loses
 *       nothing: the next one (or another replica) dispatches the entry once its lease ends.
 *   <li>Entries held in memory are bounded: ingress reserves a place with {@link #tryReserve()}
 *       before it journals, and answers 429 when there is none.
 * </ul>
 *
 * <p>Thread-safe. Start with {@link #start()}; {@link #close()} drains what is in flight.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private final WarnThenDebugLogger journalDown = new WarnThenDebugLogger(LOG);

  private final EventJournal journal;
  private final Supplier<Router> router;
  private final Function<JournalEntry, ParseResult> rehydrate;
  private final Function<WebhookEvent, String> orderingKey;
  private final Clock clock;
  private final String owner;
  private final Duration lease;
  private final int maxAttempts;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final double jitter;
  private final Duration pollInterval;
  private final Duration drainTimeout;
  private final int capacity;
  private final Semaphore places;
  private final ScheduledExecutorService executor;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> inFlight = new ConcurrentHashMap<>();
  private final CompletionWriter completions;
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private volatile boolean closing;
  private @Nullable ScheduledFuture<?> poller;

  private Dispatcher(Builder b) {
    this.journal = Objects.requireNonNull(b.journal, "journal");
    this.router = Objects.requireNonNull(b.router, "router");
    this.rehydrate = Objects.requireNonNull(b.rehydrate, "rehydrate");
    this.orderingKey = b.orderingKey;
    this.clock = b.clock;
    this.owner = b.owner;
    this.lease = b.lease;
    this.maxAttempts = b.maxAttempts;
    this.initialDelay = b.initialDelay;
    this.maxDelay = b.maxDelay;
    this.jitter = b.jitter;
    this.pollInterval = b.pollInterval;
    this.drainTimeout = b.drainTimeout;
    this.capacity = b.capacity;
    this.places = new Semaphore(b.capacity);
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(b.threads, daemonThreads("hooks-dispatch-"));
    pool.setRemoveOnCancelPolicy(true);
    this.executor = pool;
    this.completions = new CompletionWriter(journal);
  }

  /**
   * @param journal where entries are read from and their outcome written to
   * @param router chooses handlers; read for every event, so routes may change at run time
   * @param rehydrate re-parses a journaled delivery found by the poller (after a restart)
   */
  public static Builder builder(EventJournal journal, Supplier<Router> router, Function<JournalEntry, ParseResult> rehydrate) {
    return new Builder(journal, router, rehydrate);
  }

  /** Starts the poller, which at once resumes entries left by an earlier process. */
  public synchronized void start() {
    if (poller == null) {
      poller = executor.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** How long this dispatcher holds an entry before another process may take it over. */
  public Duration lease() {
    return lease;
  }

  /** The lease holder name this dispatcher writes to the journal. */
  public String owner() {
    return owner;
  }

  /**
   * Reserves a place for one more event in memory; ingress calls it before journaling.
   *
   * @return {@code false} when the dispatcher is full or closing (ingress answers 429)
   */
  public boolean tryReserve() {
    return !closing && places.tryAcquire();
  }

  /** Gives back a place reserved with {@link #tryReserve()} that was not used. */
  public void release() {
    places.release();
  }

  /**
   * Queues a just-journaled entry whose place was reserved with {@link #tryReserve()}. Returns
   * at once; the handlers run on the dispatcher's threads.
   */
  public void dispatch(JournalEntry entry, WebhookEvent event) {
    enqueue(entry, event);
  }

  /** Entries in memory: queued, running or waiting for a retry. */
  public int inFlight() {
    return capacity - places.availablePermits();
  }

  /** Entries marked done in the journal by this dispatcher. */
  public long completedCount() {
    return completions.written();
  }

  public long deadLetteredCount() {
    return deadLettered.get();
  }

  public long retriedCount() {
    return retried.get();
  }

  private void enqueue(JournalEntry entry, WebhookEvent event) {
    AtomicLong fence = new AtomicLong(entry.fence());
    inFlight.put(entry.requestId(), fence);
    queue(new Queued(orderingKey.apply(event), entry, event, fence));
  }

  /** Puts the event on its key's lane, replacing a lane that retired meanwhile. */
  private void queue(Queued queued) {
    Lane lane = lanes.computeIfAbsent(queued.key(), Lane::new);
    while (!lane.offer(queued)) {
      lane = lanes.compute(queued.key(), (k, current) -> current == null || current.retired() ? new Lane(k) : current);
    }
  }

  /** Runs one event; the retries still to come when it failed and is retried, else null. */
  private @Nullable CompletableFuture<Void> run(Queued q) {
    CompletableFuture<Void> done;
    try {
      done = execute(q.entry(), q.event(), q.fence());
    } catch (RuntimeException e) {
      // Routing itself failed: the entry stays pending in the journal and is claimed after its lease.
      LOG.warn("{} could not be dispatched: {}", q.entry().requestId(), describe(e));
      done = CompletableFuture.completedFuture(null);
    }
    if (done.isDone()) {
      settled(q);
      return null;
    }
    done.whenComplete((ignored, error) -> settled(q));
    return done;
  }

  private void settled(Queued q) {
    inFlight.remove(q.entry().requestId(), q.fence());
    places.release();
  }

  /** An event waiting on its lane. */
  private record Queued(String key, JournalEntry entry, WebhookEvent event, AtomicLong fence) {}

  /**
   * The events of one ordering key, run one at a time in the order queued. Producers append to a
   * lock-free queue; the producer that moves the lane from idle to scheduled submits one run, which
   * takes events until the queue is empty (a batch at a time, so that busy keys share the pool;
   * an event whose retries are pending holds the lane until they end). A drained lane retires and
   * leaves the map: a producer that meets a retired lane takes its event back and queues it on a
   * new one, and events that arrived while the lane retired are moved there by the run, so every
   * event is run by exactly one live lane.
   */
  private final class Lane implements Runnable {
    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;
    private static final int RETIRED = -1;
    private static final int BATCH = 64;

    private final String key;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger state = new AtomicInteger(IDLE);

    Lane(String key) {
      this.key = key;
    }

    boolean retired() {
      return state.get() == RETIRED;
    }

    /** {@code false} when the lane had retired and the event was taken back. */
    boolean offer(Queued q) {
      queue.offer(q);
      while (true) {
        int s = state.get();
        if (s == SCHEDULED) {
          return true;
        }
        if (s == RETIRED) {
          // Either we take the event back, or the retiring run has already moved it on.
          return !queue.remove(q);
        }
        if (state.compareAndSet(IDLE, SCHEDULED)) {
          submit();
          return true;
        }
      }
    }

    private void submit() {
      try {
        executor.execute(this);
      } catch (RejectedExecutionException e) {
        // Closing: what is queued stays pending in the journal.
        LOG.debug("dispatcher closed; lane {} left to the journal", key);
      }
    }

    @Override
    public void run() {
      int ran = 0;
      for (Queued q = queue.poll(); q != null; q = queue.poll()) {
        CompletableFuture<Void> retries = Dispatcher.this.run(q);
        if (retries != null) {
          // The lane resumes when they end.
          retries.whenComplete((ignored, error) -> submit());
          return;
        }
        if (++ran == BATCH) {
          submit();
          return;
        }
      }
      state.set(RETIRED);
      lanes.remove(key, this);
      for (Queued q = queue.poll(); q != null; q = queue.poll()) {
        queue(q);
      }
    }
  }

  private CompletableFuture<Void> execute(JournalEntry entry, WebhookEvent event, AtomicLong fence) {
    List<EventHandler> handlers = router.get().handlersFor(event);
    if (handlers.isEmpty()) {
      LOG.debug("{} matched no route", entry.requestId());
      finish(entry, fence, null);
      return CompletableFuture.completedFuture(null);
    }
    Set<EventHandler> succeeded = ConcurrentHashMap.newKeySet();
    AtomicInteger attempts = new AtomicInteger(entry.attempts());
    // The first attempt runs here, on the lane's thread: nearly every event succeeds at once and
    // so never pays for a retry policy or a second hand-off to the pool.
    Exception firstFailure;
    try {
      attempt(handlers, succeeded, attempts, event);
      finish(entry, fence, null);
      return CompletableFuture.completedFuture(null);
    } catch (PermanentFailureException | Error e) {
      finish(entry, fence, e);
      return CompletableFuture.completedFuture(null);
    } catch (Exception e) {
      firstFailure = e;
    }
    if (maxAttempts - entry.attempts() <= 1) {
      finish(entry, fence, firstFailure);
      return CompletableFuture.completedFuture(null);
    }
    // Failsafe takes over from the failure: its first execution reports it, so the backoff,
    // the journaled retry schedule and the attempt count are those of any other failure.
    Exception[] reported = {firstFailure};
    RetryPolicy<Object> retry = RetryPolicy.builder()
        .handle(Exception.class)
        .abortOn(PermanentFailureException.class, LeaseLostException.class)
        .withBackoff(initialDelay, maxDelay)
        .withJitter(jitter)
        .withMaxAttempts(Math.max(1, maxAttempts - entry.attempts()))
        .onRetryScheduled(e -> {
          retried.incrementAndGet();
          Instant next = clock.instant().plus(e.getDelay());
          String reason = describe(e.getLastException());
          LOG.debug("{} attempt {} failed, retry at {}: {}", entry.requestId(), attempts.get(), next, reason);
          if (!journalWrite(() -> journal.retryLater(entry.requestId(), fence.get(), attempts.get(), next, next.plus(lease), reason))) {
            throw new LeaseLostException();
          }
        })
        .build();
    return Failsafe.with(retry).with(executor).runAsync(() -> {
      Exception failure = reported[0];
      if (failure != null) {
        reported[0] = null;
        throw failure;
      }
      attempt(handlers, succeeded, attempts, event);
    }).handle((ignored, error) -> {
      finish(entry, fence, error == null ? null : unwrap(error));
      return null;
    });
  }

  /** Calls every handler that has not yet succeeded for the event; throws the first failure. */
  private static void attempt(List<EventHandler> handlers, Set<EventHandler> succeeded, AtomicInteger attempts, WebhookEvent event)
      throws Exception {
    attempts.incrementAndGet();
    Exception failure = null;
    for (EventHandler handler : handlers) {
      if (succeeded.contains(handler)) {
        continue;
      }
      try {
        handler.handle(event);
        succeeded.add(handler);
      } catch (PermanentFailureException e) {
        throw new PermanentFailureException(handler.name() + ": " + e.getMessage(), e);
      } catch (Exception e) {
        if (failure == null) {
          failure = new HandlerFailedException(handler.name() + ": " + describe(e), e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void finish(JournalEntry entry, AtomicLong fence, @Nullable Throwable error) {
    if (error instanceof LeaseLostException) {
      LOG.debug("{} was claimed by another process; leaving it", entry.requestId());
      return;
    }
    if (error == null) {
      completions.submit(entry.requestId(), fence.get());
      return;
    }
    String reason = describe(error);
    LOG.warn("{} dead-lettered: {}", entry.requestId(), reason);
    if (journalWrite(() -> journal.deadLetter(entry.requestId(), fence.get(), reason))) {
      deadLettered.incrementAndGet();
    }
  }

  /** A journal write that may be refused (stale fence) or fail; a failure leaves the entry to its lease. */
  private boolean journalWrite(Supplier<Boolean> write) {
    try {
      boolean written = write.get();
      journalDown.recovered();
      return written;
    } catch (JournalUnavailableException e) {
      journalDown.log("journal unavailable; the entry will be claimed again after its lease", e);
      return false;
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      journalDown.log("claiming due journal entries failed; retrying every " + pollInterval, e);
    }
  }

  private void poll() {
    if (closing) {
      return;
    }
    int free = places.availablePermits();
    if (free <= 0) {
      return;
    }
    List<JournalEntry> claimed = journal.claim(owner, clock.instant(), lease, Math.min(free, 500));
    journalDown.recovered();
    for (JournalEntry entry : claimed) {
      AtomicLong running = inFlight.get(entry.requestId());
      if (running != null) {
        // Our own entry outlived its lease while queued: keep the one execution, with the new fence.
        running.set(entry.fence());
        continue;
      }
      ParseResult parsed = rehydrate.apply(entry);
      if (!parsed.isOk()) {
        LOG.warn("{} cannot be re-read: {}", entry.requestId(), parsed.failure());
        journalWrite(() -> journal.deadLetter(entry.requestId(), entry.fence(), "cannot re-read delivery: " + parsed.failure()));
        continue;
      }
      if (!places.tryAcquire()) {
        return;
      }
      LOG.debug("{} resumed from the journal (attempts so far {})", entry.requestId(), entry.attempts());
      enqueue(entry, parsed.event());
    }
  }

  /**
   * Stops taking events, waits up to the drain timeout for those in memory (retries waiting
   * for their backoff are left to the journal), then stops the threads.
   */
  @Override
  public void close() {
    closing = true;
    synchronized (this) {
      if (poller != null) {
        poller.cancel(false);
      }
    }
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    // Lanes leave the map once drained; a lane waiting for a retry's backoff holds it until the deadline.
    while (!lanes.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    completions.close(Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos())));
    executor.shutdownNow();
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof FailsafeException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String describe(@Nullable Throwable t) {
    if (t == null) {
      return "unknown failure";
    }
    Throwable e = unwrap(t);
    String message = e.getMessage();
    return e instanceof HandlerFailedException || e instanceof PermanentFailureException
        ? String.valueOf(message)
        : e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The default ordering key: endpoint, then repository, else subject, else nothing. */
  public static String defaultOrderingKey(WebhookEvent event) {
    return event.endpointId() + '|' + event.repository().or(event::subject).orElse("");
  }

  /** A handler failed; its message names the handler. */
  static final class HandlerFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    HandlerFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The journal refused a write: another process claimed the entry. */
  static final class LeaseLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLostException() {
      super("lease lost", null, false, false);
    }
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final EventJournal journal;
    private final Supplier<Router> router;
    private final Function<JournalEntry, ParseResult> rehydrate;
    private Function<WebhookEvent, String> orderingKey = Dispatcher::defaultOrderingKey;
    private Clock clock = Clock.systemUTC();
    private String owner = defaultOwner();
    private Duration lease = Duration.ofSeconds(30);
    private int maxAttempts = 10;
    private Duration initialDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofMinutes(5);
    private double jitter = 0.25;
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration drainTimeout = Duration.ofSeconds(10);
    private int capacity = 10_000;
    private int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);

    private Builder(EventJournal journal, Supplier<Router> router, Function<JournalEntry, ParseResult> rehydrate) {
      this.journal = journal;
      this.router = router;
      this.rehydrate = rehydrate;
    }

    /** Which events must run one after another; default {@link Dispatcher#defaultOrderingKey}. */
    public Builder orderingKey(Function<WebhookEvent, String> orderingKey) {
      this.orderingKey = Objects.requireNonNull(orderingKey, "orderingKey");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The lease holder name; default host name, process id and a random suffix, so each
     * process life holds its own leases.
     */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /**
     * How long a claim or an accepted entry is held before another process may take it over;
     * default 30 s. After a crash, its entries are resumed within this time.
     */
    public Builder lease(Duration lease) {
      this.lease = positive(lease, "lease");
      return this;
    }

    /** Attempts per entry, the first included; default 10. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Exponential backoff between attempts: {@code initial}, doubling, at most {@code max};
     * default 1 s to 5 min.
     */
    public Builder backoff(Duration initial, Duration max) {
      this.initialDelay = positive(initial, "initial backoff");
      this.maxDelay = positive(max, "max backoff");
      if (max.compareTo(initial) <= 0) {
        throw new IllegalArgumentException("max backoff must be above the initial backoff");
      }
      return this;
    }

    /** Random spread of each backoff delay, 0 to 1; default 0.25 (plus or minus 25%). */
    public Builder jitter(double factor) {
      if (factor < 0 || factor > 1) {
        throw new IllegalArgumentException("jitter must be between 0 and 1");
      }
      this.jitter = factor;
      return this;
    }

    /** How often due and abandoned entries are claimed; default 1 s. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "poll interval");
      return this;
    }

    /** How long {@link Dispatcher#close()} waits for events in memory; default 10 s. */
    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
      return this;
    }

    /** Events held in memory at most (queued, running, waiting to retry); default 10,000. */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1");
      }
      this.capacity = capacity;
      return this;
    }

    /** Handler threads; default twice the processors, at least 4. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1");
      }
      this.threads = threads;
      return this;
    }

    public Dispatcher build() {
      return new Dispatcher(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }

    private static String defaultOwner() {
      String host;
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "localhost";
      }
      return host + "/" + ProcessHandle.current().pid() + "/" + Long.toHexString(new java.security.SecureRandom().nextLong() >>> 16);
    }
  }
}
