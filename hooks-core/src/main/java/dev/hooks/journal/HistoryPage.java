package dev.hooks.journal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@link EventJournal#history}.
 *
 * @param entries newest first
 * @param next the {@code before} of the following page, or null when there is none; a journal
 *     that bounds the work of one call may return fewer entries than asked with a non-null
 *     {@code next}
 */
public record HistoryPage(List<JournalEntry> entries, @Nullable String next) {
  public HistoryPage {
    entries = List.copyOf(entries);
  }
}
