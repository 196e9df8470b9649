package dev.hooks.jdbc;

import dev.hooks.event.Delivery;
import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.JournalEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * A child process for {@link JdbcJournalKillIT}: appends deliveries to the journal at the URL
 * given, prints each accepted request id once {@code append} has returned, and halts the JVM
 * without any shutdown (as a SIGKILL would) after the count given.
 */
public final class AppendThenHalt {
  private AppendThenHalt() {}

  public static void main(String[] args) {
    String url = args[0];
    int count = Integer.parseInt(args[1]);
    Durability durability = Durability.valueOf(args[2]);
    JdbcJournals db = JdbcJournals.builder().url(url).durability(durability).purgeInterval(Duration.ZERO).build();
    EventJournal journal = db.eventJournal();
    Instant now = Instant.now();
    for (int i = 0; i < count; i++) {
      Delivery d = Delivery.builder("github")
          .body(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))
          .receivedAt(now)
          .build();
      journal.append(JournalEntry.accepted("req-" + i, "delivery-" + i, d, "child", now));
      System.out.println("accepted req-" + i);
      System.out.flush();
    }
    Runtime.getRuntime().halt(137);
  }
}
