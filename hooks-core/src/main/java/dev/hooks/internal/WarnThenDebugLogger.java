package dev.hooks.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Logs a repeating failure at WARN the first time and at DEBUG after that, until
 * {@link #recovered()} is called; then the next failure warns again. Thread-safe.
 */
public final class WarnThenDebugLogger {
  private final Logger logger;
  private final AtomicBoolean warned = new AtomicBoolean();

  public WarnThenDebugLogger(Logger logger) {
    this.logger = logger;
  }

  public void log(String message, Throwable failure) {
    if (warned.compareAndSet(false, true)) {
      logger.warn(message + " (repeats are logged at DEBUG until it recovers)", failure);
    } else if (logger.isDebugEnabled()) {
      logger.debug(message, failure);
    }
  }

  public void recovered() {
    if (warned.compareAndSet(true, false)) {
      logger.info("recovered: the failure logged before has stopped");
    }
  }
}
