package dev.hooks.jdbc.internal;

import dev.hooks.journal.JournalBusyException;
import dev.hooks.journal.JournalUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers {@link #submit} items and wait; writer threads drain the bounded queue
 * and hand everything waiting (up to a batch size) to one {@link BatchWriter} call, that is one
 * transaction and one commit (one sync) for the whole batch. The bound is the back-pressure:
 * a caller waits for room up to its timeout, then gets {@link JournalUnavailableException}.
 *
 * @param <T> the item type
 * @param <R> the result per item
 */
public final class GroupCommitQueue<T, R> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitQueue.class);

  /** Writes one batch in one transaction; returns one result per item, in order, or throws. */
  @FunctionalInterface
  public interface BatchWriter<T, R> {
    List<R> write(List<T> batch) throws Exception;
  }

  private record Pending<T, R>(T item, CompletableFuture<R> result) {}

  private final ArrayBlockingQueue<Pending<T, R>> queue;
  private final BatchWriter<T, R> writer;
  private final int maxBatch;
  private final Duration timeout;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  public GroupCommitQueue(String name, int capacity, int maxBatch, int writerThreads, Duration timeout, BatchWriter<T, R> writer) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = writer;
    this.maxBatch = maxBatch;
    this.timeout = timeout;
    for (int i = 0; i < writerThreads; i++) {
      Thread t = new Thread(this::run, name + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /**
   * Queues {@code item} and waits until its batch is committed.
   *
   * @throws JournalUnavailableException if the queue stayed full, the write failed or timed out,
   *     the queue is closed, or the thread was interrupted
   */
  public R submit(T item) {
    if (closed) {
      throw new JournalUnavailableException("journal is closed");
    }
    Pending<T, R> p = new Pending<>(item, new CompletableFuture<>());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!queue.offer(p, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new JournalBusyException("journal write queue full for " + timeout.toMillis() + " ms");
      }
      return p.result().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalUnavailableException("interrupted while waiting for the journal", e);
    } catch (TimeoutException e) {
      throw new JournalUnavailableException("journal write not confirmed within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof JournalUnavailableException j) {
        throw new JournalUnavailableException(j.getMessage(), j);
      }
      throw new JournalUnavailableException("journal write failed: " + cause, cause);
    }
  }

  /** Items waiting for a writer. */
  public int queued() {
    return queue.size();
  }

  /** Whether the writer threads are running. */
  public boolean isRunning() {
    return !closed && threads.stream().allMatch(Thread::isAlive);
  }

  private void run() {
    List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
    List<T> items = new ArrayList<>(maxBatch);
    while (true) {
      Pending<T, R> first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (closed) {
          first = queue.poll();
          if (first == null) {
            return;
          }
        } else {
          continue;
        }
      }
      if (first == null) {
        if (closed) {
          return;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, maxBatch - 1);
      for (Pending<T, R> p : batch) {
        items.add(p.item());
      }
      try {
        List<R> results = writer.write(items);
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).result().complete(results.get(i));
        }
      } catch (Throwable t) {
        LOG.debug("journal batch of {} failed", batch.size(), t);
        for (Pending<T, R> p : batch) {
          p.result().completeExceptionally(t);
        }
        if (t instanceof Error e) {
          throw e;
        }
      } finally {
        batch.clear();
        items.clear();
      }
    }
  }

  /** Writes what is queued, stops the writers and fails anything still waiting. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (Thread t : threads) {
      try {
        t.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Pending<T, R> p;
    while ((p = queue.poll()) != null) {
      p.result().completeExceptionally(new JournalUnavailableException("journal is closed"));
    }
  }
}
