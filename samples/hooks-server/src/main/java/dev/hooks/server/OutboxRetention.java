package dev.hooks.server;

import dev.hooks.outbox.NotificationOutbox;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes sent notifications from the outbox once they are older than {@code notify.retention-days}:
 * at start and then every purge interval, on a daemon thread of its own. A failed purge is
 * logged and tried again at the next interval. Thread-safe; {@link #close()} stops it.
 */
final class OutboxRetention implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRetention.class);

  private final NotificationOutbox outbox;
  private final Duration retain;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  OutboxRetention(NotificationOutbox outbox, Duration retain, Duration every, Clock clock) {
    this.outbox = outbox;
    this.retain = retain;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hooks-outbox-retention");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::purge, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void purge() {
    try {
      int removed = outbox.purgeDelivered(clock.instant().minus(retain));
      if (removed > 0) {
        LOG.info("removed {} sent notification(s) older than {} day(s) from the outbox", removed, retain.toDays());
      }
    } catch (RuntimeException e) {
      LOG.warn("the outbox purge failed and runs again at the next interval: {}", e.toString());
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
