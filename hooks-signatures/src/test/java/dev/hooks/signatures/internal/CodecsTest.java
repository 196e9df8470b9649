package dev.hooks.signatures.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodecsTest {

  @Test
  void hexIsAcceptedInEitherCaseAndRejectedOtherwise() {
    assertThat(Codecs.hex("00ffAB")).containsExactly(0x00, 0xff, 0xab);
    assertThat(Codecs.hex("")).isNull();
    assertThat(Codecs.hex("abc")).isNull();
    assertThat(Codecs.hex("zz")).isNull();
    assertThat(Codecs.hex("0x00")).isNull();
    // Unicode digits that Character.digit accepts: ARABIC-INDIC DIGIT ONE, FULLWIDTH LATIN SMALL LETTER A
    assertThat(Codecs.hex("\u0661\u0661")).isNull();
    assertThat(Codecs.hex("\uff41\uff41")).isNull();
  }

  @Test
  void base64AgreesWithTheJdkOnEveryCanonicalValue() {
    java.util.Random random = new java.util.Random(3);
    for (int len = 0; len < 80; len++) {
      byte[] data = new byte[len];
      random.nextBytes(data);
      String encoded = java.util.Base64.getEncoder().encodeToString(data);
      assertThat(len == 0 ? new byte[0] : Codecs.base64(encoded)).as("length %d", len).isEqualTo(data);
      assertThat(Codecs.base64("x" + encoded + "y", 1, encoded.length() + 1)).as("range, length %d", len)
          .isEqualTo(len == 0 ? null : data);
    }
  }

  @Test
  void base64MustBeCanonicalAndPadded() {
    assertThat(Codecs.base64("aGk=")).containsExactly('h', 'i');
    assertThat(Codecs.base64("aGk")).as("no padding").isNull();
    assertThat(Codecs.base64("aGl=")).as("non-zero pad bits").isNull();
    assertThat(Codecs.base64("aG k=")).as("whitespace").isNull();
    assertThat(Codecs.base64("_-8=")).as("URL alphabet").isNull();
    assertThat(Codecs.base64("")).isNull();
    assertThat(Codecs.base64("aGk9")).containsExactly('h', 'i', '=');
    assertThat(Codecs.base64("aA==")).containsExactly('h');
    assertThat(Codecs.base64("aB==")).as("non-zero pad bits, one byte").isNull();
    assertThat(Codecs.base64("a===")).isNull();
    assertThat(Codecs.base64("aG=k")).as("padding inside").isNull();
    assertThat(Codecs.base64("\u00e9Gk=")).isNull();
  }
}
