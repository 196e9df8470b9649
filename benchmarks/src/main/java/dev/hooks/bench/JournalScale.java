package dev.hooks.bench;

import dev.hooks.embedded.EmbeddedEventJournal;
import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal.Completion;
import dev.hooks.journal.JournalEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The embedded journal as the work grows: fills it with {@code entries} deliveries of which
 * {@code pending} are left pending and the rest done, then measures a restart (open until the
 * first claim answers), append + complete throughput beside the same on an empty journal, and a
 * purge of every done entry with the disk space before and after and the append + complete throughput
 * while it runs.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.hooks.bench.JournalScale [entries=1000000] [pending=10000] [body bytes=1024]</pre>
 */
public final class JournalScale {
  private static final int MEASURED = 50_000;

  private JournalScale() {}

  public static void main(String[] args) throws IOException {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int pending = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    byte[] body = ("{\"padding\":\"" + "x".repeat(Math.max(0, (args.length > 2 ? Integer.parseInt(args[2]) : 1024) - 14)) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    Path root = Files.createTempDirectory(Path.of(System.getProperty("scale.dir", System.getProperty("java.io.tmpdir"))), "hooks-scale-");
    try {
      double empty = throughput(root.resolve("empty"), body, "e");
      Path dir = root.resolve("full");
      long fillStart = System.nanoTime();
      try (EmbeddedEventJournal j = EmbeddedEventJournal.open(dir, Durability.OS)) {
        List<Completion> batch = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
          String id = "r" + i;
          j.append(JournalEntry.accepted(id, "d" + i, delivery(i, body), "filler", Instant.EPOCH));
          if (i >= pending) {
            batch.add(new Completion(id, 1));
            if (batch.size() == 1000) {
              j.completeAll(batch);
              batch.clear();
            }
          }
        }
        j.completeAll(batch);
        System.out.printf("filled %,d entries (%,d pending, %d-byte bodies) in %.1f s; %s on disk%n", entries, pending, body.length,
            (System.nanoTime() - fillStart) / 1e9, mib(du(dir)));
      }
      long openStart = System.nanoTime();
      try (EmbeddedEventJournal j = EmbeddedEventJournal.open(dir, Durability.OS)) {
        int claimed = j.claim("after-restart", Instant.now(), Duration.ofSeconds(30), 100).size();
        System.out.printf("restart: open to first claim (%d entries) %.0f ms; counts %s%n", claimed, (System.nanoTime() - openStart) / 1e6,
            j.counts());
      }
      double full = throughput(dir, body, "f");
      System.out.printf("append+complete: empty journal %,.0f/s, with %,d entries retained %,.0f/s (%.2fx)%n", empty, entries, full,
          full / empty);
      try (EmbeddedEventJournal j = EmbeddedEventJournal.open(dir, Durability.OS)) {
        long before = du(dir);
        Instant cutoff = Instant.now(); // every entry done so far; none of those appended below
        long start = System.nanoTime();
        CompletableFuture<Integer> purge = CompletableFuture.supplyAsync(() -> j.purgeDone(cutoff));
        int during = 0;
        while (!purge.isDone()) { // ingest goes on while the purge runs
          appendAndComplete(j, "p", during++, body);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("purge: %,d done entries in %.1f s; disk %s before, %s after; meanwhile append+complete %,.0f/s (%.2fx empty)%n",
            purge.join(), seconds, mib(before), mib(du(dir)), during / seconds, during / seconds / empty);
      }
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Appends and completes {@value #MEASURED} deliveries one by one; per second. */
  private static double throughput(Path dir, byte[] body, String prefix) {
    try (EmbeddedEventJournal j = EmbeddedEventJournal.open(dir, Durability.OS)) {
      for (int i = 0; i < 5_000; i++) { // warm-up
        appendAndComplete(j, prefix + "w", i, body);
      }
      long start = System.nanoTime();
      for (int i = 0; i < MEASURED; i++) {
        appendAndComplete(j, prefix + "m", i, body);
      }
      return MEASURED / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** One delivery as the server journals it: appended, then completed by its handler. */
  private static void appendAndComplete(EmbeddedEventJournal j, String prefix, int i, byte[] body) {
    String id = prefix + i;
    j.append(JournalEntry.accepted(id, id, delivery(i, body), "bench", Instant.EPOCH));
    j.complete(id, 1);
  }

  private static Delivery delivery(int i, byte[] body) {
    return Delivery.builder("github")
        .method("POST")
        .url("http://127.0.0.1/hooks/github")
        .headers(Headers.builder().add("Content-Type", "application/json").add("X-GitHub-Delivery", "d" + i).build())
        .body(body)
        .receivedAt(Instant.now())
        .build();
  }

  private static long du(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static String mib(long bytes) {
    return String.format("%.0f MiB", bytes / 1048576.0);
  }
}
