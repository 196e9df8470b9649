package dev.hooks.bench.store;

/**
 * The journal's access pattern reduced to what the storage spike measures: an append checked
 * against a dedupe key, and a completion of that entry. Thread-safe.
 */
public interface SpikeStore extends AutoCloseable {

  /** Stores {@code body} under {@code id} unless {@code dedupeKey} is taken; durable on return. */
  boolean append(String dedupeKey, String id, byte[] body);

  /** Marks {@code id} done (a small record), at the same durability. */
  void complete(String id);

  @Override
  void close();
}
