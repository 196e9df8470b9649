package dev.hooks.endpoints;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts values at rest with AES-256-GCM: a fresh 96-bit nonce per value, a 128-bit tag, and
 * the value's storage key as associated data (a ciphertext copied under another key does not
 * open). A sealed value reads {@code aesgcm:v1:<key id>:<base64 nonce+ciphertext>}, the key id
 * being the first 8 hex digits of the key's SHA-256, so that a value sealed with a previous key
 * still opens while keys are rotated ({@link #isCurrent} tells which values to re-seal).
 *
 * <p>Keys are 32 random bytes in base64 ({@code openssl rand -base64 32}). Holds keys: its
 * {@code toString} shows only their ids. Immutable and thread-safe.
 *
 * <pre>{@code
 * SecretCipher cipher = SecretCipher.of(System.getenv("HOOKS_ENCRYPTION_KEY"));
 * String sealed = cipher.seal("hub/endpoints/hook_001", json);
 * String json2 = cipher.open("hub/endpoints/hook_001", sealed);
 * }</pre>
 */
public final class SecretCipher {
  /** How every sealed value starts. */
  public static final String PREFIX = "aesgcm:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final String currentId;
  private final Map<String, SecretKeySpec> keys;
  private final SecureRandom random = new SecureRandom();

  private SecretCipher(List<byte[]> keyBytes) {
    Map<String, SecretKeySpec> m = new LinkedHashMap<>();
    for (byte[] k : keyBytes) {
      m.putIfAbsent(keyId(k), new SecretKeySpec(k, "AES"));
    }
    this.keys = m;
    this.currentId = keyId(keyBytes.get(0));
  }

  /**
   * A cipher sealing with {@code currentKey} and also opening values sealed with any of
   * {@code previousKeys}.
   *
   * @param what how the key is named in messages, such as {@code HOOKS_ENCRYPTION_KEY}
   * @throws EncryptionKeyException if a key is missing, not base64 or not 32 bytes; the message
   *     says how to make one and never shows the key
   */
  public static SecretCipher of(String what, String currentKey, List<String> previousKeys) {
    Objects.requireNonNull(what, "what");
    List<byte[]> all = new ArrayList<>();
    all.add(decodeKey(what, currentKey));
    for (int i = 0; i < previousKeys.size(); i++) {
      all.add(decodeKey(what + " (previous key " + (i + 1) + ")", previousKeys.get(i)));
    }
    return new SecretCipher(all);
  }

  /** {@link #of(String, String, List)} with one key and no previous ones. */
  public static SecretCipher of(String currentKey) {
    return of("the encryption key", currentKey, List.of());
  }

  /**
   * The key in {@code file} (its text, trimmed), such as a Docker or Kubernetes secret mounted as
   * a file.
   *
   * @throws EncryptionKeyException if the file cannot be read or holds no valid key
   */
  public static String readKeyFile(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new EncryptionKeyException("cannot read the encryption key file " + file + ": " + e.getMessage()
          + "; check the path and its permissions");
    }
  }

  private static byte[] decodeKey(String what, String key) {
    if (key == null || key.isBlank()) {
      throw new EncryptionKeyException(what + " is not set; set it to 32 random bytes in base64 (openssl rand -base64 32)"
          + " and keep it: the generated endpoint secrets can only be read with it");
    }
    byte[] bytes;
    try {
      String k = key.strip();
      bytes = k.indexOf('-') >= 0 || k.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(k) : Base64.getDecoder().decode(k);
    } catch (IllegalArgumentException e) {
      throw new EncryptionKeyException(what + " is not base64; set it to 32 random bytes in base64 (openssl rand -base64 32)");
    }
    if (bytes.length != 32) {
      throw new EncryptionKeyException(what + " is " + bytes.length + " bytes once decoded, not 32; set it to the output of"
          + " openssl rand -base64 32");
    }
    return bytes;
  }

  private static String keyId(byte[] key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  /** Whether {@code value} was sealed by a cipher of this format, with any key. */
  public static boolean isSealed(String value) {
    return value.startsWith(PREFIX);
  }

  /** Whether {@code value} is sealed with the current key (a value that is not sealed is not). */
  public boolean isCurrent(String value) {
    return value.startsWith(PREFIX + currentId + ":");
  }

  /** The id of the key values are sealed with now. */
  public String currentKeyId() {
    return currentId;
  }

  /**
   * Encrypts {@code plaintext} with the current key, bound to {@code storageKey}.
   */
  public String seal(String storageKey, String plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(storageKey.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + ct.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(ct, 0, out, nonce.length, ct.length);
      return PREFIX + currentId + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /**
   * Decrypts a value {@link #seal} made for {@code storageKey}.
   *
   * @throws EncryptionKeyException if the value was sealed with a key this cipher does not hold,
   *     or does not open with it (wrong key, altered value, or a value of another storage key)
   * @throws IllegalArgumentException if {@code sealed} is not a sealed value
   */
  public String open(String storageKey, String sealed) {
    if (!isSealed(sealed)) {
      throw new IllegalArgumentException("not a sealed value");
    }
    String rest = sealed.substring(PREFIX.length());
    int colon = rest.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("a sealed value without a key id");
    }
    String id = rest.substring(0, colon);
    SecretKeySpec key = keys.get(id);
    if (key == null) {
      throw new EncryptionKeyException(storageKey + " was encrypted with key " + id + ", which is not configured (configured: "
          + keys.keySet() + "); start with the key it was encrypted with, or add it as a previous key while rotating");
    }
    try {
      byte[] in = Base64.getDecoder().decode(rest.substring(colon + 1));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      c.updateAAD(storageKey.getBytes(StandardCharsets.UTF_8));
      return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new EncryptionKeyException(storageKey + " does not decrypt with key " + id + ": it was altered or belongs to another entry");
    }
  }

  @Override
  public String toString() {
    return "SecretCipher[current=" + currentId + ", keys=" + keys.keySet() + "]";
  }
}
