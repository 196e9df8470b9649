package dev.hooks.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.EventJournalContract;
import dev.hooks.journal.HistoryPage;
import dev.hooks.journal.HistoryQuery;
import dev.hooks.journal.JournalEntry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedEventJournalTest extends EventJournalContract {
  @TempDir Path dir;

  @Override
  protected EventJournal newJournal() {
    return EmbeddedEventJournal.open(dir.resolve("journal"), Durability.OS);
  }

  @Test
  void historyOfARareEndpointStopsAfterTheScanBoundAndGoesOnFromNext() {
    journal.append(entry("a0000000", "rare", "d-rare", T0));
    for (int i = 1; i <= EmbeddedEventJournal.HISTORY_SCAN + 5; i++) {
      journal.append(entry(String.format("b%07d", i), "github", "d" + i, T0.plusMillis(i)));
    }

    HistoryPage first = journal.history(new HistoryQuery("rare", null, null, null, 10));
    assertThat(first.entries()).isEmpty();
    assertThat(first.next()).isNotNull();

    HistoryPage second = journal.history(new HistoryQuery("rare", null, null, first.next(), 10));
    assertThat(second.entries()).extracting(JournalEntry::requestId).containsExactly("a0000000");
    assertThat(second.next()).isNull();
  }
}
