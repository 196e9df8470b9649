package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link AlertHistory} in memory, bounded ({@code maxEntries}): for tests and a single process
 * that need not keep history across restarts. Thread-safe.
 */
public final class InMemoryAlertHistory implements AlertHistory {
  private final int maxEntries;
  private final Deque<HistoryEntry> entries = new ArrayDeque<>();
  private final Map<String, Stored> payloads = new LinkedHashMap<>();
  private final Map<LocalDate, Map<String, Long>> daily = new TreeMap<>();

  public InMemoryAlertHistory(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  @Override
  public synchronized void received(String requestId, String endpointId, JsonNode payload, Instant at) {
    payloads.put(requestId, new Stored(endpointId, payload, at));
    while (payloads.size() > maxEntries) {
      Iterator<String> it = payloads.keySet().iterator();
      it.next();
      it.remove();
    }
    count(at, "received");
  }

  @Override
  public synchronized void record(HistoryEntry e) {
    entries.addFirst(e);
    while (entries.size() > maxEntries) {
      entries.removeLast();
    }
    count(e.at(), e.outcome().name().toLowerCase(java.util.Locale.ROOT));
  }

  private void count(Instant at, String key) {
    daily.computeIfAbsent(LocalDate.ofInstant(at, ZoneOffset.UTC), d -> new LinkedHashMap<>()).merge(key, 1L, Long::sum);
  }

  /** The most recent entries first, at most {@code limit}. */
  @Override
  public synchronized List<HistoryEntry> recent(int limit) {
    List<HistoryEntry> out = new ArrayList<>();
    for (HistoryEntry e : entries) {
      if (out.size() >= limit) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  /** The entries of one delivery. */
  @Override
  public synchronized List<HistoryEntry> ofRequest(String requestId) {
    return entries.stream().filter(e -> e.requestId().equals(requestId)).toList();
  }

  @Override
  public synchronized Optional<Stored> stored(String requestId) {
    return Optional.ofNullable(payloads.get(requestId));
  }

  /** Per UTC day: received, created, updated, closed, reopened, skipped, failed. */
  @Override
  public synchronized Map<String, Map<String, Long>> stats() {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (Map.Entry<LocalDate, Map<String, Long>> d : daily.entrySet()) {
      Map<String, Long> row = new LinkedHashMap<>();
      row.put("received", d.getValue().getOrDefault("received", 0L));
      for (Outcome o : Outcome.values()) {
        String k = o.name().toLowerCase(java.util.Locale.ROOT);
        row.put(k, d.getValue().getOrDefault(k, 0L));
      }
      out.put(d.getKey().toString(), row);
    }
    return out;
  }

  /** Forgets entries, payloads and days older than {@code before}. */
  @Override
  public synchronized void purge(Instant before) {
    entries.removeIf(e -> e.at().isBefore(before));
    payloads.values().removeIf(s -> s.at().isBefore(before));
    daily.keySet().removeIf(d -> d.isBefore(LocalDate.ofInstant(before, ZoneOffset.UTC)));
  }
}
