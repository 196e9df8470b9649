package dev.hooks.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.deploy.DeployService;
import dev.hooks.deploy.SwarmOptions;
import dev.hooks.endpoints.EndpointStore;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.server.ConfigException;
import dev.hooks.state.InMemoryStateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code deploy:} section's registry and Swarm keys, turned into services or refused with the key at fault. */
class DeployWiringTest {
  private static final String TOKEN = "0123456789abcdef0123";

  @TempDir
  Path dir;

  private DeployService wire(DeployConfig.ServiceConfig c) {
    DeployConfig config = new DeployConfig();
    config.services.put("web", c);
    InMemoryStateStore state = new InMemoryStateStore();
    try (DeployWiring w = DeployWiring.create(config, Set.of(), Set.of(), TOKEN, state, EndpointStore.builder(state).build(),
        new InMemoryNotificationOutbox(), dir, null)) {
      return w.deployer().service("web").orElseThrow();
    }
  }

  private static DeployConfig.ServiceConfig base() {
    DeployConfig.ServiceConfig c = new DeployConfig.ServiceConfig();
    c.repository = "/srv/git/web";
    return c;
  }

  @Test
  void aSwarmServiceNeedsNoNetworkAndTakesItsUpdateSettings() {
    DeployConfig.ServiceConfig c = base();
    c.target = "swarm";
    c.swarm.monitor = "3s";
    c.swarm.publishedPort = 8080;
    c.swarm.order = "start-first";

    DeployService s = wire(c);

    SwarmOptions o = s.swarm().orElseThrow();
    assertThat(o.monitor()).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.publishedPort()).isEqualTo(8080);
    assertThat(o.order()).isEqualTo(SwarmOptions.Order.START_FIRST);
    assertThat(s.network()).isEmpty();
  }

  @Test
  void aFixedPublishedPortDefaultsToStopFirst() {
    DeployConfig.ServiceConfig c = base();
    c.target = "swarm";
    c.swarm.publishedPort = 8080;

    assertThat(wire(c).swarm().orElseThrow().order()).isEqualTo(SwarmOptions.Order.STOP_FIRST);
  }

  @Test
  void theRegistryUrlLosesItsSchemeAndTheCredentialsAreKeptOutOfToString() {
    DeployConfig.ServiceConfig c = base();
    c.network = "app";
    c.registry.url = "http://127.0.0.1:5000/";
    c.registry.username = "deployer";
    c.registry.password = "s3cret-registry-password";

    DeployService s = wire(c);

    assertThat(s.registry()).contains("127.0.0.1:5000");
    assertThat(s.imageRepository()).isEqualTo("127.0.0.1:5000/web");
    assertThat(s.registryPassword().orElseThrow().asText()).isEqualTo("s3cret-registry-password");
    assertThat(s.toString()).doesNotContain("s3cret");
  }

  @Test
  void anEmptyRegistryUrlMeansNoRegistry() {
    DeployConfig.ServiceConfig c = base();
    c.network = "app";
    c.registry.url = "";

    assertThat(wire(c).registry()).isEmpty();
  }

  @Test
  void aUserWithoutAPasswordIsRefusedNamingTheKey() {
    DeployConfig.ServiceConfig c = base();
    c.network = "app";
    c.registry.url = "127.0.0.1:5000";
    c.registry.username = "deployer";

    assertThatThrownBy(() -> wire(c)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("deploy.services.web.registry needs both username and password");
  }

  @Test
  void anUnknownTargetIsRefusedPointingAtBuildTarget() {
    DeployConfig.ServiceConfig c = base();
    c.network = "app";
    c.target = "runtime";

    assertThatThrownBy(() -> wire(c)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("deploy.services.web.target is 'runtime'").hasMessageContaining("build-target");
  }

  @Test
  void plainContainersStillNeedANetwork() {
    assertThatThrownBy(() -> wire(base())).isInstanceOf(ConfigException.class).hasMessageContaining("deploy.services.web.network is not set");
  }
}
