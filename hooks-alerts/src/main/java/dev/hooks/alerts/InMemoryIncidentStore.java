package dev.hooks.alerts;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Incidents in memory, for tests and a single process without a database. Thread-safe. */
public final class InMemoryIncidentStore implements IncidentStore {
  private final Map<String, Incident> incidents = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  @Override
  public void update(String fingerprint, Change change) throws Exception {
    synchronized (locks.computeIfAbsent(fingerprint, k -> new Object())) {
      Optional<Incident> next = change.apply(Optional.ofNullable(incidents.get(fingerprint)));
      next.ifPresent(i -> incidents.put(fingerprint, i));
    }
  }

  @Override
  public Optional<Incident> find(String fingerprint) {
    return Optional.ofNullable(incidents.get(fingerprint));
  }

  @Override
  public List<Incident> list() {
    return List.copyOf(incidents.values());
  }
}
