package dev.hooks.state;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Small versioned values by key, updated by compare-and-set so that several processes sharing
 * one store never both win the same transition (two replicas never remediate one failure
 * twice). Values are text, usually JSON.
 *
 * <p>Contract for implementations: thread-safe; {@link #compareAndSet} is atomic across every
 * process sharing the store; a store failure throws {@link dev.hooks.HooksException}.
 */
public interface StateStore {

  /** The value of {@code key} and its version, if present. */
  Optional<Versioned> get(String key);

  /**
   * Writes {@code value} if the stored version is {@code expectedVersion} ({@code 0}: the key
   * must be absent).
   *
   * @return the new version, or empty if another writer got there first
   */
  OptionalLong compareAndSet(String key, long expectedVersion, String value);

  /** Deletes {@code key} if its version is {@code expectedVersion}. */
  boolean delete(String key, long expectedVersion);

  /** Every key starting with {@code prefix}, with its value. */
  Map<String, Versioned> list(String prefix);

  /** A value and the version it was read at; versions start at 1 and rise by one per write. */
  record Versioned(String value, long version) {}
}
