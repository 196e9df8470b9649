package dev.hooks.bench;

import dev.hooks.embedded.EmbeddedEventJournal;
import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal.Completion;
import dev.hooks.journal.JournalEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The embedded journal under the server's access pattern, without the server: {@code threads}
 * request threads each append the 8.8 KB push with a fresh delivery id, and one completion thread
 * completes what they appended in batches, as hooks-core's {@code CompletionWriter} does. After a
 * warm-up it prints deliveries per second and the process's CPU per delivery split by thread
 * (appenders, completer, RocksDB's flush and compaction threads, the JVM's), read from
 * {@code /proc/self/task}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.hooks.bench.JournalLoad [os|sync] [threads=32] [warm-up s=20] [measured s=20]</pre>
 */
public final class JournalLoad {
  private JournalLoad() {}

  public static void main(String[] args) throws Exception {
    Durability durability = args.length > 0 ? Durability.valueOf(args[0].toUpperCase(java.util.Locale.ROOT)) : Durability.OS;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int warm = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int measured = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    byte[] body;
    try (InputStream in = JournalLoad.class.getResourceAsStream("/github-push-8k.json")) {
      body = in.readAllBytes();
    }
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("load.dir", System.getProperty("java.io.tmpdir"))), "hooks-load-");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong appended = new AtomicLong();
    AtomicLong completed = new AtomicLong();
    LinkedBlockingQueue<String> toComplete = new LinkedBlockingQueue<>();
    try (EmbeddedEventJournal journal = EmbeddedEventJournal.open(dir, durability)) {
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int n = t;
        workers.add(start("append-" + t, () -> {
          for (long i = 0; !stop.get(); i++) {
            String id = "r" + n + "-" + i;
            journal.append(JournalEntry.accepted(id, id, delivery(id, body), "load", Instant.EPOCH));
            appended.incrementAndGet();
            toComplete.add(id);
          }
        }));
      }
      workers.add(start("complete", () -> {
        List<String> ids = new ArrayList<>();
        while (!stop.get()) {
          try {
            String first = toComplete.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
              continue;
            }
            ids.add(first);
            toComplete.drainTo(ids, 499);
            completed.addAndGet(journal.completeAll(ids.stream().map(id -> new Completion(id, 1)).toList()));
            ids.clear();
          } catch (InterruptedException e) {
            return;
          }
        }
      }));
      Thread.sleep(warm * 1000L);
      Map<String, Long> before = ticksByGroup();
      long a0 = appended.get();
      long c0 = completed.get();
      Thread.sleep(measured * 1000L);
      Map<String, Long> after = ticksByGroup();
      long deliveries = appended.get() - a0;
      long completions = completed.get() - c0;
      stop.set(true);
      for (Thread w : workers) {
        w.join();
      }
      System.out.printf("%s, %d appenders: %,.0f appends/s, %,.0f completions/s; CPU per delivery:", durability, threads,
          deliveries / (double) measured, completions / (double) measured);
      long total = 0;
      for (Map.Entry<String, Long> e : after.entrySet()) {
        long ticks = e.getValue() - before.getOrDefault(e.getKey(), 0L);
        total += ticks;
        System.out.printf(" %s %.0f µs,", e.getKey(), ticks * 10_000.0 / deliveries);
      }
      System.out.printf(" total %.0f µs%n", total * 10_000.0 / deliveries);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Thread start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.start();
    return t;
  }

  /** CPU ticks (1/100 s) of this process's threads, by group of thread name. */
  private static Map<String, Long> ticksByGroup() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          out.merge(group(name), ticks, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended between the listing and the read
        }
      }
    }
    return out;
  }

  private static String group(String name) {
    if (name.startsWith("append-")) {
      return "appenders";
    }
    if (name.startsWith("rocksdb:low")) {
      return "compaction";
    }
    if (name.startsWith("rocksdb:high")) {
      return "flush";
    }
    if (name.startsWith("C1") || name.startsWith("C2")) {
      return "jit";
    }
    return name.equals("complete") ? "completer" : "other";
  }

  private static Delivery delivery(String id, byte[] body) {
    return Delivery.builder("github")
        .method("POST")
        .url("http://127.0.0.1/hooks/github")
        .headers(Headers.builder().add("Content-Type", "application/json").add("X-GitHub-Event", "push").add("X-GitHub-Delivery", id).build())
        .body(body)
        .receivedAt(Instant.now())
        .build();
  }
}
