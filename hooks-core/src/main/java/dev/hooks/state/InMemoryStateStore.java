package dev.hooks.state;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link StateStore} in memory, for embedding and tests; lost with the process. Thread-safe. */
public final class InMemoryStateStore implements StateStore {
  private final ConcurrentHashMap<String, Versioned> values = new ConcurrentHashMap<>();

  @Override
  public Optional<Versioned> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Override
  public OptionalLong compareAndSet(String key, long expectedVersion, String value) {
    long[] written = {0};
    values.compute(key, (k, current) -> {
      long version = current == null ? 0 : current.version();
      if (version != expectedVersion) {
        return current;
      }
      written[0] = version + 1;
      return new Versioned(value, version + 1);
    });
    return written[0] == 0 ? OptionalLong.empty() : OptionalLong.of(written[0]);
  }

  @Override
  public boolean delete(String key, long expectedVersion) {
    Versioned current = values.get(key);
    return current != null && current.version() == expectedVersion && values.remove(key, current);
  }

  @Override
  public Map<String, Versioned> list(String prefix) {
    Map<String, Versioned> out = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k, v);
      }
    });
    return out;
  }
}
