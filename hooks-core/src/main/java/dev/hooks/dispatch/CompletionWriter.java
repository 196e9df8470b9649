package dev.hooks.dispatch;

import dev.hooks.internal.WarnThenDebugLogger;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.EventJournal.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Writes completions to the journal in batches on one thread, so that a handled event frees its
 * ordering lane at once instead of after a database round trip. A completion that cannot be
 * written is left to its lease: the entry is claimed and dispatched again (at least once).
 * Thread-safe.
 */
final class CompletionWriter implements AutoCloseable {
  private static final int MAX_BATCH = 500;

  private final EventJournal journal;
  private final LinkedBlockingQueue<Completion> queue = new LinkedBlockingQueue<>();
  private final WarnThenDebugLogger failures = new WarnThenDebugLogger(LoggerFactory.getLogger(Dispatcher.class));
  private final AtomicLong written = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopping;

  CompletionWriter(EventJournal journal) {
    this.journal = journal;
    this.thread = new Thread(this::run, "hooks-complete");
    thread.setDaemon(true);
    thread.start();
  }

  void submit(String requestId, long fence) {
    queue.add(new Completion(requestId, fence));
  }

  /** Entries marked done so far. */
  long written() {
    return written.get();
  }

  private void run() {
    List<Completion> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      Completion first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = queue.poll();
      }
      if (first == null) {
        if (stopping) {
          return;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      try {
        written.addAndGet(journal.completeAll(batch));
        failures.recovered();
      } catch (RuntimeException e) {
        failures.log("marking " + batch.size() + " journal entries done failed; they will be dispatched again after their lease", e);
      }
      batch.clear();
    }
  }

  /** Writes what is queued, then stops; waits at most {@code timeout}. */
  void close(Duration timeout) {
    stopping = true;
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
