package dev.hooks.jdbc;

import dev.hooks.journal.EventJournal;
import dev.hooks.journal.EventJournalContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The EventJournal contract against an H2 file. */
class JdbcEventJournalTest extends EventJournalContract {
  @TempDir
  Path dir;

  @Override
  protected EventJournal newJournal() {
    return JdbcJournals.builder()
        .url("jdbc:h2:file:" + dir.resolve("hooks"))
        .purgeInterval(Duration.ZERO)
        .build()
        .eventJournal();
  }
}
