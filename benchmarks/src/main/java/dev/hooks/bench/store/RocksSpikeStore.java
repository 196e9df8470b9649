package dev.hooks.bench.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB: entries, dedupe keys and status in three column families; one WAL, group commit.
 * {@code blobs}: bodies go to blob files (written once, never rewritten by compaction), no
 * compression, pipelined writes.
 */
public final class RocksSpikeStore implements SpikeStore {
  static {
    RocksDB.loadLibrary();
  }

  private final DBOptions options;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final WriteOptions write;
  private final Object[] stripes = new Object[64];

  public RocksSpikeStore(Path dir, boolean sync, boolean blobs) {
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
    options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    cfOptions = new ColumnFamilyOptions();
    if (blobs) {
      options.setEnablePipelinedWrite(true);
      cfOptions.setEnableBlobFiles(true).setMinBlobSize(512).setBlobFileSize(256L << 20)
          .setCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION).setWriteBufferSize(64L << 20);
    }
    List<ColumnFamilyDescriptor> cfs = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
        new ColumnFamilyDescriptor("dedupe".getBytes(StandardCharsets.UTF_8), cfOptions),
        new ColumnFamilyDescriptor("status".getBytes(StandardCharsets.UTF_8), cfOptions));
    try {
      db = RocksDB.open(options, dir.toString(), cfs, handles);
    } catch (RocksDBException ex) {
      throw new IllegalStateException(ex);
    }
    write = new WriteOptions().setSync(sync);
  }

  @Override
  public boolean append(String dedupeKey, String id, byte[] body) {
    byte[] key = dedupeKey.getBytes(StandardCharsets.UTF_8);
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    synchronized (stripes[Math.floorMod(dedupeKey.hashCode(), stripes.length)]) {
      try (WriteBatch batch = new WriteBatch()) {
        if (db.get(handles.get(1), key) != null) {
          return false;
        }
        batch.put(handles.get(0), idBytes, body);
        batch.put(handles.get(1), key, idBytes);
        batch.put(handles.get(2), idBytes, new byte[] {0});
        db.write(write, batch);
        return true;
      } catch (RocksDBException ex) {
        throw new IllegalStateException(ex);
      }
    }
  }

  @Override
  public void complete(String id) {
    try {
      db.put(handles.get(2), write, id.getBytes(StandardCharsets.UTF_8), new byte[] {1});
    } catch (RocksDBException ex) {
      throw new IllegalStateException(ex);
    }
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    write.close();
    options.close();
    cfOptions.close();
  }
}
