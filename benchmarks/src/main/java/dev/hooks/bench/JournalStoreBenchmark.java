package dev.hooks.bench;

import dev.hooks.bench.store.FileLogSpikeStore;
import dev.hooks.bench.store.MvStoreSpikeStore;
import dev.hooks.bench.store.RocksSpikeStore;
import dev.hooks.bench.store.SpikeStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The storage spike of the embedded journal: one operation is what one delivery costs the
 * journal, an append of the 8.8 KB GitHub push body checked against its dedupe key, then its
 * completion, each durable at {@code durability} ({@code os}: written to the operating system;
 * {@code sync}: fsynced). Every contender runs in the same JMH run so that their ratios hold on a
 * shared machine. Each iteration starts from an empty store in a new directory.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar JournalStoreBenchmark -f 1 -wi 2 -w 2s -i 3 -r 3s</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalStoreBenchmark {
  @Param({"rocksdb", "rocksdb-blobs", "mvstore", "filelog"})
  public String store;

  @Param({"os", "sync"})
  public String durability;

  private final AtomicLong sequence = new AtomicLong();
  private byte[] body;
  private Path dir;
  private SpikeStore journal;

  @Setup(Level.Trial)
  public void loadBody() throws IOException {
    try (InputStream in = JournalStoreBenchmark.class.getResourceAsStream("/github-push-8k.json")) {
      body = in.readAllBytes();
    }
  }

  @Setup(Level.Iteration)
  public void open() throws IOException {
    dir = Files.createTempDirectory(Path.of(System.getProperty("spike.dir", System.getProperty("java.io.tmpdir"))), "hooks-spike-");
    boolean sync = durability.equals("sync");
    journal = switch (store) {
      case "rocksdb" -> new RocksSpikeStore(dir, sync, false);
      case "rocksdb-blobs" -> new RocksSpikeStore(dir, sync, true);
      case "mvstore" -> new MvStoreSpikeStore(dir, sync);
      case "filelog" -> new FileLogSpikeStore(dir, sync);
      default -> throw new IllegalArgumentException(store);
    };
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    journal.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  @Threads(1)
  public boolean single() {
    return delivery();
  }

  @Benchmark
  @Threads(4)
  public boolean concurrent() {
    return delivery();
  }

  private boolean delivery() {
    String id = Long.toString(sequence.incrementAndGet());
    boolean appended = journal.append("github\u0000" + id, id, body);
    journal.complete(id);
    return appended;
  }
}
