package dev.hooks.embedded;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.journal.Durability;
import dev.hooks.journal.JournalEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A child process for {@link EmbeddedJournalCrashTest}: appends entries {@code 0..n-1} to the
 * journal in {@code args[0]} and prints each id on stdout once {@code append} returned (what
 * ingress would answer 202 for), until it is killed.
 */
public final class AppendUntilKilled {
  /** The body of every entry: about the size of a GitHub push. */
  static final byte[] BODY = "{\"ref\":\"refs/heads/main\",\"padding\":\"".concat("x".repeat(8000)).concat("\"}")
      .getBytes(StandardCharsets.UTF_8);

  private AppendUntilKilled() {}

  public static void main(String[] args) {
    EmbeddedEventJournal journal = EmbeddedEventJournal.open(Path.of(args[0]), Durability.valueOf(args[1]));
    int n = Integer.parseInt(args[2]);
    byte[] body = BODY;
    for (int i = 0; i < n; i++) {
      String id = "r" + i;
      Delivery d = Delivery.builder("github")
          .method("POST")
          .url("http://127.0.0.1/hooks/github")
          .headers(Headers.builder().add("X-GitHub-Delivery", "d" + i).build())
          .body(body)
          .receivedAt(Instant.now())
          .build();
      journal.append(JournalEntry.accepted(id, "d" + i, d, "child", Instant.now().plusSeconds(30)));
      System.out.println(id);
      System.out.flush();
    }
    System.out.println("all");
    System.out.flush();
  }
}
