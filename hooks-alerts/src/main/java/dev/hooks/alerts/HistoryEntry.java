package dev.hooks.alerts;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One alert's delivery in history.
 *
 * @param id the entry's id, {@code <request id>#<alert index>}
 * @param endpointId the alert endpoint
 * @param requestId the delivery's id, the one {@code POST /history/replay/{id}} takes
 * @param at when it was handled
 * @param outcome what became of it
 * @param reason why it was skipped or failed (the sink's error), or the action taken
 * @param fingerprint the incident
 * @param summary the ticket summary
 * @param sink the sink, or null when none was called
 * @param ticket the sink's reference, or null
 * @param companyRule which rule named the company
 * @param companyCandidates the rules that offered one, in order
 * @param matchedRules the routing rules that matched
 * @param payload the alert's JSON with sensitive keys masked as {@code ********}
 */
public record HistoryEntry(String id, String endpointId, String requestId, Instant at, Outcome outcome, String reason,
    String fingerprint, String summary, @Nullable String sink, @Nullable String ticket, String companyRule,
    List<String> companyCandidates, List<String> matchedRules, String payload) {}
