package dev.hooks.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code autoheal} profile as a user runs it, on the machine's Docker Engine: a container
 * with compose labels (an image built FROM scratch with Debian's static busybox) stands for the
 * watched service; autoheal's notice about it, with its token, is counted, shown by {@code
 * /autoheal/status} and cleared by {@code /autoheal/reset}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("autoheal")
class AutohealProfileTest {
  private static final String TOKEN = "starter-ops-autoheal-token-0123456789";
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String IMAGE = "starter-ops-autoheal-" + SUFFIX;
  private static final String PROJECT = "starter-ops-" + SUFFIX;
  private static final String CONTAINER = PROJECT + "-app-1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DATA = temp();

  @LocalServerPort
  int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws Exception {
    Path context = Files.createDirectories(DATA.resolve("image"));
    Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
    Files.writeString(context.resolve("Dockerfile"), """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "--install", "-s", "/bin"]
        """);
    docker(context, "build", "-q", "-t", IMAGE, ".");
    docker(DATA, "create", "--name", CONTAINER, "--label", "com.docker.compose.project=" + PROJECT,
        "--label", "com.docker.compose.service=app", IMAGE, "sleep", "3600");
    registry.add("GITHUB_WEBHOOK_SECRET", () -> "It's a Secret to Everybody");
    // Unreachable on purpose: the threshold is not reached, so no alert is sent.
    registry.add("DISCORD_WEBHOOK_URL", () -> "http://127.0.0.1:9/api/webhooks/1/chat");
    registry.add("WEBHOOK_SECRET", () -> TOKEN);
    registry.add("CRITICAL_SERVICE_NAME", () -> CONTAINER);
    registry.add("RESET_MODE", () -> "labels");
    registry.add("WEBHOOK_URL_CRITICAL", () -> "http://127.0.0.1:9/api/webhooks/2/critical");
    registry.add("WEBHOOK_URL_FINAL", () -> "http://127.0.0.1:9/api/webhooks/3/final");
    registry.add("hooks.journal.data-dir", () -> DATA.resolve("data").toString());
  }

  @AfterAll
  static void removeContainer() throws Exception {
    docker(DATA, "rm", "-f", CONTAINER);
    docker(DATA, "rmi", "-f", IMAGE);
  }

  @Test
  void anAutohealNoticeIsCountedShownAndResetWithTheToken() throws Exception {
    // The sentence autoheal's docker-entrypoint sends after restarting an unhealthy container, in key content.
    String notice = JSON.writeValueAsString(Map.of("content",
        "Container " + CONTAINER + " (0123456789ab) found to be unhealthy. Successfully restarted the container!"));

    assertThat(post("/hooks/autoheal-event", notice, "wrong-token").statusCode()).isEqualTo(401);
    HttpResponse<String> accepted = post("/hooks/autoheal-event", notice, TOKEN);
    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(accepted.body()).path("request_id").asText()).isNotBlank();

    await().atMost(Duration.ofSeconds(20)).until(() -> count() == 1);
    JsonNode status = JSON.readTree(get("/autoheal/status").body());
    assertThat(status.path("critical_service").asText()).isEqualTo(CONTAINER);
    assertThat(status.path("threshold").asInt()).isEqualTo(3);
    assertThat(JSON.readTree(get("/autoheal/health").body()).path("status").asText()).isEqualTo("healthy");

    String reset = "{\"service_name\":\"app\"}";
    assertThat(post("/autoheal/reset", reset, "wrong-token").statusCode()).isEqualTo(401);
    assertThat(post("/autoheal/reset", "not json", TOKEN).statusCode()).isEqualTo(400);
    HttpResponse<String> done = post("/autoheal/reset", reset, TOKEN);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(JSON.readTree(done.body()).path("reset").toString()).contains(PROJECT);
    assertThat(count()).isZero();

    String prometheus = get("/actuator/prometheus").body();
    assertThat(prometheus).contains("hooks_received_total");
  }

  /** The failures counted for the watched service's compose service, 0 before the first. */
  private int count() throws IOException, InterruptedException {
    JsonNode state = JSON.readTree(get("/autoheal/status").body()).path("state");
    for (JsonNode s : state) {
      if (s.path("project").asText().equals(PROJECT) && s.path("service").asText().equals("app")) {
        return s.path("count").asInt();
      }
    }
    return 0;
  }

  private HttpResponse<String> post(String path, String body, String token) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").header("X-Webhook-Token", token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void docker(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

  private static Path temp() {
    try {
      return Files.createTempDirectory("starter-ops-autoheal");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
