package dev.hooks.jdbc;

import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.outbox.NotificationOutbox;

/** The outbox cases against hooks-core's in-memory outbox, the behaviour the JDBC one follows. */
class InMemoryNotificationOutboxCasesTest extends NotificationOutboxCases {
  @Override
  NotificationOutbox newOutbox() {
    return new InMemoryNotificationOutbox();
  }
}
