package dev.hooks.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.jdbc.JdbcJournals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointStoreTest {
  private static final String TOKEN = "dG9rZW4tdGhhdC1tdXN0LW5vdC1sZWFrLWZyb20tdGhlLWZpbGU";
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;

  private JdbcJournals open() {
    return JdbcJournals.builder().url("jdbc:h2:file:" + dir.resolve("hooks").toAbsolutePath()).build();
  }

  @Test
  void newIdsAre64UrlSafeCharactersAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String id = EndpointStore.newId();
      assertThat(id).hasSize(64).matches("[A-Za-z0-9_-]{64}");
      assertThat(seen.add(id)).isTrue();
    }
  }

  @Test
  void entriesOfEveryKindAreSealedInTheH2FileAndOpenAfterRestart() throws Exception {
    SecretCipher cipher = SecretCipher.of(SecretCipherTest.KEY_A);
    try (JdbcJournals j = open()) {
      EndpointStore store = EndpointStore.builder(j.stateStore()).cipher(cipher).build();
      store.create(EndpointStore.ALERT, "alert-1", "{\"token\":\"" + TOKEN + "\"}");
      store.create(EndpointStore.DEPLOY, "web.github", "{\"secret\":\"" + TOKEN + "x\"}");
      store.create(EndpointStore.HUB, "hook_001", "{\"secret\":\"" + TOKEN + "y\"}");
      assertThat(j.stateStore().get("endpoints/alert/alert-1").orElseThrow().value()).startsWith(SecretCipher.PREFIX);
    }
    assertThat(fileContains(TOKEN)).isFalse();
    try (JdbcJournals j = open()) {
      EndpointStore store = EndpointStore.builder(j.stateStore()).cipher(cipher).build();
      assertThat(store.list(EndpointStore.ALERT)).containsOnlyKeys("alert-1");
      assertThat(store.get(EndpointStore.ALERT, "alert-1").orElseThrow().value()).contains(TOKEN);
      assertThat(store.get(EndpointStore.DEPLOY, "web.github").orElseThrow().value()).contains(TOKEN + "x");
    }
  }

  @Test
  void aWrongKeyFailsTheBuildNamingTheEntry() {
    try (JdbcJournals j = open()) {
      EndpointStore.builder(j.stateStore()).cipher(SecretCipher.of(SecretCipherTest.KEY_A)).build()
          .create(EndpointStore.ALERT, "a", "{}");
    }
    try (JdbcJournals j = open()) {
      assertThatThrownBy(() -> EndpointStore.builder(j.stateStore()).cipher(SecretCipher.of(SecretCipherTest.KEY_B)).build())
          .isInstanceOf(EncryptionKeyException.class).hasMessageContaining("endpoints/alert/a");
    }
  }

  @Test
  void migrateMovesSealedLegacyValuesAndDeletesTheOldKeys() {
    SecretCipher cipher = SecretCipher.of(SecretCipherTest.KEY_A);
    try (JdbcJournals j = open()) {
      new EncryptingStateStore(j.stateStore(), cipher, "hub/endpoints/").compareAndSet("hub/endpoints/hook_001", 0, "{\"s\":1}");
      EndpointStore store = EndpointStore.builder(j.stateStore()).cipher(cipher).build();
      assertThat(store.migrate("hub/endpoints/", EndpointStore.HUB, cipher)).isEqualTo(1);
      assertThat(store.get(EndpointStore.HUB, "hook_001").orElseThrow().value()).isEqualTo("{\"s\":1}");
      assertThat(j.stateStore().list("hub/endpoints/")).isEmpty();
      assertThat(j.stateStore().get("endpoints/hub/hook_001").orElseThrow().value()).startsWith(SecretCipher.PREFIX);
    }
  }

  @Test
  void purgeAuditRemovesOnlyEntriesRecordedBeforeTheCutoff() {
    try (JdbcJournals j = open()) {
      EndpointStore old = EndpointStore.builder(j.stateStore()).clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
      old.audit("token:admin", "create", EndpointStore.ALERT, "a", Map.of());
      old.audit("token:admin", "delete", EndpointStore.ALERT, "a", Map.of());
      EndpointStore later = EndpointStore.builder(j.stateStore()).clock(Clock.fixed(T0.plus(Duration.ofDays(40)), ZoneOffset.UTC)).build();
      later.audit("token:ops", "create", EndpointStore.DEPLOY, "web.github", Map.of());

      assertThat(later.purgeAudit(T0.plus(Duration.ofDays(10)))).isEqualTo(2);
      assertThat(later.audit(10)).singleElement().satisfies(e -> {
        assertThat(e).containsEntry("actor", "token:ops").containsEntry("kind", "deploy").containsEntry("endpoint", "web.github");
      });
      assertThat(later.purgeAudit(T0.plus(Duration.ofDays(10)))).isZero();
    }
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
