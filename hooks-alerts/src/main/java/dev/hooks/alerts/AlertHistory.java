package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every alert delivery with its outcome, the payloads for replay and the daily counts of {@code
 * GET /api/stats}, bounded ({@code maxEntries}) and purged past the retention. In memory;
 * thread-safe.
 */
public final class AlertHistory {
  private final int maxEntries;
  private final Deque<HistoryEntry> entries = new ArrayDeque<>();
  private final Map<String, Stored> payloads = new LinkedHashMap<>();
  private final Map<LocalDate, Map<String, Long>> daily = new TreeMap<>();

  /** A delivery kept for replay. */
  public record Stored(String endpointId, JsonNode payload, Instant at) {}

  public AlertHistory(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  synchronized void received(String requestId, String endpointId, JsonNode payload, Instant at) {
    payloads.put(requestId, new Stored(endpointId, payload, at));
    while (payloads.size() > maxEntries) {
      Iterator<String> it = payloads.keySet().iterator();
      it.next();
      it.remove();
    }
    count(at, "received");
  }

  synchronized void record(HistoryEntry e) {
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
  public synchronized List<HistoryEntry> ofRequest(String requestId) {
    return entries.stream().filter(e -> e.requestId().equals(requestId)).toList();
  }

  public synchronized Optional<Stored> stored(String requestId) {
    return Optional.ofNullable(payloads.get(requestId));
  }

  /** Per UTC day: received, created, updated, closed, reopened, skipped, failed. */
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
  public synchronized void purge(Instant before) {
    entries.removeIf(e -> e.at().isBefore(before));
    payloads.values().removeIf(s -> s.at().isBefore(before));
    daily.keySet().removeIf(d -> d.isBefore(LocalDate.ofInstant(before, ZoneOffset.UTC)));
  }

  /** Counts by outcome over every entry kept. */
  public synchronized Map<Outcome, Long> outcomes() {
    Map<Outcome, Long> m = new EnumMap<>(Outcome.class);
    for (HistoryEntry e : entries) {
      m.merge(e.outcome(), 1L, Long::sum);
    }
    return m;
  }
}
