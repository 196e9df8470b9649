package dev.hooks.server.autoheal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.server.ConfigException;
import dev.hooks.server.ServerOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
