package dev.hooks.endpoints;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.HooksException;
import dev.hooks.internal.LogSafe;
import dev.hooks.state.StateStore;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one persisted registry of endpoints created at run time, of every kind: the notification
 * hub's endpoints ({@value #HUB}), alert endpoints served at {@code /webhook/{id}} ({@value
 * #ALERT}) and the per-service webhooks of push-to-deploy ({@value #DEPLOY}). Each entry is a JSON
 * value under {@code endpoints/{kind}/{id}} of a {@link StateStore}, written by compare-and-set
 * (a change that raced another process's is refused by the caller); every value under {@value
 * #KEY_PREFIX} is sealed by the {@link SecretCipher} given to the builder, so a copy of the
 * database file does not leak a generated secret or token. One audit log, {@value #AUDIT_PREFIX},
 * records every change with who and when; its values hold no secret, and {@link #purgeAudit}
 * removes entries past their retention.
 *
 * <p>Thread-safe if the state store is.
 *
 * <pre>{@code
 * EndpointStore registry = EndpointStore.builder(journals.stateStore())
 *     .cipher(SecretCipher.of(System.getenv("HOOKS_ENCRYPTION_KEY")))
 *     .build();                                   // a wrong key fails here
 * String id = EndpointStore.newId();              // 64 URL-safe characters
 * registry.create(EndpointStore.ALERT, id, json);
 * registry.audit("token:admin", "create", EndpointStore.ALERT, id, Map.of());
 * }</pre>
 */
public final class EndpointStore {
  /** The state store key prefix of every entry; values under it are sealed. */
  public static final String KEY_PREFIX = "endpoints/";
  /** The state store key prefix of the audit log; its values hold no secret. */
  public static final String AUDIT_PREFIX = "endpoints-audit/";
  /** The kind of the notification hub's endpoints. */
  public static final String HUB = "hub";
  /** The kind of alert endpoints ({@code POST /webhook/{id}}). */
  public static final String ALERT = "alert";
  /** The kind of push-to-deploy webhooks (one per service and provider). */
  public static final String DEPLOY = "deploy";

  private static final Logger LOG = LoggerFactory.getLogger(EndpointStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final StateStore raw;
  private final StateStore store;
  private final @Nullable SecretCipher cipher;
  private final Clock clock;
  private final AtomicLong auditSequence = new AtomicLong();

  private EndpointStore(Builder b) {
    this.raw = b.store;
    this.cipher = b.cipher;
    this.clock = b.clock;
    if (b.cipher != null) {
      EncryptingStateStore sealed = new EncryptingStateStore(b.store, b.cipher, KEY_PREFIX);
      sealed.verify();
      int resealed = sealed.reseal();
      if (resealed > 0) {
        LOG.info("sealed {} endpoint entr{} with the current encryption key", resealed, resealed == 1 ? "y" : "ies");
      }
      this.store = sealed;
    } else {
      this.store = b.store;
    }
  }

  /**
   * @param store where entries and the audit log are kept, such as hooks-jdbc's {@code JdbcStateStore}
   * @throws NullPointerException if {@code store} is null
   */
  public static Builder builder(StateStore store) {
    return new Builder(store);
  }

  /**
   * A new endpoint id: 48 bytes of {@link SecureRandom} in URL-safe base64, 64 characters of
   * {@code A-Z a-z 0-9 - _}. High-entropy, so that the URL {@code /webhook/{id}} cannot be guessed.
   */
  public static String newId() {
    byte[] b = new byte[48];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A new secret or token: 32 bytes of {@link SecureRandom} in URL-safe base64 (43 characters). */
  public static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Whether values are sealed (a cipher was given). */
  public boolean isSealed() {
    return cipher != null;
  }

  /** The entry {@code id} of {@code kind}, opened, with its version. */
  public Optional<StateStore.Versioned> get(String kind, String id) {
    return store.get(key(kind, id));
  }

  /**
   * Every entry of {@code kind}, by id, opened.
   *
   * @throws EncryptionKeyException if a value does not open with the configured keys
   */
  public Map<String, StateStore.Versioned> list(String kind) {
    String prefix = KEY_PREFIX + kind(kind) + "/";
    Map<String, StateStore.Versioned> out = new TreeMap<>();
    store.list(prefix).forEach((k, v) -> out.put(k.substring(prefix.length()), v));
    return out;
  }

  /** Writes a new entry; empty if one exists. */
  public OptionalLong create(String kind, String id, String json) {
    return store.compareAndSet(key(kind, id), 0, json);
  }

  /** Replaces the entry read at {@code version}; empty if it changed meanwhile. */
  public OptionalLong replace(String kind, String id, long version, String json) {
    return store.compareAndSet(key(kind, id), version, json);
  }

  /** Deletes the entry read at {@code version}; false if it changed meanwhile. */
  public boolean delete(String kind, String id, long version) {
    return store.delete(key(kind, id), version);
  }

  /**
   * Moves values a previous version kept under {@code oldPrefix} (plain, or sealed with {@code
   * oldCipher}) into entries of {@code kind}, keyed by the rest of their old key, then deletes the
   * old keys. An id that exists in both keeps the registry's entry.
   *
   * @return how many values were moved
   * @throws EncryptionKeyException if an old sealed value does not open
   */
  public int migrate(String oldPrefix, String kind, @Nullable SecretCipher oldCipher) {
    StateStore from = oldCipher == null ? raw : new EncryptingStateStore(raw, oldCipher, oldPrefix);
    int moved = 0;
    for (Map.Entry<String, StateStore.Versioned> e : from.list(oldPrefix).entrySet()) {
      String id = e.getKey().substring(oldPrefix.length());
      String value = e.getValue().value();
      if (SecretCipher.isSealed(value)) {
        throw new EncryptionKeyException(e.getKey() + " is encrypted; start with the key it was encrypted with");
      }
      if (get(kind, id).isEmpty() && create(kind, id, value).isPresent()) {
        moved++;
      }
      raw.delete(e.getKey(), e.getValue().version());
    }
    if (moved > 0) {
      LOG.info("moved {} endpoint entr{} from {} into {}{}/", moved, moved == 1 ? "y" : "ies", oldPrefix, KEY_PREFIX, kind);
    }
    return moved;
  }

  /**
   * Appends one entry to the audit log: when, who, what, which endpoint, and {@code changes}
   * (setting → {@code {from, to}}), which must hold no secret.
   *
   * @throws HooksException if the state store cannot be written
   */
  public void audit(String actor, String action, String kind, String id, Map<String, Object> changes) {
    Instant at = clock.instant();
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("at", at.toString());
    entry.put("actor", actor);
    entry.put("action", action);
    entry.put("kind", kind);
    entry.put("endpoint", id);
    entry.put("changes", changes);
    byte[] salt = new byte[4];
    RANDOM.nextBytes(salt);
    // time first, so the keys sort in the order of the changes; the random tail keeps two processes apart
    String key = AUDIT_PREFIX + String.format(Locale.ROOT, "%013d-%06d-%08x", at.toEpochMilli(),
        auditSequence.incrementAndGet() % 1_000_000, ByteBuffer.wrap(salt).getInt());
    try {
      if (raw.compareAndSet(key, 0, JSON.writeValueAsString(entry)).isEmpty()) {
        LOG.warn("audit entry {} exists already; change of {} by {} not recorded twice", key, id, LogSafe.of(actor));
      }
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /**
   * The latest {@code limit} entries of the audit log, oldest first, each with {@code at},
   * {@code actor}, {@code action}, {@code kind}, {@code endpoint} and {@code changes}.
   *
   * @throws HooksException if the state store cannot be read
   */
  public List<Map<String, Object>> audit(int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, StateStore.Versioned> kv : new TreeMap<>(raw.list(AUDIT_PREFIX)).entrySet()) {
      try {
        out.add(JSON.readValue(kv.getValue().value(), new TypeReference<LinkedHashMap<String, Object>>() {}));
      } catch (JsonProcessingException ex) {
        LOG.warn("audit entry {} cannot be read and is skipped", kv.getKey());
      }
    }
    return List.copyOf(out.subList(Math.max(0, out.size() - Math.max(0, limit)), out.size()));
  }

  /**
   * Removes the audit entries recorded before {@code cutoff}.
   *
   * @return how many were removed
   * @throws HooksException if the state store cannot be read or written
   */
  public int purgeAudit(Instant cutoff) {
    int removed = 0;
    long limit = cutoff.toEpochMilli();
    for (Map.Entry<String, StateStore.Versioned> kv : raw.list(AUDIT_PREFIX).entrySet()) {
      String rest = kv.getKey().substring(AUDIT_PREFIX.length());
      int dash = rest.indexOf('-');
      long at;
      try {
        at = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
      } catch (NumberFormatException ex) {
        continue;
      }
      if (at < limit && raw.delete(kv.getKey(), kv.getValue().version())) {
        removed++;
      }
    }
    return removed;
  }

  private static String key(String kind, String id) {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty() || id.indexOf('/') >= 0) {
      throw new IllegalArgumentException("an endpoint id is not empty and has no '/'");
    }
    return KEY_PREFIX + kind(kind) + "/" + id;
  }

  private static String kind(String kind) {
    if (!KIND.matcher(Objects.requireNonNull(kind, "kind")).matches()) {
      throw new IllegalArgumentException("kind '" + kind + "' is not lower-case letters, digits and '-'");
    }
    return kind;
  }

  @Override
  public String toString() {
    return "EndpointStore[" + (cipher == null ? "plain" : "sealed by " + cipher) + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final StateStore store;
    private @Nullable SecretCipher cipher;
    private Clock clock = Clock.systemUTC();

    private Builder(StateStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Seals every entry with {@code cipher}; {@link #build()} opens the stored ones (a wrong key
     * fails there) and re-seals those of a previous key or in plain text. Default none: entries
     * are stored as they are.
     */
    public Builder cipher(SecretCipher cipher) {
      this.cipher = Objects.requireNonNull(cipher, "cipher");
      return this;
    }

    /** The clock of audit entries; default the system's UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws EncryptionKeyException if a stored entry does not open with the cipher's keys; the
     *     message names the entry and the fix
     */
    public EndpointStore build() {
      return new EndpointStore(this);
    }
  }
}
