package dev.hooks.server;

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what is older than a retention, at start and then every purge interval ({@code
 * journal.purge-interval}), on a daemon thread of its own: sent notifications of the outbox
 * ({@code notify.retention-days}), audit entries of the endpoint registry ({@code
 * audit.retention-days}). A failed purge is logged and tried again at the next interval.
 * Thread-safe; {@link #close()} stops it.
 */
final class PeriodicPurge implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodicPurge.class);

  private final String what;
  private final ToIntFunction<Instant> purgeBefore;
  private final Duration retain;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  /**
   * @param what what is purged, for the thread name and the log ("sent notifications")
   * @param purgeBefore removes what is older than the instant given; answers how many
   */
  PeriodicPurge(String what, ToIntFunction<Instant> purgeBefore, Duration retain, Duration every, Clock clock) {
    this.what = what;
    this.purgeBefore = purgeBefore;
    this.retain = retain;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hooks-retention-" + what.replace(' ', '-'));
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::purgeLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Removes what is older than the retention at the clock's instant; how many. */
  int purge() {
    return purgeBefore.applyAsInt(clock.instant().minus(retain));
  }

  private void purgeLogged() {
    try {
      int removed = purge();
      if (removed > 0) {
        LOG.info("removed {} {} older than {} day(s)", removed, what, retain.toDays());
      }
    } catch (RuntimeException e) {
      LOG.warn("the purge of {} failed and runs again at the next interval: {}", what, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
