package dev.hooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {
  @Test
  void lineBreaksAndControlCharactersAreEscapedSoNoLineCanBeForged() {
    String forged = "main\r\n2026-12-06 INFO admin logged in\u0000\u001b[31m\u2028\u0085";

    String safe = LogSafe.of(forged).toString();

    assertThat(safe).doesNotContain("\n", "\r", "\u0000", "\u001b", "\u2028", "\u0085");
    assertThat(safe).isEqualTo("main\\r\\n2026-12-06 INFO admin logged in\\u0000\\u001b[31m\\u2028\\u0085");
  }

  @Test
  void backslashIsEscapedSoAnEscapedValueCannotBeImitated() {
    assertThat(LogSafe.escape("a\\nb")).isEqualTo("a\\\\nb");
  }

  @Test
  void plainTextAndNullPassUnchanged() {
    assertThat(LogSafe.escape("push to main (ü)")).isEqualTo("push to main (ü)");
    assertThat(LogSafe.escape(null)).isEqualTo("null");
  }
}
