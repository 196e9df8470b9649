package dev.hooks.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeadersTest {
  @Test
  void namesAreCaseInsensitiveAndValuesKeepTheirOrder() {
    Headers h = Headers.builder().add("X-Hub-Signature-256", "sha256=a").add("x-hub-signature-256", "sha256=b").build();
    assertThat(h.first("X-HUB-SIGNATURE-256")).contains("sha256=a");
    assertThat(h.all("x-Hub-Signature-256")).containsExactly("sha256=a", "sha256=b");
    assertThat(h.first("missing")).isEmpty();
  }

  @Test
  void toStringShowsNamesNeverValues() {
    Headers h = Headers.of(java.util.Map.of("Authorization", "Bearer s3cret"));
    assertThat(h.toString()).contains("authorization").doesNotContain("s3cret");
  }

  @Test
  void mediaTypeDropsParametersAndCase() {
    assertThat(Delivery.mediaTypeOf("Application/JSON; charset=utf-8")).isEqualTo("application/json");
  }
}
