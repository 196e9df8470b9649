package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultConfigTest {
  @TempDir Path dir;

  @Test
  void withoutConfigTheGitHubEndpointPrintsEachPushWithBranchAndDeliveryId() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (HooksServer server = HooksServer.start(new ServerOptions(null, "127.0.0.1", 0, dir.resolve("data")),
        Map.of("GITHUB_WEBHOOK_SECRET", "s3cret"), new PrintStream(out, true, StandardCharsets.UTF_8), Map.of())) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(GitHubDeliveries.push(
              URI.create("http://127.0.0.1:" + server.port() + "/hooks/github"), "s3cret", "9a1b2c3d", GitHubDeliveries.pushPayload()),
          HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).contains("id=9a1b2c3d"));
    }
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("event provider=github type=push action=created branch=master id=9a1b2c3d");
    assertThat(dir.resolve("data/hooks.mv.db")).exists();
  }
}
