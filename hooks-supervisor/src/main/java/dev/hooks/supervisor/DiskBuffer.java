package dev.hooks.supervisor;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded first-in first-out queue of records kept in a file, so that what was taken survives a
 * restart of the listener and an outage of the receiver.
 *
 * <p>Records are appended to {@code <name>-<generation>.log} as {@code [length][crc32][bytes]};
 * {@code <name>.head} holds the generation and the offset of the first record not yet removed,
 * replaced atomically. When every record is removed, or the removed part grows past 1 MiB, the
 * remaining records move to a new generation and the head names it; a crash at any point leaves
 * either the old generation with its head or the new one. A record torn by a crash mid-append
 * fails its checksum and is cut off at load.
 *
 * <p>Appends reach the operating system before {@link #append} returns (they survive the process
 * being killed); with {@code fsync} they reach the disk. At most {@code maxRecords} are kept: an
 * append past the bound drops the oldest record, counted in {@link #dropped()}. Thread-safe.
 */
final class DiskBuffer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(DiskBuffer.class);
  private static final int RECORD_HEADER = 8;
  private static final long COMPACT_AFTER = 1 << 20;
  private static final int MAX_RECORD = 16 << 20;

  /** A record and where it starts in the current generation. */
  record Entry(long offset, byte[] bytes) {}

  private final Path dir;
  private final String name;
  private final int maxRecords;
  private final boolean fsync;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private long generation;
  private long head;
  private long end;
  private long dropped;
  private FileChannel log;

  /**
   * Opens the buffer, reading what an earlier process left.
   *
   * @param dir the directory of the buffer's files (created 0700 if missing)
   * @param name the files' common name
   * @param maxRecords the bound, at least 1
   * @param fsync whether every append is forced to disk
   * @throws IOException if the files cannot be read or created
   */
  DiskBuffer(Path dir, String name, int maxRecords, boolean fsync) throws IOException {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1: " + maxRecords);
    }
    this.dir = dir;
    this.name = name;
    this.maxRecords = maxRecords;
    this.fsync = fsync;
    createPrivateDirectory(dir);
    readHead();
    log = FileChannel.open(logFile(generation), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    load();
    deleteOtherGenerations();
  }

  /**
   * Appends a record, dropping the oldest if the bound is reached.
   *
   * @throws IOException if the write fails (the record is then not in the buffer)
   */
  synchronized void append(byte[] record) throws IOException {
    if (record.length > MAX_RECORD) {
      throw new IOException("a record of " + record.length + " bytes is over the limit of " + MAX_RECORD);
    }
    ByteBuffer buf = ByteBuffer.allocate(RECORD_HEADER + record.length);
    buf.putInt(record.length).putInt(crc(record)).put(record).flip();
    long at = end;
    try {
      while (buf.hasRemaining()) {
        log.write(buf, at + buf.position());
      }
      if (fsync) {
        log.force(false);
      }
    } catch (IOException e) {
      log.truncate(at);
      throw e;
    }
    end = at + RECORD_HEADER + record.length;
    entries.addLast(new Entry(at, record));
    if (entries.size() > maxRecords) {
      Entry oldest = entries.removeFirst();
      dropped++;
      if (dropped == 1 || dropped % 1000 == 0) {
        LOG.warn("buffer {} is full ({} records): dropped the oldest, {} dropped so far", name, maxRecords, dropped);
      }
      advance(oldest);
    }
  }

  /** The oldest record, or null when the buffer is empty. */
  synchronized @Nullable Entry peek() {
    return entries.peekFirst();
  }

  /**
   * Removes {@code entry} if it is still the oldest record (it may have been dropped meanwhile).
   *
   * @throws IOException if the head cannot be written
   */
  synchronized void remove(Entry entry) throws IOException {
    if (entries.peekFirst() != entry) {
      return;
    }
    entries.removeFirst();
    advance(entry);
  }

  /** How many records are waiting. */
  synchronized int size() {
    return entries.size();
  }

  /** How many records were dropped because the buffer was full, since it was opened. */
  synchronized long dropped() {
    return dropped;
  }

  @Override
  public synchronized void close() throws IOException {
    log.close();
  }

  private void advance(Entry removed) throws IOException {
    head = removed.offset() + RECORD_HEADER + removed.bytes().length;
    if (entries.isEmpty() || head > COMPACT_AFTER) {
      compact();
    } else {
      writeHead(generation, head);
    }
  }

  /** Moves the remaining records to a new generation, then names it in the head. */
  private void compact() throws IOException {
    long next = generation + 1;
    Path file = logFile(next);
    Deque<Entry> moved = new ArrayDeque<>(entries.size());
    long at = 0;
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      for (Entry e : entries) {
        ByteBuffer buf = ByteBuffer.allocate(RECORD_HEADER + e.bytes().length);
        buf.putInt(e.bytes().length).putInt(crc(e.bytes())).put(e.bytes()).flip();
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        moved.addLast(new Entry(at, e.bytes()));
        at += RECORD_HEADER + e.bytes().length;
      }
      out.force(false);
    }
    writeHead(next, 0);
    FileChannel old = log;
    log = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    old.close();
    Files.deleteIfExists(logFile(generation));
    generation = next;
    head = 0;
    end = at;
    entries.clear();
    entries.addAll(moved);
  }

  private void readHead() throws IOException {
    Path file = headFile();
    if (!Files.exists(file)) {
      generation = 0;
      head = 0;
      return;
    }
    String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
    try {
      generation = Long.parseLong(parts[0]);
      head = Long.parseLong(parts[1]);
    } catch (RuntimeException e) {
      throw new IOException("unreadable buffer head " + file + ": expected '<generation> <offset>'");
    }
  }

  /** Reads the records from the head on; cuts a torn or corrupt tail. */
  private void load() throws IOException {
    long size = log.size();
    long at = Math.min(head, size);
    ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
    while (at + RECORD_HEADER <= size) {
      header.clear();
      readFully(header, at);
      int length = header.getInt(0);
      int crc = header.getInt(4);
      if (length < 0 || length > MAX_RECORD || at + RECORD_HEADER + length > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      readFully(body, at + RECORD_HEADER);
      byte[] bytes = body.array();
      if (crc(bytes) != crc) {
        break;
      }
      entries.addLast(new Entry(at, bytes));
      at += RECORD_HEADER + length;
    }
    if (at < size) {
      LOG.warn("buffer {}: cut {} bytes of a record torn by an earlier crash", name, size - at);
      log.truncate(at);
    }
    end = at;
    while (entries.size() > maxRecords) {
      entries.removeFirst();
      dropped++;
    }
  }

  private void readFully(ByteBuffer buf, long position) throws IOException {
    while (buf.hasRemaining()) {
      if (log.read(buf, position + buf.position()) < 0) {
        throw new IOException("unexpected end of " + logFile(generation));
      }
    }
  }

  private void writeHead(long gen, long offset) throws IOException {
    Path tmp = dir.resolve(name + ".head.tmp");
    Files.writeString(tmp, gen + " " + offset + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, headFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void deleteOtherGenerations() throws IOException {
    String current = logFile(generation).getFileName().toString();
    try (var files = Files.newDirectoryStream(dir, name + "-*.log")) {
      for (Path p : files) {
        if (!p.getFileName().toString().equals(current)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The buffer holds what processes printed and the receivers' data: owner only. */
  private static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  private Path headFile() {
    return dir.resolve(name + ".head");
  }

  private Path logFile(long gen) {
    return dir.resolve(name + "-" + gen + ".log");
  }

  private static int crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return (int) crc.getValue();
  }
}
