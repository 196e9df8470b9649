package dev.hooks.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskBufferTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> drain(DiskBuffer buffer) throws IOException {
    List<String> out = new ArrayList<>();
    DiskBuffer.Entry e;
    while ((e = buffer.peek()) != null) {
      out.add(new String(e.bytes(), StandardCharsets.UTF_8));
      buffer.remove(e);
    }
    return out;
  }

  @Test
  void whatWasNotRemovedIsThereAfterReopening() throws IOException {
    try (DiskBuffer buffer = new DiskBuffer(dir, "t", 100, false)) {
      for (int i = 0; i < 5; i++) {
        buffer.append(b("event " + i));
      }
      buffer.remove(buffer.peek());
      buffer.remove(buffer.peek());
    }
    try (DiskBuffer again = new DiskBuffer(dir, "t", 100, false)) {
      assertThat(drain(again)).containsExactly("event 2", "event 3", "event 4");
    }
    try (DiskBuffer empty = new DiskBuffer(dir, "t", 100, false)) {
      assertThat(empty.size()).isZero();
    }
  }

  @Test
  void aRecordTornByACrashIsCutAndTheRestKept() throws IOException {
    try (DiskBuffer buffer = new DiskBuffer(dir, "t", 100, false)) {
      buffer.append(b("whole"));
      buffer.append(b("torn record"));
    }
    Path log;
    try (Stream<Path> files = Files.list(dir)) {
      log = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 3);
    }
    try (DiskBuffer again = new DiskBuffer(dir, "t", 100, false)) {
      again.append(b("after"));
      assertThat(drain(again)).containsExactly("whole", "after");
    }
  }

  @Test
  void pastTheBoundTheOldestIsDroppedAndCounted() throws IOException {
    try (DiskBuffer buffer = new DiskBuffer(dir, "t", 3, false)) {
      for (int i = 0; i < 5; i++) {
        buffer.append(b("e" + i));
      }
      assertThat(buffer.dropped()).isEqualTo(2);
    }
    try (DiskBuffer again = new DiskBuffer(dir, "t", 3, false)) {
      assertThat(drain(again)).containsExactly("e2", "e3", "e4");
    }
  }

  @Test
  void compactionKeepsOrderAndLeavesOneLogFile() throws IOException {
    byte[] big = new byte[64 * 1024];
    try (DiskBuffer buffer = new DiskBuffer(dir, "t", 1000, false)) {
      for (int i = 0; i < 40; i++) {
        big[0] = (byte) i;
        buffer.append(big.clone());
      }
      for (int i = 0; i < 20; i++) {
        buffer.remove(buffer.peek());
      }
      assertThat(buffer.peek().bytes()[0]).isEqualTo((byte) 20);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".log")).count()).isEqualTo(1);
    }
    try (DiskBuffer again = new DiskBuffer(dir, "t", 1000, false)) {
      assertThat(again.size()).isEqualTo(20);
      assertThat(again.peek().bytes()[0]).isEqualTo((byte) 20);
    }
  }
}
