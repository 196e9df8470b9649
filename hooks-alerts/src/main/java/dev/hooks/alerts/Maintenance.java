package dev.hooks.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Maintenance: a global toggle, windows and silences. A suppressed alert is recorded as skipped
 * with what suppressed it. Thread-safe.
 */
public final class Maintenance {
  private final AtomicBoolean global = new AtomicBoolean();
  private final List<MaintenanceWindow> windows = new CopyOnWriteArrayList<>();
  private final List<Silence> silences = new CopyOnWriteArrayList<>();

  /** Whether global maintenance is on. */
  public boolean global() {
    return global.get();
  }

  /** Turns global maintenance on or off. */
  public void global(boolean on) {
    global.set(on);
  }

  public Maintenance window(MaintenanceWindow w) {
    windows.add(w);
    return this;
  }

  public Maintenance silence(Silence s) {
    silences.removeIf(x -> x.id().equals(s.id()));
    silences.add(s);
    return this;
  }

  public List<MaintenanceWindow> windows() {
    return List.copyOf(windows);
  }

  /** The silences not yet expired at {@code now}; expired ones are forgotten. */
  public List<Silence> silences(Instant now) {
    silences.removeIf(s -> !now.isBefore(s.expiresAt()));
    return List.copyOf(silences);
  }

  /** What suppresses {@code alert} at {@code now}: {@code global}, {@code window <name>} or {@code silence <id>}; empty if nothing. */
  public Optional<String> suppressedBy(Alert alert, Instant now) {
    if (global.get()) {
      return Optional.of("global maintenance");
    }
    for (MaintenanceWindow w : windows) {
      if (w.contains(now)) {
        return Optional.of("window " + w.name());
      }
    }
    for (Silence s : silences) {
      if (s.silences(alert, now)) {
        return Optional.of("silence " + s.id());
      }
    }
    return Optional.empty();
  }
}
