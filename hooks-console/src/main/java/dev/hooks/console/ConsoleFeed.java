package dev.hooks.console;

import dev.hooks.ingress.IngressListener;
import dev.hooks.ingress.IngressObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The live feed of the console's dashboard, an {@link IngressListener}: every request the
 * ingress answers is queued for each browser watching the feed, and sent to it as a
 * Server-Sent Event. {@link #onResult} never blocks: each watcher has a bounded queue, and an
 * observation that does not fit is dropped for that watcher (counted in {@link #dropped}). With
 * nobody watching it returns at once. Thread-safe; one per console.
 *
 * <pre>{@code
 * AutoCloseable registration = hooks.ingress().addListener(console.feed());
 * }</pre>
 */
public final class ConsoleFeed implements IngressListener, AutoCloseable {
  private static final IngressObservation CLOSED = new IngressObservation("", "", 0, null, null, Instant.EPOCH, 0);

  private final CopyOnWriteArrayList<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final int maxWatchers;
  private final int queueCapacity;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param maxWatchers browsers that may watch at once; {@link #watch} refuses past it
   * @param queueCapacity items queued per watcher before new ones are dropped for it
   * @throws IllegalArgumentException if either is below 1
   */
  public ConsoleFeed(int maxWatchers, int queueCapacity) {
    if (maxWatchers < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("maxWatchers and queueCapacity must be at least 1");
    }
    this.maxWatchers = maxWatchers;
    this.queueCapacity = queueCapacity;
  }

  /** 8 watchers, 256 items each. */
  public static ConsoleFeed ofDefaults() {
    return new ConsoleFeed(8, 256);
  }

  /** Queues {@code item} for every watcher; never blocks, never throws for a full queue, allocates nothing. */
  @Override
  public void onResult(IngressObservation item) {
    if (watchers.isEmpty()) {
      return;
    }
    for (Watcher w : watchers) {
      if (!w.queue.offer(item)) {
        dropped.incrementAndGet();
      }
    }
  }

  /** Items dropped because a watcher's queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Browsers watching now. */
  public int watching() {
    return watchers.size();
  }

  /** A new watcher, or null when {@code maxWatchers} are watching or the feed is closed. */
  public synchronized @Nullable Watcher watch() {
    if (closed || watchers.size() >= maxWatchers) {
      return null;
    }
    Watcher w = new Watcher();
    watchers.add(w);
    return w;
  }

  /** Ends every watcher's stream; later {@link #watch} calls answer null. */
  @Override
  public synchronized void close() {
    closed = true;
    for (Watcher w : watchers) {
      w.queue.clear();
      w.queue.offer(CLOSED);
    }
  }

  /** One browser's queue. Used by one thread, the one writing its event stream. */
  public final class Watcher implements AutoCloseable {
    private final BlockingQueue<IngressObservation> queue = new ArrayBlockingQueue<>(queueCapacity);

    private Watcher() {}

    /**
     * The next item, waiting at most {@code wait}; null after {@code wait} with nothing new.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws java.util.concurrent.CancellationException once the feed is closed
     */
    public @Nullable IngressObservation next(Duration wait) throws InterruptedException {
      IngressObservation item = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (item == CLOSED || closed) {
        throw new java.util.concurrent.CancellationException("the console feed is closed");
      }
      return item;
    }

    @Override
    public void close() {
      watchers.remove(this);
    }
  }
}
