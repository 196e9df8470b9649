package dev.hooks.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.HooksException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The variables and defaults of the autoheal webhook listener (seed document 1-autoheal-listener). */
class AutohealPresetTest {
  @TempDir
  Path dir;

  private Map<String, String> env() throws IOException {
    Path compose = Files.writeString(dir.resolve("docker-compose.yml"), "services: {}\n");
    Map<String, String> env = new HashMap<>();
    env.put("CRITICAL_SERVICE_NAME", "your-app-prod");
    env.put("COMPOSE_FILE_PATH", compose.toString());
    env.put("WEBHOOK_URL_CRITICAL", "https://discord.com/api/webhooks/1/critical-token");
    env.put("WEBHOOK_URL_FINAL", "https://discord.com/api/webhooks/2/final-token");
    env.put("WEBHOOK_SECRET", "s3cr3t-token");
    return env;
  }

  @Test
  void readsTheListenersVariablesWithItsDefaults() throws Exception {
    Map<String, String> env = env();
    env.put("HOSTNAME", "vps-42");
    AutohealPreset preset = AutohealPreset.fromEnvironment(env);
    assertThat(preset.criticalServiceName()).isEqualTo("your-app-prod");
    assertThat(preset.failCount()).isEqualTo(3);
    assertThat(preset.cooldown()).isEqualTo(Duration.ofSeconds(300));
    assertThat(preset.hostname()).isEqualTo("vps-42");
    assertThat(preset.criticalWebhook()).isEqualTo(URI.create("https://discord.com/api/webhooks/1/critical-token"));
    assertThat(preset.policy().threshold()).isEqualTo(3);
    assertThat(preset.policy().cooldown()).isEqualTo(Duration.ofSeconds(300));
    assertThat(preset.toString()).doesNotContain("s3cr3t-token").doesNotContain("critical-token");
  }

  @Test
  void failCountAndCooldownOverrideTheDefaults() throws Exception {
    Map<String, String> env = env();
    env.put("CRITICAL_FAIL_COUNT", "5");
    env.put("COOLDOWN_PERIOD", "60");
    AutohealPreset preset = AutohealPreset.fromEnvironment(env);
    assertThat(preset.policy().threshold()).isEqualTo(5);
    assertThat(preset.policy().cooldown()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aMissingRequiredVariableFailsWithItsName() throws Exception {
    for (String name : new String[] {"CRITICAL_SERVICE_NAME", "WEBHOOK_URL_CRITICAL", "WEBHOOK_URL_FINAL", "WEBHOOK_SECRET"}) {
      Map<String, String> env = env();
      env.remove(name);
      assertThatThrownBy(() -> AutohealPreset.fromEnvironment(env))
          .isInstanceOf(HooksException.class)
          .hasMessageStartingWith(name + " is not set; set it to ");
    }
  }

  @Test
  void badValuesFailWithTheVariablesNameAndNeverEchoAWebhookUrl() throws Exception {
    Map<String, String> env = env();
    env.put("CRITICAL_FAIL_COUNT", "three");
    assertThatThrownBy(() -> AutohealPreset.fromEnvironment(env)).hasMessage("CRITICAL_FAIL_COUNT must be a whole number >= 1, got 'three'");
    env.put("CRITICAL_FAIL_COUNT", "0");
    assertThatThrownBy(() -> AutohealPreset.fromEnvironment(env)).hasMessage("CRITICAL_FAIL_COUNT must be a whole number >= 1, got '0'");
    env.remove("CRITICAL_FAIL_COUNT");
    env.put("WEBHOOK_URL_FINAL", "discord.com/api/webhooks/2/final-token");
    assertThatThrownBy(() -> AutohealPreset.fromEnvironment(env))
        .hasMessage("WEBHOOK_URL_FINAL is not an http(s) URL; set it to a Discord webhook URL");
    env.put("WEBHOOK_URL_FINAL", "https://discord.com/api/webhooks/2/final-token");
    env.put("COMPOSE_FILE_PATH", dir.resolve("missing.yml").toString());
    assertThatThrownBy(() -> AutohealPreset.fromEnvironment(env))
        .hasMessageStartingWith("COMPOSE_FILE_PATH=" + dir.resolve("missing.yml") + " is not a file");
  }

  @Test
  void theWebhookTokenMustMatchExactly() throws Exception {
    AutohealPreset preset = AutohealPreset.fromEnvironment(env());
    assertThat(preset.tokenMatches("s3cr3t-token")).isTrue();
    assertThat(preset.tokenMatches("s3cr3t-tokeN")).isFalse();
    assertThat(preset.tokenMatches("s3cr3t-token ")).isFalse();
    assertThat(preset.tokenMatches("")).isFalse();
    assertThat(preset.tokenMatches(null)).isFalse();
  }

  @Test
  void theLabelResetNeedsNoComposeFileAndReadsItsStartOrder() throws Exception {
    Map<String, String> env = env();
    env.put("RESET_MODE", "labels");
    env.put("COMPOSE_FILE_PATH", dir.resolve("not-mounted.yml").toString());
    env.put("RESET_ORDER", "db, web ,worker");
    AutohealPreset preset = AutohealPreset.fromEnvironment(env);
    assertThat(preset.resetMode()).isEqualTo(AutohealPreset.ResetMode.LABELS);
    assertThat(preset.resetOrder()).containsExactly("db", "web", "worker");
    preset.checkReset();
  }

  @Test
  void anUnknownResetModeFailsWithTheChoices() throws Exception {
    Map<String, String> env = env();
    env.put("RESET_MODE", "restart");
    assertThatThrownBy(() -> AutohealPreset.fromEnvironment(env)).hasMessage("RESET_MODE must be compose or labels, got 'restart'");
  }

  @Test
  void aMissingComposeCliIsAStartErrorNamingTheLabelReset() throws Exception {
    Map<String, String> env = env();
    env.put("COMPOSE_COMMAND", dir.resolve("bin/docker-compose") + " --ansi never");
    AutohealPreset preset = AutohealPreset.fromEnvironment(env);
    assertThat(preset.composeCommand()).containsExactly(dir.resolve("bin/docker-compose").toString(), "--ansi", "never");
    assertThatThrownBy(preset::checkReset)
        .isInstanceOf(HooksException.class)
        .hasMessageStartingWith("RESET_MODE=compose resets the stack with the compose CLI, but '" + dir.resolve("bin/docker-compose"))
        .hasMessageContaining("cannot be run here")
        .hasMessageEndingWith("or set RESET_MODE=labels to restart the stack's containers through the Docker API instead");
  }

  @Test
  void aComposeCliThatFailsIsAStartErrorWithItsFirstLine() throws Exception {
    Path cli = Files.createDirectories(dir.resolve("bin")).resolve("docker-compose");
    Files.writeString(cli, "#!/bin/sh\necho 'Error: docker-compose needs Python 3.6' >&2\nexit 3\n");
    cli.toFile().setExecutable(true);
    Map<String, String> env = env();
    env.put("COMPOSE_COMMAND", cli.toString());
    assertThatThrownBy(AutohealPreset.fromEnvironment(env)::checkReset)
        .hasMessageContaining("'" + cli + " version' exited with 3: Error: docker-compose needs Python 3.6;");
  }
}
