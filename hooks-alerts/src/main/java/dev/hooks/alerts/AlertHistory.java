package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every alert delivery with its outcome, the deliveries kept for replay and the daily counts of
 * {@code GET /api/stats}, purged past the retention. Implementations are thread-safe; see {@link
 * InMemoryAlertHistory} and {@link JdbcAlertHistory}.
 */
public interface AlertHistory {

  /** A delivery kept for replay. */
  record Stored(String endpointId, JsonNode payload, Instant at) {}

  /** Keeps a delivery for replay and counts it as received; a second call for one id is ignored. */
  void received(String requestId, String endpointId, JsonNode payload, Instant at);

  /** Keeps one alert's outcome and counts it. */
  void record(HistoryEntry entry);

  /** The most recent entries first, at most {@code limit}. */
  List<HistoryEntry> recent(int limit);

  /** The entries of one delivery. */
  List<HistoryEntry> ofRequest(String requestId);

  /** The delivery {@code requestId}, if kept. */
  Optional<Stored> stored(String requestId);

  /** Per UTC day ({@code 2026-03-10}): received, created, updated, closed, reopened, skipped, failed. */
  Map<String, Map<String, Long>> stats();

  /** Forgets entries, deliveries and days older than {@code before}. */
  void purge(Instant before);
}
