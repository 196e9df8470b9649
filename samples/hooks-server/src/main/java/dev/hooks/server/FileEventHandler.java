package dev.hooks.server;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in {@code file} handler: appends one line {@code provider type id} per event to a
 * file and syncs it to disk before returning, so a line that was written survives a crash. It is
 * idempotent by event, as handlers must be: an event dispatched again (after a crash the
 * dispatcher hands over what it had not marked done) finds its line and is not written twice.
 * Thread-safe.
 */
final class FileEventHandler implements EventHandler, Closeable {
  private final String name;
  private final FileChannel channel;
  private final Set<String> written = new HashSet<>();

  /**
   * @throws IOException if the file cannot be read or opened for appending
   */
  FileEventHandler(String name, Path file) throws IOException {
    this.name = Objects.requireNonNull(name, "name");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (Files.exists(file)) {
      written.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
    boolean cutShort = endsMidLine(file);
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    if (cutShort) {
      // A line cut short by a crash is ended, so that the next line starts on its own.
      channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
      channel.force(false);
    }
  }

  private static boolean endsMidLine(Path file) throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    try (SeekableByteChannel in = Files.newByteChannel(file, StandardOpenOption.READ)) {
      long size = in.size();
      if (size == 0) {
        return false;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      in.position(size - 1).read(last);
      return last.get(0) != '\n';
    }
  }

  @Override
  public synchronized void handle(WebhookEvent event) throws IOException {
    String line = line(event);
    if (written.contains(line)) {
      return;
    }
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    channel.force(false);
    written.add(line);
  }

  static String line(WebhookEvent event) {
    return event.provider() + " " + event.type() + " " + event.id().replaceAll("\\s", "_");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
