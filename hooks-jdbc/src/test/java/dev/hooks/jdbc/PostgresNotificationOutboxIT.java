package dev.hooks.jdbc;

import dev.hooks.outbox.NotificationOutbox;

/** The outbox cases against a real PostgreSQL. */
class PostgresNotificationOutboxIT extends NotificationOutboxCases {
  private JdbcJournals db;

  @Override
  NotificationOutbox newOutbox() {
    db = TestPostgres.replica().build();
    TestPostgres.truncate();
    return db.outbox();
  }

  @Override
  void closeOutbox() {
    db.close();
  }
}
