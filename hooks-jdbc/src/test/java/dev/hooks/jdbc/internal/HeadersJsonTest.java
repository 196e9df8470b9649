package dev.hooks.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.Headers;
import org.junit.jupiter.api.Test;

class HeadersJsonTest {
  @Test
  void writesNamesWithTheirValuesInOrderAndReadsThemBack() {
    Headers headers = Headers.builder()
        .add("Content-Type", "application/json")
        .add("X-Forwarded-For", "10.0.0.1")
        .add("X-Forwarded-For", "192.168.1.7")
        .add("X-Note", "quote \" backslash \\ tab \t unicode é ✓")
        .add("X-Empty", "")
        .build();

    String json = HeadersJson.write(headers);

    assertThat(json).isEqualTo("{\"content-type\":[\"application/json\"],\"x-forwarded-for\":[\"10.0.0.1\",\"192.168.1.7\"],"
        + "\"x-note\":[\"quote \\\" backslash \\\\ tab \\t unicode é ✓\"],\"x-empty\":[\"\"]}");
    assertThat(HeadersJson.read(json)).isEqualTo(headers);
  }

  @Test
  void noHeadersIsAnEmptyObject() {
    assertThat(HeadersJson.write(Headers.empty())).isEqualTo("{}");
    assertThat(HeadersJson.read("{}")).isEqualTo(Headers.empty());
  }
}
