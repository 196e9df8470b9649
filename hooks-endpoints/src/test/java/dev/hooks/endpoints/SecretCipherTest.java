package dev.hooks.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
  // 32 bytes in base64, as openssl rand -base64 32 prints them
  static final String KEY_A = "q83vEjRWeJq8mN6gE2s0f9s1QZp4cYl0bK6u5y2nR1c=";
  static final String KEY_B = "dGhpcyBpcyBhbm90aGVyIDMyIGJ5dGUga2V5ISEhISE=";

  @Test
  void aSealedValueOpensUnderItsStorageKeyOnly() {
    SecretCipher c = SecretCipher.of(KEY_A);
    String sealed = c.seal("hub/endpoints/a", "the-secret");
    assertThat(sealed).startsWith(SecretCipher.PREFIX + c.currentKeyId() + ":").doesNotContain("the-secret");
    assertThat(c.open("hub/endpoints/a", sealed)).isEqualTo("the-secret");
    assertThatThrownBy(() -> c.open("hub/endpoints/b", sealed)).isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("does not decrypt");
  }

  @Test
  void sealingTwiceGivesTwoCiphertexts() {
    SecretCipher c = SecretCipher.of(KEY_A);
    assertThat(c.seal("k", "v")).isNotEqualTo(c.seal("k", "v"));
  }

  @Test
  void anAlteredCiphertextIsRefused() {
    SecretCipher c = SecretCipher.of(KEY_A);
    String sealed = c.seal("k", "value");
    char last = sealed.charAt(sealed.length() - 3);
    String altered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 2);
    assertThatThrownBy(() -> c.open("k", altered)).isInstanceOf(EncryptionKeyException.class);
  }

  @Test
  void anotherKeyNamesTheKeyIdItNeeds() {
    String sealed = SecretCipher.of(KEY_A).seal("k", "value");
    SecretCipher b = SecretCipher.of("HOOKS_ENCRYPTION_KEY", KEY_B, List.of());
    assertThatThrownBy(() -> b.open("k", sealed)).isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("was encrypted with key " + SecretCipher.of(KEY_A).currentKeyId())
        .hasMessageNotContaining(KEY_A).hasMessageNotContaining(KEY_B);
  }

  @Test
  void aPreviousKeyStillOpensWhileTheCurrentOneSeals() {
    String old = SecretCipher.of(KEY_A).seal("k", "value");
    SecretCipher rotated = SecretCipher.of("HOOKS_ENCRYPTION_KEY", KEY_B, List.of(KEY_A));
    assertThat(rotated.open("k", old)).isEqualTo("value");
    assertThat(rotated.isCurrent(old)).isFalse();
    assertThat(rotated.isCurrent(rotated.seal("k", "value"))).isTrue();
  }

  @Test
  void aMissingShortOrNonBase64KeyIsRefusedWithTheFix() {
    assertThatThrownBy(() -> SecretCipher.of("HOOKS_ENCRYPTION_KEY", "", List.of()))
        .hasMessageContaining("HOOKS_ENCRYPTION_KEY is not set").hasMessageContaining("openssl rand -base64 32");
    assertThatThrownBy(() -> SecretCipher.of("HOOKS_ENCRYPTION_KEY", "c2hvcnQ=", List.of()))
        .hasMessageContaining("5 bytes once decoded, not 32");
    assertThatThrownBy(() -> SecretCipher.of("HOOKS_ENCRYPTION_KEY", "not base64 !!", List.of()))
        .hasMessageContaining("is not base64");
  }

  @Test
  void itsTextShowsKeyIdsOnly() {
    assertThat(SecretCipher.of(KEY_A).toString()).doesNotContain(KEY_A).contains(SecretCipher.of(KEY_A).currentKeyId());
  }
}
