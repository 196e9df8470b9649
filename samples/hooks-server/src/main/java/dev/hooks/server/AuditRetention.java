package dev.hooks.server;

import dev.hooks.endpoints.EndpointStore;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes audit entries of the endpoint registry once they are older than {@code
 * audit.retention-days}: at start and then every purge interval ({@code journal.purge-interval}),
 * on a daemon thread of its own. A failed purge is logged and tried again at the next interval.
 * Thread-safe; {@link #close()} stops it.
 */
final class AuditRetention implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

  private final EndpointStore registry;
  private final Duration retain;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  AuditRetention(EndpointStore registry, Duration retain, Duration every, Clock clock) {
    this.registry = registry;
    this.retain = retain;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hooks-audit-retention");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::purgeLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Removes the entries older than the retention at the clock's instant; how many. */
  int purge() {
    return registry.purgeAudit(clock.instant().minus(retain));
  }

  private void purgeLogged() {
    try {
      int removed = purge();
      if (removed > 0) {
        LOG.info("removed {} audit entr{} older than {} day(s)", removed, removed == 1 ? "y" : "ies", retain.toDays());
      }
    } catch (RuntimeException e) {
      LOG.warn("the audit purge failed and runs again at the next interval: {}", e.toString());
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
