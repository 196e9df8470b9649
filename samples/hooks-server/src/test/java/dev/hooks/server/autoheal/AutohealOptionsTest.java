package dev.hooks.server.autoheal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.server.ConfigException;
import dev.hooks.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutohealOptionsTest {

  @Test
  void theAutohealPresetListensOnTheListenersPort5000UnlessAPortIsGiven() {
    assertThat(ServerOptions.parse(new String[] {"--preset", "autoheal"}, Map.of()).port()).isEqualTo(5000);
    assertThat(ServerOptions.parse(new String[0], Map.of("HOOKS_PRESET", "autoheal")).port()).isEqualTo(5000);
    assertThat(ServerOptions.parse(new String[] {"--preset=autoheal"}, Map.of("HOOKS_PORT", "6000")).port()).isEqualTo(6000);
    assertThat(ServerOptions.parse(new String[] {"--preset", "autoheal", "--port", "7000"}, Map.of()).port()).isEqualTo(7000);
    assertThat(ServerOptions.parse(new String[0], Map.of()).preset()).isNull();
  }

  @Test
  void anUnknownPresetOrAPresetWithAConfigFileIsRefused() {
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--preset", "healer"}, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown preset 'healer'");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--preset", "autoheal", "--config", "hooks.yaml"}, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be combined");
  }

  @Test
  void aMissingListenerVariableStopsTheStartNamingIt() {
    ServerOptions options = ServerOptions.parse(new String[] {"--preset", "autoheal", "--port", "0"}, Map.of());

    assertThatThrownBy(() -> AutohealServer.start(options, Map.of("CRITICAL_SERVICE_NAME", "app")))
        .hasMessageContaining("COMPOSE_FILE_PATH");
    assertThatThrownBy(() -> AutohealServer.start(options, Map.of()))
        .hasMessageContaining("CRITICAL_SERVICE_NAME is not set");
  }

  @Test
  void aDockerEventsSwitchThatIsNotTrueOrFalseStopsTheStartNamingIt(@TempDir Path dir) throws Exception {
    Path compose = Files.writeString(dir.resolve("docker-compose.yml"), "services: {}\n");
    ServerOptions options = new ServerOptions(null, "127.0.0.1", 0, dir.resolve("data"), ServerOptions.AUTOHEAL_PRESET);

    assertThatThrownBy(() -> AutohealServer.start(options, Map.of(
        "CRITICAL_SERVICE_NAME", "app-1",
        "COMPOSE_FILE_PATH", compose.toString(),
        "WEBHOOK_URL_CRITICAL", "http://127.0.0.1:9/c",
        "WEBHOOK_URL_FINAL", "http://127.0.0.1:9/f",
        "WEBHOOK_SECRET", "s3cret",
        "HOOKS_DOCKER_EVENTS", "maybe")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("HOOKS_DOCKER_EVENTS must be true or false, got 'maybe'");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aComposeResetWithoutTheComposeCliStopsTheStartNamingTheLabelReset(@TempDir Path dir) throws Exception {
    Path compose = Files.writeString(dir.resolve("docker-compose.yml"), "services: {}\n");
    ServerOptions options = new ServerOptions(null, "127.0.0.1", 0, dir.resolve("data"), ServerOptions.AUTOHEAL_PRESET);

    // The README's image before: the server in a JRE image without docker-compose.
    assertThatThrownBy(() -> AutohealServer.start(options, Map.of(
        "CRITICAL_SERVICE_NAME", "app-1",
        "COMPOSE_FILE_PATH", compose.toString(),
        "COMPOSE_COMMAND", dir.resolve("no-such-docker-compose").toString(),
        "WEBHOOK_URL_CRITICAL", "http://127.0.0.1:9/c",
        "WEBHOOK_URL_FINAL", "http://127.0.0.1:9/f",
        "WEBHOOK_SECRET", "s3cret")))
        .hasMessageStartingWith("RESET_MODE=compose resets the stack with the compose CLI, but '" + dir.resolve("no-such-docker-compose")
            + "' cannot be run here")
        .hasMessageContaining("or set RESET_MODE=labels");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
