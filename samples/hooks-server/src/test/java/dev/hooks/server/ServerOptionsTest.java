package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {

  @Test
  void defaultsArePort8080DataDirectoryAndTheBundledConfig() {
    ServerOptions o = ServerOptions.parse(new String[0], Map.of());

    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.dataDir()).isEqualTo(Path.of("data"));
    assertThat(o.config()).isNull();
  }

  @Test
  void portComesFromTheCommandLineThenHooksPort() {
    assertThat(ServerOptions.parse(new String[0], Map.of("HOOKS_PORT", "9000")).port()).isEqualTo(9000);
    assertThat(ServerOptions.parse(new String[] {"--port", "9100"}, Map.of("HOOKS_PORT", "9000")).port()).isEqualTo(9100);
    assertThat(ServerOptions.parse(new String[] {"--port=9200", "--config=a.yaml", "--data", "/var/hooks"}, Map.of()))
        .isEqualTo(new ServerOptions(Path.of("a.yaml"), "0.0.0.0", 9200, Path.of("/var/hooks")));
  }

  @Test
  void badOptionsSayWhatIsWrong() {
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port", "http"}, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--port 'http' is not a port number");
    assertThatThrownBy(() -> ServerOptions.parse(new String[0], Map.of("HOOKS_PORT", "x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("HOOKS_PORT 'x'");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--config"}, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--config needs a value");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--verbose"}, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown option '--verbose'").hasMessageContaining("usage:");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port", "70000"}, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("out of range");
  }
}
