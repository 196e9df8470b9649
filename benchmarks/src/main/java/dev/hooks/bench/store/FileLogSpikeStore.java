package dev.hooks.bench.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * A segmented append-only log: one writer thread takes every queued record, writes them as one
 * batch (length, CRC32C, payload each) and, at {@code sync}, forces the file once per batch;
 * dedupe keys and offsets are a small in-memory index.
 */
public final class FileLogSpikeStore implements SpikeStore {
  private static final long SEGMENT_BYTES = 256L << 20;

  private record Pending(ByteBuffer record, CompletableFuture<Void> written) {}

  private final Path dir;
  private final boolean sync;
  private final ConcurrentHashMap<String, String> dedupe = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> offsets = new ConcurrentHashMap<>();
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(4096);
  private final Thread writer;
  private volatile boolean open = true;
  private FileChannel segment;
  private int segmentNo;
  private long position;

  public FileLogSpikeStore(Path dir, boolean sync) {
    this.dir = dir;
    this.sync = sync;
    this.segment = openSegment();
    writer = new Thread(this::writeLoop, "spike-log-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public boolean append(String dedupeKey, String id, byte[] body) {
    if (dedupe.putIfAbsent(dedupeKey, id) != null) {
      return false;
    }
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(1 + 2 + idBytes.length + body.length);
    payload.put((byte) 'A').putShort((short) idBytes.length).put(idBytes).put(body).flip();
    write(payload);
    offsets.put(id, position);
    return true;
  }

  @Override
  public void complete(String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(1 + 2 + idBytes.length);
    payload.put((byte) 'D').putShort((short) idBytes.length).put(idBytes).flip();
    write(payload);
  }

  private void write(ByteBuffer payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload.duplicate());
    ByteBuffer record = ByteBuffer.allocate(8 + payload.remaining());
    record.putInt(payload.remaining()).putInt((int) crc.getValue()).put(payload).flip();
    Pending p = new Pending(record, new CompletableFuture<>());
    try {
      queue.put(p);
      p.written().get();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    } catch (java.util.concurrent.ExecutionException ex) {
      throw new IllegalStateException(ex.getCause());
    }
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (open || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(10, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 255);
        ByteBuffer[] buffers = new ByteBuffer[batch.size()];
        long bytes = 0;
        for (int i = 0; i < buffers.length; i++) {
          buffers[i] = batch.get(i).record();
          bytes += buffers[i].remaining();
        }
        if (position + bytes > SEGMENT_BYTES) {
          segment.close();
          segmentNo++;
          segment = openSegment();
          position = 0;
        }
        long left = bytes;
        while (left > 0) {
          left -= segment.write(buffers);
        }
        position += bytes;
        if (sync) {
          segment.force(false);
        }
        batch.forEach(p -> p.written().complete(null));
      } catch (IOException ex) {
        batch.forEach(p -> p.written().completeExceptionally(ex));
      } catch (InterruptedException ex) {
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private FileChannel openSegment() {
    try {
      return FileChannel.open(dir.resolve(String.format("%08d.log", segmentNo)),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  @Override
  public void close() {
    open = false;
    try {
      writer.join();
      segment.close();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
