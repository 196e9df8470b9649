package dev.hooks.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal.Completion;
import dev.hooks.journal.JournalCounts;
import dev.hooks.journal.JournalEntry;
import dev.hooks.journal.JournalEntry.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a crash: a child process killed with SIGKILL mid-burst, and damaged log files. */
class EmbeddedJournalCrashTest {
  @TempDir Path dir;

  /** Starts {@link AppendUntilKilled}, kills it after {@code killAfter} acknowledged appends, returns the acknowledged ids. */
  private List<String> appendThenKill(Path journal, Durability durability, int total, int killAfter) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AppendUntilKilled.class.getName(),
        journal.toString(), durability.name(), Integer.toString(total))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    List<String> acknowledged = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("all")) {
        acknowledged.add(line);
        if (acknowledged.size() == killAfter) {
          child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
          break;
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return acknowledged;
  }

  @Test
  void killMinus9DuringTenThousandAppendsLosesNoAcknowledgedEntry() throws Exception {
    Path journalDir = dir.resolve("journal");
    List<String> acknowledged = appendThenKill(journalDir, Durability.OS, 10_000, 4_000);
    assertThat(acknowledged).hasSize(4_000);
    try (EmbeddedEventJournal journal = EmbeddedEventJournal.open(journalDir, Durability.OS)) {
      for (String id : acknowledged) {
        assertThat(journal.find(id)).as(id).isPresent();
      }
      long pending = journal.counts().pending();
      assertThat(pending).isGreaterThanOrEqualTo(4_000).isLessThan(10_000);
      // The dead process's leases were released at open: everything is claimable now, once each.
      List<JournalEntry> claimed = journal.claim("after", Instant.now(), Duration.ofSeconds(30), 20_000);
      assertThat(claimed).hasSize((int) pending);
      assertThat(claimed.stream().map(JournalEntry::requestId).distinct().count()).isEqualTo(pending);
      assertThat(journal.claim("another", Instant.now(), Duration.ofSeconds(30), 10)).isEmpty();
      // A duplicate of an acknowledged delivery is still recognized after the crash.
      JournalEntry first = journal.find("r0").orElseThrow();
      assertThat(journal.append(JournalEntry.accepted("again", "d0", first.delivery(), "x", Instant.now())).duplicate()).isTrue();
    }
  }

  @Test
  void aTornTailOfTheLogIsDroppedNotReadAsAnEntry() throws Exception {
    Path journalDir = dir.resolve("journal");
    List<String> acknowledged = appendThenKill(journalDir, Durability.OS, 200, 200);
    Path wal = newestWal(journalDir);
    long size = Files.size(wal);
    try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
      f.setLength(size - 3000); // cut the last record in the middle
    }
    try (EmbeddedEventJournal journal = EmbeddedEventJournal.open(journalDir, Durability.OS)) {
      JournalCounts counts = journal.counts();
      assertThat(counts.pending()).isLessThan(200).isGreaterThan(150);
      // Whatever is there is whole: every entry found has its full body.
      for (String id : acknowledged) {
        journal.find(id).ifPresent(e -> assertThat(e.delivery().body().length).isEqualTo(AppendUntilKilled.BODY.length));
      }
    }
  }

  @Test
  void aFlippedByteInTheLogIsDetectedByItsChecksum() throws Exception {
    Path journalDir = dir.resolve("journal");
    appendThenKill(journalDir, Durability.OS, 200, 200);
    Path wal = newestWal(journalDir);
    long size = Files.size(wal);
    try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
      long at = size / 2;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5a);
    }
    try (EmbeddedEventJournal journal = EmbeddedEventJournal.open(journalDir, Durability.OS)) {
      // RocksDB's point-in-time recovery keeps the records before the damaged one, none after it.
      long pending = journal.counts().pending();
      assertThat(pending).isLessThan(200).isGreaterThan(50);
      List<JournalEntry> all = journal.claim("after", Instant.now(), Duration.ofSeconds(30), 1000);
      for (JournalEntry e : all) {
        assertThat(e.delivery().body().length).isEqualTo(AppendUntilKilled.BODY.length);
        assertThat(e.status()).isEqualTo(Status.PENDING);
      }
      assertThat(journal.completeAll(all.stream().map(e -> new Completion(e.requestId(), e.fence())).toList())).isEqualTo(all.size());
    }
  }

  @Test
  void retentionReturnsTheDiskSpace() throws Exception {
    Path journalDir = dir.resolve("journal");
    appendThenKill(journalDir, Durability.OS, 3000, 3000);
    try (EmbeddedEventJournal journal = EmbeddedEventJournal.open(journalDir, Durability.OS)) {
      List<JournalEntry> all = journal.claim("w", Instant.now(), Duration.ofSeconds(30), 5000);
      journal.completeAll(all.stream().map(e -> new Completion(e.requestId(), e.fence())).toList());
      long before = du(journalDir);
      assertThat(journal.purgeDone(Instant.now().plusSeconds(1))).isEqualTo(3000);
      long after = du(journalDir);
      assertThat(journal.counts()).isEqualTo(new JournalCounts(0, 0, 0));
      assertThat(after).as("bytes after purge, %d before", before).isLessThan(before / 2);
    }
  }

  private static long du(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("LOG"))
          .mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static Path newestWal(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".log")).max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
          .orElseThrow();
    }
  }
}
