package dev.hooks.spring;

import dev.hooks.Hooks;
import org.springframework.context.SmartLifecycle;

/**
 * Starts {@link Hooks} before the web server takes requests and closes it after the server has
 * stopped taking them (graceful shutdown included): the dispatcher drains, then the journal closes.
 */
public final class HooksLifecycle implements SmartLifecycle {
  /** Before the web server's phase, so hooks starts first and stops last. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

  private final Hooks hooks;
  private volatile boolean running;

  public HooksLifecycle(Hooks hooks) {
    this.hooks = hooks;
  }

  @Override
  public synchronized void start() {
    if (!running) {
      hooks.start();
      running = true;
    }
  }

  @Override
  public synchronized void stop() {
    if (running) {
      running = false;
      hooks.close();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
