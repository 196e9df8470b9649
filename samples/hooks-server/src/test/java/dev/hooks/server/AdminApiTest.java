package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code admin:} and {@code notify:} sections: the server mounts the admin API at
 * {@code /admin/*}, endpoints created through it notify a loopback server that answers as
 * Discord's execute-webhook route does (204), and they survive a restart over the same data
 * directory.
 */
class AdminApiTest {
  private static final String TOKEN = "server-admin-token-8c1f0e2d";
  private static final String DISCORD_PATH = "/api/webhooks/1180000000000000001/loopback-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG = """
      endpoints:
        - id: static
          provider: generic
          verifier:
            scheme: none
      notify:
        discord:
          url: ${TEST_DISCORD_WEBHOOK_URL}
          allow-plain-http: true
      admin:
        token: ${TEST_ADMIN_TOKEN}
        public-url: https://hooks.example.com
      """;

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<String> discordMessages = new CopyOnWriteArrayList<>();
  private HttpServer discord;
  private HooksServer server;

  @BeforeEach
  void startDiscord() throws Exception {
    discord = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    discord.createContext(DISCORD_PATH, exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        discordMessages.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(204, -1);
      } finally {
        exchange.close();
      }
    });
    discord.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    discord.stop(0);
  }

  @Test
  void anEndpointCreatedThroughTheAdminApiNotifiesDiscordAndSurvivesARestart() throws Exception {
    Path data = dir.resolve("data");
    server = start(CONFIG, data, TOKEN);

    HttpResponse<String> created = admin("POST", "/admin/endpoints", "{\"kind\":\"github\",\"events\":\"push\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode body = JSON.readTree(created.body());
    assertThat(body.path("url").asText()).isEqualTo("https://hooks.example.com/hooks/hook_001");
    assertThat(body.path("target").asText()).isEqualTo("discord");
    String secret = body.path("secret").asText();

    server.close();
    server = start(CONFIG, data, TOKEN);

    byte[] push = GitHubDeliveries.pushPayload();
    HttpResponse<String> delivered = client.send(
        GitHubDeliveries.push(URI.create("http://127.0.0.1:" + server.port() + "/hooks/hook_001"), secret, "a1b2c3d4-hub-restart", push),
        HttpResponse.BodyHandlers.ofString());
    assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> discordMessages.size() == 1);
    assertThat(JSON.readTree(discordMessages.get(0)).path("embeds").path(0).path("title").asText()).isEqualTo("🚀 Push to master");
    assertThat(admin("GET", "/admin/endpoints", null).body()).doesNotContain(secret);
  }

  @Test
  void theAdminApiAnswers401WithoutTheTokenAndIsAbsentWithoutTheSection() throws Exception {
    server = start(CONFIG, dir.resolve("data"), TOKEN);
    HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/admin/endpoints"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    server.close();

    server = start(CONFIG.substring(0, CONFIG.indexOf("notify:")), dir.resolve("plain"), TOKEN);
    HttpResponse<String> none = admin("GET", "/admin/endpoints", null);
    assertThat(none.statusCode()).isEqualTo(404);
  }

  @Test
  void aWebhookUrlTargetMayReachOnlyTheHostsOfTheNotifyTargets() throws Exception {
    server = start(CONFIG, dir.resolve("data"), TOKEN);
    String allowed = "http://127.0.0.1:" + discord.getAddress().getPort() + DISCORD_PATH;

    HttpResponse<String> created = admin("POST", "/admin/endpoints", "{\"kind\":\"custom\",\"target\":\"" + allowed + "\"}");
    HttpResponse<String> refused = admin("POST", "/admin/endpoints",
        "{\"kind\":\"custom\",\"target\":\"https://discord.com/api/webhooks/1/elsewhere\"}");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).path("message").asText()).contains("'discord.com' is not allowed");
    HttpResponse<String> test = admin("POST", "/admin/endpoints/hook_001/test", null);
    assertThat(JSON.readTree(test.body()).path("status").asInt()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> discordMessages.size() == 1);
  }

  @Test
  void adminTrustedCidrsRefuseOtherClientsEvenWithTheToken() throws Exception {
    server = start(CONFIG + "  trusted-cidrs: [10.0.0.0/8]\n", dir.resolve("data"), TOKEN);

    HttpResponse<String> refused = admin("GET", "/admin/endpoints", null);

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("forbidden");
  }

  @Test
  void repeatedWrongAdminTokensAreAnswered429WithRetryAfter() throws Exception {
    server = start(CONFIG + "  max-failures-per-minute: 2\n", dir.resolve("data"), TOKEN);
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/admin/endpoints");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer wrong-" + i).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);
    }

    HttpResponse<String> throttled = admin("GET", "/admin/endpoints", null);

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void aBadTrustedCidrStopsTheStartNamingTheKey() {
    assertThatThrownBy(() -> start(CONFIG + "  trusted-cidrs: [10.0.0.0/99]\n", dir.resolve("data"), TOKEN))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.trusted-cidrs[0]");
  }

  @Test
  void aShortAdminTokenStopsTheStartAndSaysTheFix() {
    assertThatThrownBy(() -> start(CONFIG, dir.resolve("data"), "short"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.token must be at least 16 characters");
  }

  @Test
  void withAdminPortTheAdminRoutesAreServedOnTheirOwnListenerAndNotOnTheMainPort() throws Exception {
    server = start(CONFIG + "  port: 0\n  host: 127.0.0.1\n", dir.resolve("data"), TOKEN);
    int main = server.port();
    int adminPort = server.adminPort();
    assertThat(adminPort).isPositive().isNotEqualTo(main);

    HttpResponse<String> onAdminPort = send(adminPort, "GET", "/admin/endpoints", TOKEN, null);
    HttpResponse<String> onMainPort = send(main, "GET", "/admin/endpoints", TOKEN, null);
    HttpResponse<String> createdOnMain = send(main, "POST", "/admin/endpoints", TOKEN, "{\"kind\":\"custom\"}");
    assertThat(onAdminPort.statusCode()).as(onAdminPort.body()).isEqualTo(200);
    assertThat(onMainPort.statusCode()).isEqualTo(404);
    assertThat(createdOnMain.statusCode()).isEqualTo(404);
    assertThat(send(adminPort, "POST", "/admin/endpoints", TOKEN, "{\"kind\":\"custom\"}").statusCode()).isEqualTo(201);
    assertThat(send(adminPort, "GET", "/admin/endpoints", null, null).statusCode()).isEqualTo(401);

    // The webhook routes stay on the main port only.
    assertThat(send(main, "POST", "/hooks/static", null, "{\"id\":\"1\"}").statusCode()).isEqualTo(202);
    assertThat(send(adminPort, "POST", "/hooks/static", null, "{\"id\":\"2\"}").statusCode()).isEqualTo(404);
    assertThat(send(main, "GET", "/health", null, null).statusCode()).isEqualTo(200);
    assertThat(send(adminPort, "GET", "/health", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void anAdminPortThatIsTheMainPortStopsTheStartNamingTheKey() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path config = Files.writeString(dir.resolve("same-port.yaml"), CONFIG + "  port: " + port + "\n");
    Map<String, String> env = Map.of("TEST_ADMIN_TOKEN", TOKEN, "TEST_DISCORD_WEBHOOK_URL", "http://127.0.0.1:9" + DISCORD_PATH);
    assertThatThrownBy(() -> HooksServer.start(new ServerOptions(config, "127.0.0.1", port, dir.resolve("data")), env,
        new java.io.PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("admin.port " + port + " is the main port");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aPatchWithANamedTokenIsAuditedUnderItsIdentityAndTheLogSurvivesARestart() throws Exception {
    Path data = dir.resolve("data");
    String ops = "server-ops-token-5a7e91c3d2";
    String yaml = CONFIG.replace("  public-url:", "  tokens:\n    ops: " + ops + "\n  public-url:");
    server = start(yaml, data, TOKEN);
    assertThat(admin("POST", "/admin/endpoints", "{\"kind\":\"gitlab\"}").statusCode()).isEqualTo(201);

    HttpResponse<String> patched = send(server.port(), "PATCH", "/admin/endpoints/hook_001", ops,
        "{\"enabled\":false,\"template\":\"{{message}}\"}");
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    assertThat(JSON.readTree(patched.body()).path("enabled").asBoolean()).isFalse();
    server.close();
    server = start(yaml, data, TOKEN);

    JsonNode log = JSON.readTree(send(server.port(), "GET", "/admin/audit", ops, null).body()).path("audit");
    assertThat(log).extracting(e -> e.path("action").asText() + " by " + e.path("actor").asText())
        .containsExactly("create by token:admin", "update by token:ops");
    assertThat(log.path(1).path("changes").path("enabled").toString()).isEqualTo("{\"from\":true,\"to\":false}");
    assertThat(admin("GET", "/admin/endpoints/hook_001", null).body()).contains("\"enabled\":false");
  }

  @Test
  void adminNotifyListsTargetsByHostOnlyAndTheNotifyRoutesAndRefusesAWrongToken() throws Exception {
    String yaml = """
        endpoints:
          - id: static
            provider: generic
            verifier:
              scheme: none
        routes:
          - name: logged
            match: {endpoint: static}
            handlers: [print]
          - name: pushes
            match: {endpoint: static, type: [push]}
            handlers: [print, chat]
        handlers:
          print:
            type: log
          chat:
            type: notify
            filter: {branch: [main]}
            rate-limit: 20/1m
        notify:
          discord:
            url: ${TEST_DISCORD_WEBHOOK_URL}
            allow-plain-http: true
        admin:
          token: ${TEST_ADMIN_TOKEN}
          tokens:
            ops: ops-token-0123456789abcdef
        """;
    server = start(yaml, dir.resolve("data"), TOKEN);

    HttpResponse<String> answer = send(server.port(), "GET", "/admin/notify", "ops-token-0123456789abcdef", null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode n = JSON.readTree(answer.body());
    assertThat(n.path("targets").toString())
        .isEqualTo("[{\"name\":\"discord\",\"type\":\"discord\",\"url\":\"http://127.0.0.1:" + discord.getAddress().getPort() + "\"}]");
    assertThat(n.path("routes")).extracting(r -> r.path("name").asText()).containsExactly("pushes");
    JsonNode chat = n.path("routes").path(0).path("handlers").path(0);
    assertThat(chat.path("name").asText()).isEqualTo("chat");
    assertThat(chat.path("targets").toString()).isEqualTo("[\"discord\"]");
    assertThat(chat.path("filter").path("branch").toString()).isEqualTo("[\"main\"]");
    assertThat(chat.path("rate_limit").asText()).isEqualTo("20/1m");
    assertThat(answer.body()).doesNotContain("loopback-token").doesNotContain("/api/webhooks");

    assertThat(send(server.port(), "GET", "/admin/notify", "wrong-token-0123456789abcdef", null).statusCode()).isEqualTo(401);
    assertThat(send(server.port(), "GET", "/admin/notify", null, null).statusCode()).isEqualTo(401);
    assertThat(send(server.port(), "POST", "/admin/notify", TOKEN, "{}").statusCode()).isEqualTo(405);
    assertThat(send(server.port(), "GET", "/admin/notify/targets", TOKEN, null).statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> send(int port, String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HooksServer start(String yaml, Path data, String token) throws Exception {
    Path config = dir.resolve("hooks-" + System.nanoTime() + ".yaml");
    Files.writeString(config, yaml);
    Map<String, String> env = Map.of(
        "TEST_ADMIN_TOKEN", token,
        "TEST_DISCORD_WEBHOOK_URL", "http://127.0.0.1:" + discord.getAddress().getPort() + DISCORD_PATH);
    return HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, data), env,
        new java.io.PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of());
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Authorization", "Bearer " + TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
