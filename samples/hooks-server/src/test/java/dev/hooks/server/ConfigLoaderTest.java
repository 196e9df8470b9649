package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path p = dir.resolve("hooks-" + System.nanoTime() + ".yaml");
    Files.writeString(p, yaml);
    return p;
  }

  private Path fullExample() throws IOException {
    Path p = dir.resolve("full-example.yaml");
    try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/full-example.yaml")) {
      Files.copy(in, p);
    }
    return p;
  }

  @Test
  void bundledDefaultDeclaresGitHubRoutedToTheLogHandler() {
    ServerConfig c = ConfigLoader.load(null, Map.of("GITHUB_WEBHOOK_SECRET", "s3cret"));

    assertThat(c.endpoints).singleElement().satisfies(e -> {
      assertThat(e.id).isEqualTo("github");
      assertThat(e.provider).isEqualTo("github");
      assertThat(e.verifier.secrets).containsExactly("s3cret");
    });
    assertThat(c.routes).singleElement().satisfies(r -> assertThat(r.handlers).containsExactly("log"));
    assertThat(c.handlers.get("log").type).isEqualTo("log");
  }

  @Test
  void missingSecretVariableFailsNamingTheVariableToSet() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GITHUB_WEBHOOK_SECRET, which is not set; set GITHUB_WEBHOOK_SECRET");
  }

  @Test
  void fullExampleBindsEveryKey() throws IOException {
    ServerConfig c = ConfigLoader.load(fullExample(), Map.of("GITHUB_WEBHOOK_SECRET", "a", "CI_WEBHOOK_SECRET", "b"));

    assertThat(c.endpoints).hasSize(2);
    assertThat(c.endpoints.get(0).verifier.secrets).containsExactly("a", "retired-secret");
    assertThat(c.endpoints.get(0).allowedCidrs).contains("192.30.252.0/22");
    assertThat(c.endpoints.get(1).parser).containsEntry("type", "pipeline");
    assertThat(c.endpoints.get(1).verifier.options).containsEntry("prefix", "sha256=");
    assertThat(c.journal.durability).isEqualTo("os");
    assertThat(c.journal.retentionDays).isEqualTo(7);
    assertThat(c.journal.purgeInterval).isEqualTo("10m");
    assertThat(c.logging.format).isEqualTo("plain");
    assertThat(c.logging.level).isEqualTo("info");
    assertThat(c.journal.password).isEmpty();
    assertThat(c.dispatch.maxAttempts).isEqualTo(10);
    assertThat(c.routes.get(0).match.branch).containsExactly("main", "release/*");
    assertThat(c.routes.get(1).match.tag).containsExactly("v*");
    assertThat(c.handlers.get("audit").path).isEqualTo("./data/handled.txt");
  }

  @Test
  void fullExampleStartsAServer() throws IOException {
    Path example = fullExample();
    Files.writeString(example, Files.readString(example).replace("./data/", dir.toAbsolutePath() + "/data/"));

    try (HooksServer server = HooksServer.start(new ServerOptions(example, "127.0.0.1", 0, dir.resolve("data")),
        Map.of("GITHUB_WEBHOOK_SECRET", "a", "CI_WEBHOOK_SECRET", "b"), System.out, Map.of())) {
      assertThat(server.hooks().endpoints().find("ci")).isPresent();
      assertThat(server.hooks().router().routes()).hasSize(3);
    }
    assertThat(dir.resolve("data/hooks.mv.db")).exists();
  }

  @Test
  void emptySectionsAreEmptyNotMissing() throws IOException {
    ServerConfig c = ConfigLoader.load(write("""
        endpoints:
          - id: a
            provider: github
            verifier:
            parser:
            allowed-cidrs:
        journal:
        dispatch:
        routes:
          - name: r
            match:
            handlers: [log]
        handlers:
          log: {type: log}
        """), Map.of());

    assertThat(c.endpoints.get(0).verifier.secrets).isEmpty();
    assertThat(c.endpoints.get(0).parser).isEmpty();
    assertThat(c.endpoints.get(0).allowedCidrs).isEmpty();
    assertThat(c.journal.url).isNull();
    assertThat(c.dispatch.lease).isNull();
    assertThat(c.routes.get(0).match.type).isEmpty();
  }

  @Test
  void deployKeysOfTheSwarmTargetAndTheRegistryBind() throws IOException {
    ServerConfig c = ConfigLoader.load(write("""
        endpoints:
          - id: a
            provider: github
        deploy:
          lease: 5s
          services:
            api:
              repository: /srv/git/api
              target: swarm
              build-target: runtime
              swarm: {service-name: api-svc, published-port: 8080, replicas: 2, order: stop-first, monitor: 3s}
              registry: {url: "${REGISTRY_URL}", username: deployer, password: "${REGISTRY_PASSWORD}"}
        """), Map.of("REGISTRY_URL", "127.0.0.1:5000", "REGISTRY_PASSWORD", "pw"));

    var api = c.deploy.services.get("api");
    assertThat(c.deploy.lease).isEqualTo("5s");
    assertThat(api.target).isEqualTo("swarm");
    assertThat(api.buildTarget).isEqualTo("runtime");
    assertThat(api.swarm.serviceName).isEqualTo("api-svc");
    assertThat(api.swarm.publishedPort).isEqualTo(8080);
    assertThat(api.swarm.replicas).isEqualTo(2);
    assertThat(api.swarm.order).isEqualTo("stop-first");
    assertThat(api.swarm.monitor).isEqualTo("3s");
    assertThat(api.registry.url).isEqualTo("127.0.0.1:5000");
    assertThat(api.registry.username).isEqualTo("deployer");
    assertThat(api.registry.password).isEqualTo("pw");
  }

  @Test
  void unknownKeyIsRefusedNamingItAndTheKnownOnes() throws IOException {
    Path p = write("""
        endpoints:
          - id: github
            provider: github
            max-body: 1MB
        """);

    assertThatThrownBy(() -> ConfigLoader.load(p, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'max-body' at endpoints[0]")
        .hasMessageContaining("max-body-size");
  }

  @Test
  void invalidConfigurationsSayTheFix() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(write("routes: []\n"), Map.of()))
        .hasMessageContaining("no endpoints; declare at least one");
    assertThatThrownBy(() -> ConfigLoader.load(write("endpoints: [{provider: github}]\n"), Map.of()))
        .hasMessageContaining("endpoints[0] has no id");
    assertThatThrownBy(() -> ConfigLoader.load(write("endpoints: [{id: a}]\n"), Map.of()))
        .hasMessageContaining("endpoint 'a' has no provider");
    assertThatThrownBy(() -> ConfigLoader.load(write("endpoints: [{id: a, provider: github}, {id: a, provider: github}]\n"), Map.of()))
        .hasMessageContaining("'a' is declared twice");
    assertThatThrownBy(() -> ConfigLoader.load(write("endpoints: [{id: a, provider: github, max-body-size: lots}]\n"), Map.of()))
        .hasMessageContaining("'lots' is not a size");
    assertThatThrownBy(() -> ConfigLoader.load(write("endpoints: [{id: a, provider: github}]\njournal: {durability: fast}\n"), Map.of()))
        .hasMessageContaining("journal.durability 'fast' is unknown; use os or sync");
    assertThatThrownBy(() -> ConfigLoader.load(write("endpoints: [{id: a, provider: github}]\nhandlers: {x: {type: email}}\n"), Map.of()))
        .hasMessageContaining("handler 'x' has unknown type 'email'");
    assertThatThrownBy(() -> ConfigLoader.load(write("endpoints: [{id: a, provider: github}]\nhandlers: {x: {type: file}}\n"), Map.of()))
        .hasMessageContaining("file handler 'x' has no path");
    assertThatThrownBy(() -> ConfigLoader.load(write("endpoints: [{id: a, provider: github}]\nroutes: [{name: r}]\n"), Map.of()))
        .hasMessageContaining("route 'r' has no handlers");
    assertThatThrownBy(() -> ConfigLoader.load(write("endpoints: [{id: a, provider: github}\n"), Map.of()))
        .hasMessageContaining("is not valid YAML");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml"), Map.of()))
        .hasMessageContaining("does not exist; check --config");
    assertThatThrownBy(() -> ConfigLoader.load(write("endpoints: [{id: a, provider: github, enabled: maybe}]\n"), Map.of()))
        .hasMessageContaining("bad value at endpoints[0].enabled");
  }

  @Test
  void badVerifierOrRouteIsReportedAtStartWithoutTheSecret() throws IOException {
    Path unknownScheme = write("endpoints: [{id: a, provider: github, verifier: {scheme: rot13, secrets: [hunter2]}}]\n");
    Path noSecret = write("endpoints: [{id: a, provider: github}]\n");
    Path undeclared = write("endpoints: [{id: a, provider: github, verifier: {scheme: none}}]\nroutes: [{name: r, handlers: [mail]}]\n");

    assertThatThrownBy(() -> HooksServer.start(new ServerOptions(unknownScheme, "127.0.0.1", 0, dir.resolve("d1")), Map.of(), System.out, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown signature scheme 'rot13'").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> HooksServer.start(new ServerOptions(noSecret, "127.0.0.1", 0, dir.resolve("d2")), Map.of(), System.out, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("endpoint 'a'").hasMessageContaining("secret");
    assertThatThrownBy(() -> HooksServer.start(new ServerOptions(undeclared, "127.0.0.1", 0, dir.resolve("d3")), Map.of(), System.out, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("names handler 'mail', which is not declared");
  }

  @Test
  void sizesAndDurationsReadAsWritten() {
    assertThat(ConfigValues.size("1MB", "k")).isEqualTo(1 << 20);
    assertThat(ConfigValues.size("512KB", "k")).isEqualTo(512 * 1024);
    assertThat(ConfigValues.size("64kib", "k")).isEqualTo(64 * 1024);
    assertThat(ConfigValues.size("1000", "k")).isEqualTo(1000);
    assertThat(ConfigValues.duration("2s", "k")).isEqualTo(Duration.ofSeconds(2));
    assertThat(ConfigValues.duration("500ms", "k")).isEqualTo(Duration.ofMillis(500));
    assertThat(ConfigValues.duration("5m", "k")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ConfigValues.duration("PT1H", "k")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> ConfigValues.duration("soon", "dispatch.lease")).hasMessageContaining("dispatch.lease: 'soon' is not a duration");
    assertThatThrownBy(() -> ConfigValues.size("3GB", "k")).hasMessageContaining("between 1 byte and 2 GB");
  }
}
