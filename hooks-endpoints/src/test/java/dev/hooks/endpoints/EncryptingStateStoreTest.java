package dev.hooks.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptingStateStoreTest {
  private static final String PREFIX = "hub/endpoints/";
  private static final String SECRET = "Zm9vYmFyLXNlY3JldC10aGF0LW11c3Qtbm90LWxlYWs";

  @TempDir Path dir;

  @Test
  void aSealedSecretIsAbsentFromTheH2FileAndReadableAfterRestart() throws Exception {
    SecretCipher cipher = SecretCipher.of(SecretCipherTest.KEY_A);
    try (JdbcJournals j = open()) {
      EncryptingStateStore store = new EncryptingStateStore(j.stateStore(), cipher, PREFIX);
      assertThat(store.compareAndSet(PREFIX + "hook_001", 0, "{\"secret\":\"" + SECRET + "\"}")).isPresent();
      // the raw store holds the ciphertext only
      assertThat(j.stateStore().get(PREFIX + "hook_001").orElseThrow().value()).startsWith(SecretCipher.PREFIX).doesNotContain(SECRET);
    }
    assertThat(fileContains(SECRET)).isFalse();
    try (JdbcJournals j = open()) {
      EncryptingStateStore store = new EncryptingStateStore(j.stateStore(), cipher, PREFIX);
      assertThat(store.verify()).isEqualTo(1);
      assertThat(store.get(PREFIX + "hook_001").orElseThrow().value()).contains(SECRET);
      assertThat(store.list(PREFIX)).hasSize(1);
    }
  }

  @Test
  void theSameValueStoredInPlainTextIsFoundInTheFile() throws Exception {
    // the control of the test above: the file scan does find a value stored as it is
    try (JdbcJournals j = open()) {
      j.stateStore().compareAndSet("plain/hook_001", 0, "{\"secret\":\"" + SECRET + "\"}");
    }
    assertThat(fileContains(SECRET)).isTrue();
  }

  @Test
  void aWrongKeyFailsAtVerifyNamingTheKeyItNeeds() {
    try (JdbcJournals j = open()) {
      new EncryptingStateStore(j.stateStore(), SecretCipher.of(SecretCipherTest.KEY_A), PREFIX).compareAndSet(PREFIX + "a", 0, "v");
    }
    try (JdbcJournals j = open()) {
      EncryptingStateStore wrong = new EncryptingStateStore(j.stateStore(),
          SecretCipher.of("HOOKS_ENCRYPTION_KEY", SecretCipherTest.KEY_B, List.of()), PREFIX);
      assertThatThrownBy(wrong::verify).isInstanceOf(EncryptionKeyException.class)
          .hasMessageContaining(PREFIX + "a was encrypted with key " + SecretCipher.of(SecretCipherTest.KEY_A).currentKeyId());
    }
  }

  @Test
  void resealMovesPlainAndPreviousKeyValuesToTheCurrentKey() {
    try (JdbcJournals j = open()) {
      StateStore raw = j.stateStore();
      raw.compareAndSet(PREFIX + "legacy", 0, "plain-value");
      new EncryptingStateStore(raw, SecretCipher.of(SecretCipherTest.KEY_A), PREFIX).compareAndSet(PREFIX + "old", 0, "old-value");
      raw.compareAndSet("other/key", 0, "untouched");

      SecretCipher rotated = SecretCipher.of("HOOKS_ENCRYPTION_KEY", SecretCipherTest.KEY_B, List.of(SecretCipherTest.KEY_A));
      EncryptingStateStore store = new EncryptingStateStore(raw, rotated, PREFIX);
      assertThat(store.reseal()).isEqualTo(2);
      assertThat(store.reseal()).isZero();

      SecretCipher onlyNew = SecretCipher.of(SecretCipherTest.KEY_B);
      EncryptingStateStore after = new EncryptingStateStore(raw, onlyNew, PREFIX);
      assertThat(after.get(PREFIX + "legacy").orElseThrow().value()).isEqualTo("plain-value");
      assertThat(after.get(PREFIX + "old").orElseThrow().value()).isEqualTo("old-value");
      assertThat(raw.get("other/key").orElseThrow().value()).isEqualTo("untouched");
    }
  }

  private JdbcJournals open() {
    return JdbcJournals.builder().url("jdbc:h2:file:" + dir.resolve("hooks").toAbsolutePath()).build();
  }

  private boolean fileContains(String text) throws Exception {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        byte[] hay = Files.readAllBytes(f);
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
          for (int k = 0; k < needle.length; k++) {
            if (hay[i + k] != needle[k]) {
              continue outer;
            }
          }
          return true;
        }
      }
    }
    return false;
  }
}
