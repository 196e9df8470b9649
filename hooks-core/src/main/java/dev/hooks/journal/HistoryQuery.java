package dev.hooks.journal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A page of the journal for an operator's history view: entries newest first, optionally of one
 * endpoint, of one status, received at or after {@code since}, and older than the request id
 * {@code before} (the {@link HistoryPage#next()} of the page before).
 *
 * @param endpointId only this endpoint's entries, or all
 * @param status only entries in this status, or all
 * @param since only entries received at or after this instant, or all
 * @param before only entries whose request id sorts before this one, or from the newest
 * @param limit the most entries in the page, 1 to {@link #MAX_LIMIT}
 */
public record HistoryQuery(
    @Nullable String endpointId,
    JournalEntry.@Nullable Status status,
    @Nullable Instant since,
    @Nullable String before,
    int limit) {

  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  public HistoryQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", not " + limit);
    }
  }

  /** The newest {@code limit} entries of every endpoint and status. */
  public static HistoryQuery latest(int limit) {
    return new HistoryQuery(null, null, null, null, limit);
  }

  /** Whether {@code entry} passes every filter but {@code before} and the limit. */
  public boolean matches(JournalEntry entry) {
    return (endpointId == null || endpointId.equals(entry.endpointId()))
        && (status == null || status == entry.status())
        && (since == null || !entry.receivedAt().isBefore(since));
  }
}
