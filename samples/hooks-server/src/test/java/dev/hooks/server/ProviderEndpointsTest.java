package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.endpoints.Provider;
import dev.hooks.endpoints.ProviderCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every provider of the catalog as an endpoint's {@code provider:}, with its own default scheme. */
class ProviderEndpointsTest {
  private static final String SECRET = "provider-endpoints-secret";

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void everyCatalogProviderStartsWithItsDefaultSchemeAndOnlyTheSecret() throws Exception {
    StringBuilder yaml = new StringBuilder("endpoints:\n");
    for (String name : ProviderCatalog.standard().names()) {
      yaml.append("  - id: ").append(name).append("\n    provider: ").append(name)
          .append("\n    verifier: {secrets: [\"${SECRET}\"]}\n");
    }
    Path config = dir.resolve("all.yaml");
    Files.writeString(config, yaml);

    try (HooksServer server = HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data")), Map.of("SECRET", SECRET),
        System.out, Map.of())) {
      assertThat(server.hooks().endpoints().find("mapped")).isPresent();
      // GitLab's token, from GitLab's webhook docs: X-Gitlab-Token carries the secret as is
      String gitlabBody = "{\"object_kind\":\"push\",\"ref\":\"refs/heads/main\",\"project\":{\"path_with_namespace\":\"a/b\"}}";
      assertThat(post(server, "gitlab", gitlabBody, Map.of("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET))).isEqualTo(202);
      assertThat(post(server, "gitlab", gitlabBody, Map.of("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", "wrong"))).isEqualTo(401);
      // senders that sign nothing present the secret as a bearer token
      String generic = "{\"message\":\"hello\"}";
      assertThat(post(server, "generic", generic, Map.of("Authorization", "Bearer " + SECRET))).isEqualTo(202);
      assertThat(post(server, "generic", generic, Map.of("Authorization", "Bearer " + SECRET + "x"))).isEqualTo(401);
      assertThat(post(server, "generic", generic, Map.of())).isEqualTo(401);
    }
  }

  @Test
  void theCatalogNamesAnExplicitDefaultSchemeForEveryProvider() {
    for (Provider p : ProviderCatalog.standard().providers()) {
      assertThat(p.defaultScheme()).as(p.name()).isNotBlank();
    }
    assertThat(ProviderCatalog.standard().require("bitbucket").defaultScheme()).isEqualTo("bitbucket");
    assertThat(ProviderCatalog.standard().require("alertmanager").defaultScheme()).isEqualTo("bearer");
  }

  @Test
  void anUnknownProviderIsAStartErrorNamingTheKeyAndTheKnownNames() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "endpoints:\n  - id: a\n    provider: gitlab\n    verifier: {secrets: [x]}\n  - id: b\n    provider: gitlub\n");

    assertThatThrownBy(() -> HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("d")), Map.of(), System.out, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("endpoints[1].provider 'gitlub' is unknown")
        .hasMessageContaining("uptime-kuma");
  }

  @Test
  void aMissingSecretNamesTheProvidersProofAndTheKey() throws Exception {
    Path config = dir.resolve("nosecret.yaml");
    Files.writeString(config, "endpoints:\n  - id: am\n    provider: alertmanager\n");

    assertThatThrownBy(() -> HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("d")), Map.of(), System.out, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("endpoints[0].verifier")
        .hasMessageContaining("Authorization: Bearer");
  }

  private int post(HooksServer server, String endpoint, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hooks/" + endpoint))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
