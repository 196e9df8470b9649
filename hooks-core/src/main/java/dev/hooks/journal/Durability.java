package dev.hooks.journal;

/**
 * When {@link EventJournal#append} returns, and so when ingress answers 202.
 *
 * <ul>
 *   <li>{@link #OS}, the default: once the write has reached the operating system. The delivery
 *       survives the process being killed; a power loss may lose the last moments.
 *   <li>{@link #SYNC}: once the data is on the disk (fsync). Appends that arrive together share
 *       one sync (group commit), so the disk's sync rate does not cap the request rate.
 *   <li>{@link #MEMORY}: not durable; the in-memory journal, for embedding and tests.
 * </ul>
 */
public enum Durability {
  MEMORY,
  OS,
  SYNC
}
