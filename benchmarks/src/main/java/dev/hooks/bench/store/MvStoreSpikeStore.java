package dev.hooks.bench.store;

import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2's MVStore used directly: three maps, a commit per append (concurrent appenders share a
 * commit when one is under way) and, at {@code sync}, a sync of the file after it.
 */
public final class MvStoreSpikeStore implements SpikeStore {
  private final MVStore store;
  private final MVMap<String, byte[]> entries;
  private final MVMap<String, String> dedupe;
  private final MVMap<String, Byte> status;
  private final boolean sync;

  public MvStoreSpikeStore(Path dir, boolean sync) {
    this.sync = sync;
    store = new MVStore.Builder().fileName(dir.resolve("journal.mv").toString()).autoCommitDisabled().open();
    entries = store.openMap("entries");
    dedupe = store.openMap("dedupe");
    status = store.openMap("status");
  }

  @Override
  public boolean append(String dedupeKey, String id, byte[] body) {
    if (dedupe.putIfAbsent(dedupeKey, id) != null) {
      return false;
    }
    entries.put(id, body);
    status.put(id, (byte) 0);
    durable();
    return true;
  }

  @Override
  public void complete(String id) {
    status.put(id, (byte) 1);
    durable();
  }

  private void durable() {
    store.commit();
    if (sync) {
      store.sync();
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
