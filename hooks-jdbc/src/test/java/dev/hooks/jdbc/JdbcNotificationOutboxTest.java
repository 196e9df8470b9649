package dev.hooks.jdbc;

import dev.hooks.outbox.NotificationOutbox;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The outbox cases against an H2 file. */
class JdbcNotificationOutboxTest extends NotificationOutboxCases {
  @TempDir
  Path dir;

  private JdbcJournals db;

  @Override
  NotificationOutbox newOutbox() {
    db = JdbcJournals.builder().url("jdbc:h2:file:" + dir.resolve("hooks")).purgeInterval(Duration.ZERO).build();
    return db.outbox();
  }

  @Override
  void closeOutbox() {
    db.close();
  }
}
