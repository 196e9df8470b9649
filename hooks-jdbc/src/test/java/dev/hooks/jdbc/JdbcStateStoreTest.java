package dev.hooks.jdbc;

import dev.hooks.state.StateStore;
import dev.hooks.state.StateStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The StateStore contract against an H2 file. */
class JdbcStateStoreTest extends StateStoreContract {
  @TempDir
  Path dir;

  private JdbcJournals db;

  @Override
  protected StateStore newStore() {
    db = JdbcJournals.builder().url("jdbc:h2:file:" + dir.resolve("hooks")).purgeInterval(Duration.ZERO).build();
    return db.stateStore();
  }

  @AfterEach
  void close() {
    db.close();
  }
}
