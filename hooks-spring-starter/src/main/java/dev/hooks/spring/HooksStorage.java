package dev.hooks.spring;

import dev.hooks.embedded.EmbeddedEventJournal;
import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.state.InMemoryStateStore;
import dev.hooks.state.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * The stores the starter opened: the journal, the state store and the notification outbox (the
 * embedded kind: the journal on RocksDB, the other two in an H2 file beside it; jdbc: all three in
 * the database). Closed with the application context.
 */
public final class HooksStorage implements AutoCloseable {
  private final String kind;
  private final EventJournal journal;
  private final StateStore state;
  private final NotificationOutbox outbox;
  private final @Nullable JdbcJournals jdbc;
  private final @Nullable EmbeddedEventJournal embedded;

  private HooksStorage(String kind, EventJournal journal, StateStore state, NotificationOutbox outbox, @Nullable JdbcJournals jdbc,
      @Nullable EmbeddedEventJournal embedded) {
    this.kind = kind;
    this.journal = journal;
    this.state = state;
    this.outbox = outbox;
    this.jdbc = jdbc;
    this.embedded = embedded;
  }

  static HooksStorage of(String kind, JdbcJournals jdbc) {
    return new HooksStorage(kind, jdbc.eventJournal(), jdbc.stateStore(), jdbc.outbox(), jdbc, null);
  }

  /** The embedded journal for events, the state store and outbox in the H2 file beside it. */
  static HooksStorage embedded(EmbeddedEventJournal journal, JdbcJournals stores) {
    return new HooksStorage("embedded", journal, stores.stateStore(), stores.outbox(), stores, journal);
  }

  static HooksStorage inMemory() {
    return new HooksStorage("memory", new InMemoryEventJournal(), new InMemoryStateStore(), new InMemoryNotificationOutbox(), null, null);
  }

  /** embedded, jdbc or memory. */
  public String kind() {
    return kind;
  }

  public EventJournal journal() {
    return journal;
  }

  public StateStore stateStore() {
    return state;
  }

  public NotificationOutbox outbox() {
    return outbox;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
    if (jdbc != null) {
      jdbc.close();
    }
  }
}
