package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker/Dockerfile} and {@code docker/build-base-image.sh} as a self-hoster without an
 * image registry uses them, against the real Docker Engine: the base image built from the local
 * JDK, the server's image on it, a container with its data in a volume answering a signed push
 * 202, and the delivery still journaled after the container is replaced.
 */
class ContainerImageIT {
  private static final String SECRET = "container-secret-0123456789";
  private final String name = "hooks-image-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<List<String>> cleanup = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void removeWhatWasCreated() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      run(cleanup.get(i), true);
    }
  }

  @Test
  void imageOnTheLocallyBuiltBaseServesAndKeepsDeliveriesInItsVolume() throws Exception {
    run(List.of("docker/build-base-image.sh", name + "-jre:17"), false);
    cleanup.add(List.of("docker", "rmi", "-f", name + "-jre:17"));
    run(List.of("docker", "build", "-q", "--build-arg", "BASE=" + name + "-jre:17", "-f", "docker/Dockerfile", "-t", name + ":it", "."), false);
    cleanup.add(List.of("docker", "rmi", "-f", name + ":it"));
    cleanup.add(List.of("docker", "volume", "rm", "-f", name + "-data"));
    Path config = dir.resolve("hooks.yaml");
    Files.writeString(config, """
        endpoints:
          - id: github
            provider: github
            verifier: {secrets: ["${GITHUB_WEBHOOK_SECRET}"]}
        notify:
          targets:
            discord: {url: "http://127.0.0.1:9/unused"}
        admin:
          token: ${HOOKS_ADMIN_TOKEN}
        """);

    int port = startContainer(config);
    byte[] push = GitHubDeliveries.pushPayload();
    HttpResponse<String> accepted = post(port, push, GitHubDeliveries.signature(SECRET, push), "image-1");
    HttpResponse<String> unsigned = post(port, push, "sha256=" + "0".repeat(64), "image-2");
    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(unsigned.statusCode()).isEqualTo(401);

    run(List.of("docker", "rm", "-f", name), false);
    int again = startContainer(config);
    String listed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + again + "/admin/deliveries"))
        .header("Authorization", "Bearer " + SECRET + "-admin").build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(listed).contains("\"delivery_id\":\"image-1\"").doesNotContain("image-2");
    assertThat(post(again, push, GitHubDeliveries.signature(SECRET, push), "image-1").statusCode())
        .as("a redelivery after the restart is known").isEqualTo(200);
  }

  /** Runs the image with the volume and the config mounted; returns the published port once /health answers. */
  private int startContainer(Path config) throws Exception {
    cleanup.add(List.of("docker", "rm", "-f", name));
    run(List.of("docker", "run", "-d", "--name", name, "-p", "127.0.0.1::8080",
        "-e", "GITHUB_WEBHOOK_SECRET=" + SECRET, "-e", "HOOKS_ADMIN_TOKEN=" + SECRET + "-admin",
        "-v", name + "-data:/var/lib/hooks/data", "-v", config.toAbsolutePath() + ":/etc/hooks/hooks.yaml:ro", name + ":it"), false);
    String mapped = run(List.of("docker", "port", name, "8080/tcp"), false).strip().lines().findFirst().orElseThrow();
    int port = Integer.parseInt(mapped.substring(mapped.lastIndexOf(':') + 1));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
      if (!run(List.of("docker", "inspect", "-f", "{{.State.Running}}", name), false).strip().equals("true")) {
        throw new AssertionError("the container stopped: " + run(List.of("docker", "logs", name), true));
      }
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      }
    });
    return port;
  }

  private HttpResponse<String> post(int port, byte[] body, String signature, String delivery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/github"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push").header("X-GitHub-Delivery", delivery)
        .header("X-Hub-Signature-256", signature).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String run(List<String> command, boolean mayFail) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    if (code != 0 && !mayFail) {
      throw new AssertionError(String.join(" ", command) + " exited " + code + ": " + out);
    }
    return out;
  }
}
