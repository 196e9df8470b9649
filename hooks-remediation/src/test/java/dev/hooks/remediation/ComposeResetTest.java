package dev.hooks.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.HooksException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compose reset runs a real process; here a script stands in for the compose CLI. */
class ComposeResetTest {
  private static final RemediationContext CTX =
      new RemediationContext(ServiceKey.of("shop", "web"), 3, 1, 1, "threshold", Instant.parse("2026-11-23T10:00:00Z"));

  @TempDir
  Path dir;

  private Path script(String body) throws Exception {
    Path script = dir.resolve("compose.sh");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    script.toFile().setExecutable(true);
    return script;
  }

  @Test
  void takesTheStackDownThenUpForTheFailingServicesProject() throws Exception {
    Path log = dir.resolve("calls.log");
    Path script = script("echo \"$@\" >> " + log);
    Path composeFile = dir.resolve("docker-compose.yml");
    DockerRemediation.composeReset(List.of(script.toString()), composeFile, Duration.ofSeconds(30)).run(CTX);
    assertThat(Files.readAllLines(log)).containsExactly(
        "-f " + composeFile + " -p shop down",
        "-f " + composeFile + " -p shop up -d");
  }

  @Test
  void aFailingCommandFailsTheStepWithItsOutput() throws Exception {
    Path script = script("if [ \"$5\" = up ]; then echo 'ERROR: pull access denied for shop-web' >&2; exit 1; fi");
    RemediationAction reset = DockerRemediation.composeReset(List.of(script.toString()), dir.resolve("c.yml"), Duration.ofSeconds(30));
    assertThatThrownBy(() -> reset.run(CTX))
        .isInstanceOf(HooksException.class)
        .hasMessageEndingWith("-p shop up -d exited with 1: ERROR: pull access denied for shop-web");
  }

  @Test
  void aHangingCommandIsKilledAtTheTimeout() throws Exception {
    Path script = script("exec sleep 30");
    RemediationAction reset = DockerRemediation.composeReset(List.of(script.toString()), dir.resolve("c.yml"), Duration.ofMillis(300));
    assertThatThrownBy(() -> reset.run(CTX))
        .isInstanceOf(HooksException.class)
        .hasMessageEndingWith("-p shop down did not finish within PT0.3S");
  }
}
