package dev.hooks.server.autoheal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hooks.server.ServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The autoheal preset as deployed: {@link AutohealServer#start(ServerOptions, Map)} with the
 * listener's environment on a real Docker Engine and the {@code docker-compose} CLI, a one-service
 * stack built FROM scratch with Debian's static busybox, and a loopback server answering like
 * Discord's execute-webhook route (204). Three autoheal notices bring the stack down and up
 * again, the critical and recovery alerts arrive, the logs are archived, and the count ends at 0.
 */
class AutohealServerDockerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "c0ffee" + UUID.randomUUID().toString().replace("-", "");

  private final String image = "hooks-server-autoheal-it:" + UUID.randomUUID().toString().substring(0, 8);
  private final String project = "ahit" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final HttpClient http = HttpClient.newHttpClient();
  private final BlockingQueue<JsonNode> discord = new LinkedBlockingQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger rateLimited = new java.util.concurrent.atomic.AtomicInteger();
  private Path dir;
  private Path compose;
  private HttpServer discordServer;
  private AutohealServer server;

  @BeforeEach
  void upStack() throws Exception {
    dir = Files.createTempDirectory("hooks-autoheal-it");
    Path context = Files.createDirectories(dir.resolve("image"));
    Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
    Files.writeString(context.resolve("Dockerfile"), """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "--install", "-s", "/bin"]
        RUN mkdir -p /tmp && chmod 1777 /tmp
        """);
    run(context, "docker", "build", "-q", "-t", image, ".");
    compose = dir.resolve("docker-compose.yml");
    Files.writeString(compose, """
        version: "2.4"
        services:
          app:
            image: %s
            init: true
            command: ["sh", "-c", "echo app started; while true; do echo app serving; sleep 1; done"]
            healthcheck:
              test: ["CMD-SHELL", "test ! -f /tmp/broken"]
              interval: 1s
              timeout: 1s
              retries: 1
        """.formatted(image), StandardCharsets.UTF_8);
    run(dir, "docker-compose", "-f", compose.toString(), "-p", project, "up", "-d");

    discordServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // Discord's execute-webhook route answers 204 No Content to a JSON message; the first
    // rateLimited requests get its 429, body as in https://discord.com/developers/docs/topics/rate-limits.
    discordServer.createContext("/api/webhooks/", ex -> {
      try (ex) {
        JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
        if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          byte[] answer = "{\"message\": \"You are being rate limited.\", \"retry_after\": 1.0, \"global\": false}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(429, answer.length);
          ex.getResponseBody().write(answer);
          return;
        }
        discord.add(body);
        ex.sendResponseHeaders(204, -1);
      }
    });
    discordServer.start();
  }

  @AfterEach
  void downStack() throws Exception {
    if (server != null) {
      server.close();
    }
    discordServer.stop(0);
    run(dir, "docker-compose", "-f", compose.toString(), "-p", project, "down", "-v", "-t", "1");
    run(dir, "docker", "rmi", "-f", image);
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private Map<String, String> environment(String name) {
    String hook = "http://127.0.0.1:" + discordServer.getAddress().getPort() + "/api/webhooks/1/token";
    return new HashMap<>(Map.of(
        "CRITICAL_SERVICE_NAME", name,
        "CRITICAL_FAIL_COUNT", "3",
        "COMPOSE_FILE_PATH", compose.toString(),
        "WEBHOOK_URL_CRITICAL", hook,
        "WEBHOOK_URL_FINAL", hook.replace("/1/", "/2/"),
        "WEBHOOK_SECRET", SECRET,
        "COOLDOWN_PERIOD", "5",
        "HOSTNAME", "vps-it",
        "LOG_ARCHIVE_DIR", dir.resolve("archives").toString()));
  }

  private AutohealServer start(Map<String, String> env) {
    return AutohealServer.start(new ServerOptions(null, "127.0.0.1", 0, dir.resolve("data"), ServerOptions.AUTOHEAL_PRESET), env);
  }

  @Test
  void threeAutohealNoticesResetTheStackAlertAndEndWithTheCountAtZero() throws Exception {
    String before = containerId();
    String name = containerName(before);
    server = start(environment(name));
    // The sentence autoheal's docker-entrypoint sends after restarting a container, in key content.
    String notice = JSON.writeValueAsString(Map.of("content",
        "Container " + name + " (" + before.substring(0, 12) + ") found to be unhealthy. Successfully restarted the container!"));

    assertThat(post("/reset", "{\"service_name\":\"app\"}", "wrong").statusCode()).isEqualTo(401);
    rateLimited.set(1); // the critical alert's first attempt: Discord's 429, sent again after retry_after
    for (int i = 0; i < 3; i++) {
      assertThat(post("/autoheal-event", notice, SECRET).statusCode()).isEqualTo(202);
    }

    JsonNode critical = discord.poll(60, TimeUnit.SECONDS);
    assertThat(critical).as("critical alert").isNotNull();
    assertThat(critical.get("embeds").get(0).get("title").asText()).isEqualTo("🚨 Alerte Monitoring - CRITICAL");
    assertThat(critical.get("embeds").get(0).get("color").asInt()).isEqualTo(16753920);
    await().atMost(Duration.ofSeconds(90)).until(() -> !containerId().equals(before));
    try (Stream<Path> archives = Files.list(dir.resolve("archives"))) {
      assertThat(archives.map(p -> p.getFileName().toString())).singleElement().asString().startsWith(project).endsWith(".tar.gz");
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      JsonNode state = status().get("state").get(project + "/app");
      return state != null && state.get("state").asText().equals("OK") && state.get("count").asInt() == 0;
    });
    JsonNode recovered = discord.poll(30, TimeUnit.SECONDS);
    assertThat(recovered).as("recovery alert").isNotNull();
    assertThat(discord).isEmpty();
  }

  @Test
  void withDockerEventsOnAContainerTurningUnhealthyIsCountedWithoutANotice() throws Exception {
    String id = containerId();
    Map<String, String> env = environment(containerName(id));
    env.put("HOOKS_DOCKER_EVENTS", "true");
    server = start(env);

    run(dir, "docker", "exec", id, "touch", "/tmp/broken");

    await().atMost(Duration.ofSeconds(60)).until(() -> {
      JsonNode state = status().get("state").get(project + "/app");
      return state != null && state.get("count").asInt() == 1 && state.get("last_failure_reason").asText().equals("unhealthy");
    });
    assertThat(status().get("state").get(project + "/app").get("state").asText()).isEqualTo("FAILING");
    assertThat(discord).isEmpty();
  }

  @Test
  void withTheLabelResetTheStackIsRestartedThroughTheApiWithoutAComposeCli() throws Exception {
    String id = containerId();
    String name = containerName(id);
    String startedBefore = startedAt(id);
    Map<String, String> env = environment(name);
    env.put("RESET_MODE", "labels");
    env.put("COMPOSE_COMMAND", dir.resolve("no-docker-compose-here").toString());
    env.put("COMPOSE_FILE_PATH", dir.resolve("not-mounted.yml").toString());
    server = start(env);
    String notice = JSON.writeValueAsString(Map.of("content",
        "Container " + name + " (" + id.substring(0, 12) + ") found to be unhealthy. Successfully restarted the container!"));

    for (int i = 0; i < 3; i++) {
      assertThat(post("/autoheal-event", notice, SECRET).statusCode()).isEqualTo(202);
    }

    JsonNode critical = discord.poll(60, TimeUnit.SECONDS);
    assertThat(critical).as("critical alert").isNotNull();
    assertThat(critical.get("embeds").get(0).get("title").asText()).isEqualTo("🚨 Alerte Monitoring - CRITICAL");
    await().atMost(Duration.ofSeconds(60)).until(() -> !startedAt(id).equals(startedBefore));
    assertThat(containerId()).isEqualTo(id);
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      JsonNode state = status().get("state").get(project + "/app");
      return state != null && state.get("state").asText().equals("OK") && state.get("count").asInt() == 0;
    });
    JsonNode recovered = discord.poll(30, TimeUnit.SECONDS);
    assertThat(recovered).as("recovery alert").isNotNull();
    assertThat(recovered.get("embeds").get(0).get("title").asText()).isEqualTo("✅ Service rétabli");
  }

  @Test
  void aResetThatFailsEndsInTheFinalAlertNeverInARecovery() throws Exception {
    // A compose CLI that passes the start check but cannot reset, as when the daemon refuses it.
    Path cli = dir.resolve("docker-compose");
    Files.writeString(cli, """
        #!/bin/sh
        case "$*" in *version*) echo 'docker-compose version 1.29.2'; exit 0;; esac
        echo 'ERROR: Couldn'"'"'t connect to Docker daemon at http+docker://localhost - is it running?' >&2
        exit 1
        """);
    cli.toFile().setExecutable(true);
    String id = containerId();
    String name = containerName(id);
    Map<String, String> env = environment(name);
    env.put("COMPOSE_COMMAND", cli.toString());
    server = start(env);
    String notice = JSON.writeValueAsString(Map.of("content",
        "Container " + name + " (" + id.substring(0, 12) + ") found to be unhealthy. Successfully restarted the container!"));

    for (int i = 0; i < 3; i++) {
      assertThat(post("/autoheal-event", notice, SECRET).statusCode()).isEqualTo(202);
    }

    // Two webhooks, two lanes of the outbox: the alerts may arrive in either order.
    Map<String, JsonNode> byTitle = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      JsonNode m = discord.poll(60, TimeUnit.SECONDS);
      assertThat(m).as("alert " + (i + 1)).isNotNull();
      byTitle.put(m.get("embeds").get(0).get("title").asText(), m);
    }
    assertThat(byTitle).containsOnlyKeys("🚨 Alerte Monitoring - CRITICAL", "🔴 ARRÊT FINAL - INTERVENTION REQUISE 🔴");
    assertThat(byTitle.get("🔴 ARRÊT FINAL - INTERVENTION REQUISE 🔴").get("content").asText()).isEqualTo("@everyone - Panne critique détectée");
    JsonNode state = status().get("state").get(project + "/app");
    assertThat(state.get("state").asText()).isEqualTo("QUARANTINED");
    await().atMost(Duration.ofSeconds(30)).until(() -> run(dir, "docker", "inspect", "--format", "{{.State.Running}}", id).strip().equals("false"));
    assertThat(discord.poll(8, TimeUnit.SECONDS)).as("no recovery alert").isNull();
  }

  private String startedAt(String id) throws Exception {
    return run(dir, "docker", "inspect", "--format", "{{.State.StartedAt}}", id).strip();
  }

  private String containerId() throws Exception {
    return run(dir, "docker", "ps", "-aq", "--no-trunc", "--filter", "label=com.docker.compose.project=" + project,
        "--filter", "label=com.docker.compose.service=app").strip();
  }

  private String containerName(String id) throws Exception {
    return run(dir, "docker", "inspect", "--format", "{{.Name}}", id).strip().substring(1);
  }

  private JsonNode status() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/status")).GET().build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> post(String path, String body, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .header("X-Webhook-Token", token)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static String run(Path dir, String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }
}
