package dev.hooks.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RemediationPolicyTest {

  @Test
  void defaultsMatchTheAutohealListener() {
    RemediationPolicy p = RemediationPolicy.ofDefaults();
    assertThat(p.threshold()).isEqualTo(3);
    assertThat(p.cooldown()).isEqualTo(Duration.ofSeconds(300));
    assertThat(p.window()).isEmpty();
    assertThat(p.maxAttempts()).isEqualTo(1);
  }

  @Test
  void backoffDoublesFromItsFirstDelayUpToItsCap() {
    RemediationPolicy p = RemediationPolicy.builder().backoff(Duration.ofMinutes(1), 2.0, Duration.ofMinutes(5)).build();
    assertThat(p.backoffAfter(0)).isZero();
    assertThat(p.backoffAfter(1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.backoffAfter(2)).isEqualTo(Duration.ofMinutes(2));
    assertThat(p.backoffAfter(3)).isEqualTo(Duration.ofMinutes(4));
    assertThat(p.backoffAfter(4)).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.backoffAfter(400)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void badSettingsFailWithTheirName() {
    assertThatThrownBy(() -> RemediationPolicy.builder().threshold(0).build())
        .hasMessage("threshold must be >= 1, got 0");
    assertThatThrownBy(() -> RemediationPolicy.builder().cooldown(Duration.ofSeconds(-1)).build())
        .hasMessage("cooldown must not be negative, got PT-1S");
    assertThatThrownBy(() -> RemediationPolicy.builder().backoff(Duration.ofMinutes(2), 2, Duration.ofMinutes(1)).build())
        .hasMessage("backoffMax PT1M is below backoffInitial PT2M");
  }

  @Test
  void serviceKeysReadAndPrintAsProjectSlashService() {
    assertThat(ServiceKey.parse("shop/web")).isEqualTo(ServiceKey.of("shop", "web"));
    assertThat(ServiceKey.of("shop", "web")).hasToString("shop/web");
    assertThatThrownBy(() -> ServiceKey.parse("web")).hasMessage("expected project/service, got: web");
  }
}
