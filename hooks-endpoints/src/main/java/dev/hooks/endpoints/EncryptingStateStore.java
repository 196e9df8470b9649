package dev.hooks.endpoints;

import dev.hooks.state.StateStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link StateStore} whose values under one key prefix are stored sealed by a
 * {@link SecretCipher}, such as the run-time endpoints of the hub ({@code hub/endpoints/}), whose
 * values hold generated secrets and webhook URLs: a copy of the database file does not leak them.
 * Other keys pass through unchanged. Versions and compare-and-set are the delegate's.
 *
 * <p>Values written before encryption was configured are read as they are; {@link #reseal()}
 * seals them, and re-seals values of a previous key with the current one (key rotation).
 * Thread-safe if the delegate is.
 *
 * <pre>{@code
 * EncryptingStateStore store = new EncryptingStateStore(journals.stateStore(), cipher, "hub/endpoints/");
 * store.verify();   // fails at start with the wrong key
 * store.reseal();   // rotation: every value now under the current key
 * }</pre>
 */
public final class EncryptingStateStore implements StateStore {
  private final StateStore delegate;
  private final SecretCipher cipher;
  private final String prefix;

  public EncryptingStateStore(StateStore delegate, SecretCipher cipher, String prefix) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  @Override
  public Optional<Versioned> get(String key) {
    return delegate.get(key).map(v -> open(key, v));
  }

  @Override
  public OptionalLong compareAndSet(String key, long expectedVersion, String value) {
    return delegate.compareAndSet(key, expectedVersion, key.startsWith(prefix) ? cipher.seal(key, value) : value);
  }

  @Override
  public boolean delete(String key, long expectedVersion) {
    return delegate.delete(key, expectedVersion);
  }

  /**
   * @throws EncryptionKeyException if a value under the prefix does not open with the configured keys
   */
  @Override
  public Map<String, Versioned> list(String listPrefix) {
    Map<String, Versioned> out = new LinkedHashMap<>();
    delegate.list(listPrefix).forEach((k, v) -> out.put(k, open(k, v)));
    return out;
  }

  /**
   * Opens every value under the prefix, so that a wrong key fails at start rather than at the
   * first delivery.
   *
   * @return how many values are sealed
   * @throws EncryptionKeyException naming the first value that does not open, and the fix
   */
  public int verify() {
    int sealed = 0;
    for (Map.Entry<String, Versioned> e : delegate.list(prefix).entrySet()) {
      if (SecretCipher.isSealed(e.getValue().value())) {
        cipher.open(e.getKey(), e.getValue().value());
        sealed++;
      }
    }
    return sealed;
  }

  /**
   * Seals every value under the prefix that is not sealed with the current key: values written in
   * plain text, and values of a previous key. A value changed meanwhile by another process is
   * left for the next pass.
   *
   * @return how many values were re-written
   * @throws EncryptionKeyException if a value does not open with the configured keys
   */
  public int reseal() {
    int n = 0;
    for (Map.Entry<String, Versioned> e : delegate.list(prefix).entrySet()) {
      String stored = e.getValue().value();
      if (cipher.isCurrent(stored)) {
        continue;
      }
      String plain = SecretCipher.isSealed(stored) ? cipher.open(e.getKey(), stored) : stored;
      if (delegate.compareAndSet(e.getKey(), e.getValue().version(), cipher.seal(e.getKey(), plain)).isPresent()) {
        n++;
      }
    }
    return n;
  }

  private Versioned open(String key, Versioned v) {
    if (!key.startsWith(prefix) || !SecretCipher.isSealed(v.value())) {
      return v;
    }
    return new Versioned(cipher.open(key, v.value()), v.version());
  }

  @Override
  public String toString() {
    return "EncryptingStateStore[" + prefix + ", " + cipher + "]";
  }
}
