package dev.hooks.embedded;

import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.EventJournalContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedEventJournalTest extends EventJournalContract {
  @TempDir Path dir;

  @Override
  protected EventJournal newJournal() {
    return EmbeddedEventJournal.open(dir.resolve("journal"), Durability.OS);
  }
}
