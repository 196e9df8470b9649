package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.alerts.ConnectWiseServer;
import dev.hooks.alerts.Payloads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one registry of run-time endpoints behind a running hooks-server, over real HTTP: an alert
 * endpoint created through the admin API files a ticket at the loopback ConnectWise with the token
 * its creation answered, and still does after a restart; a deploy service's webhook URL answers the
 * same secret on every call (and after a restart), and a GitHub push signed with it verifies; none
 * of these secrets is readable in the files of the data directory.
 */
class EndpointRegistryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CONFIG = """
      endpoints:
        - id: deploy-github
          provider: github
          verifier:
            secrets: ["${GITHUB_WEBHOOK_SECRET}"]
      notify:
        targets:
          discord:
            url: http://127.0.0.1:9/api/webhooks/1/unused
            allow-plain-http: true
      admin:
        token: ${HOOKS_ADMIN_TOKEN}
      deploy:
        services:
          web:
            repository: ${DEPLOY_REPO}
            branch: main
            endpoints: [deploy-github]
            network: registry-it-unused
            alias: registry-it-web
            port: 8000
      alerts:
        encryption-key: ${HOOKS_ENCRYPTION_KEY}
        admin-token: ${HOOKS_ADMIN_TOKEN}
        boards-cache: 10m
        sinks:
          connectwise:
            url: ${CW_URL}
            company: acme
            public-key: pub
            private-key: ${CW_PRIVATE_KEY}
            client-id: client-1
            board: Alerts
            status-new: New
            status-closed: Closed
        endpoints:
          - id: ${DECLARED_ID}
            name: declared
            token: ${DECLARED_TOKEN}
            trigger: {path: $.heartbeat.status, open: ["0"], close: ["1"]}
            mapping: {summary: $.monitor.name, description: $.heartbeat.msg}
      """;

  @TempDir
  Path dir;
  private ConnectWiseServer cw;
  private HooksServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> env = new HashMap<>();

  private static String urlSafe(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @BeforeEach
  void start() throws Exception {
    cw = ConnectWiseServer.standard();
    Files.writeString(dir.resolve("server.yaml"), CONFIG);
    env.put("CW_URL", cw.url());
    env.put("CW_PRIVATE_KEY", "priv");
    env.put("HOOKS_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(RANDOM.generateSeed(32)));
    env.put("HOOKS_ADMIN_TOKEN", urlSafe(32));
    env.put("GITHUB_WEBHOOK_SECRET", urlSafe(24));
    env.put("DEPLOY_REPO", dir.resolve("no-repo").toUri().toString());
    env.put("DECLARED_ID", urlSafe(48));
    env.put("DECLARED_TOKEN", urlSafe(32));
    server = startServer();
  }

  private HooksServer startServer() {
    return HooksServer.start(new ServerOptions(dir.resolve("server.yaml"), "127.0.0.1", 0, dir.resolve("data")), env, System.out, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    cw.close();
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private HttpResponse<String> webhook(String id, String token, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + "/webhook/" + id))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path))
        .header("Authorization", "Bearer " + env.get("HOOKS_ADMIN_TOKEN")).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> push(String url, String secret, String delivery) throws Exception {
    return http.send(GitHubDeliveries.push(URI.create(url), secret, delivery, GitHubDeliveries.pushPayload()),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAlertEndpointCreatedAtRunTimeFilesTicketsBeforeAndAfterARestartAndItsTokenIsNotInTheFiles() throws Exception {
    HttpResponse<String> created = admin("POST", "/admin/alerts/endpoints", """
        {"name": "kuma", "ticket_prefix": "Alert:", "trigger": {"path": "$.heartbeat.status", "open": ["0"], "close": ["1"]},
         "mapping": {"summary": "$.monitor.name", "description": "$.heartbeat.msg"}}""");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode made = JSON.readTree(created.body());
    String id = made.path("id").asText();
    String token = made.path("token").asText();
    assertThat(id).matches("[A-Za-z0-9_-]{64}");
    assertThat(made.path("url").asText()).isEqualTo("/webhook/" + id);
    assertThat(token).hasSizeGreaterThanOrEqualTo(32);

    assertThat(webhook(id, "wrong-" + token, Payloads.text("uptime-kuma/down-timeout.json")).statusCode()).isEqualTo(401);
    HttpResponse<String> down = webhook(id, token, Payloads.text("uptime-kuma/down-timeout.json"));
    assertThat(down.statusCode()).as(down.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 1);
    ConnectWiseServer.Ticket ticket = cw.tickets().get(0);
    assertThat(ticket.summary).isEqualTo("Alert: test");
    assertThat(ticket.status).isEqualTo("New");

    // listed without secrets
    HttpResponse<String> list = admin("GET", "/admin/alerts/endpoints", null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(list.body()).path("endpoints").findValuesAsText("id")).containsExactly(id);
    assertThat(list.body()).doesNotContain(token);

    server.close();
    server = null;
    assertThat(filesContain(dir.resolve("data"), token)).as("the token in a file of the data directory").isFalse();
    assertThat(filesContain(dir.resolve("data"), env.get("DECLARED_TOKEN"))).as("the declared token in a file").isFalse();

    server = startServer();
    HttpResponse<String> up = webhook(id, token, Payloads.text("uptime-kuma/up.json"));
    assertThat(up.statusCode()).as(up.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> "Closed".equals(cw.tickets().get(0).status));
    assertThat(cw.tickets()).hasSize(1);
    // the endpoint declared in YAML keeps its URL
    assertThat(webhook(env.get("DECLARED_ID"), env.get("DECLARED_TOKEN"), Payloads.text("uptime-kuma/up.json")).statusCode())
        .isEqualTo(202);

    // disabled, then deleted: the URL answers 404
    HttpResponse<String> disabled = admin("PATCH", "/admin/alerts/endpoints/" + id, "{\"enabled\": false}");
    assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
    assertThat(JSON.readTree(disabled.body()).path("enabled").asBoolean()).isFalse();
    assertThat(webhook(id, token, Payloads.text("uptime-kuma/up.json")).statusCode()).isEqualTo(404);
    assertThat(admin("PATCH", "/admin/alerts/endpoints/" + id, "{\"enabled\": true}").statusCode()).isEqualTo(200);
    assertThat(webhook(id, token, Payloads.text("uptime-kuma/up.json")).statusCode()).isEqualTo(202);
    assertThat(admin("DELETE", "/admin/alerts/endpoints/" + id, null).statusCode()).isEqualTo(204);
    assertThat(webhook(id, token, Payloads.text("uptime-kuma/up.json")).statusCode()).isEqualTo(404);
    assertThat(admin("GET", "/admin/alerts/endpoints/" + id, null).statusCode()).isEqualTo(404);

    // every change in the one audit log, without a secret
    HttpResponse<String> audit = admin("GET", "/admin/alerts/audit", null);
    assertThat(JSON.readTree(audit.body()).path("entries").findValuesAsText("action")).contains("create", "disable", "enable", "delete");
    assertThat(audit.body()).doesNotContain(token);
  }

  @Test
  void anAlertEndpointCreatedWithHmacNeedsTheSignatureOfItsShownSecretBesidesTheToken() throws Exception {
    HttpResponse<String> created = admin("POST", "/admin/alerts/endpoints", """
        {"name": "signed", "hmac": true, "trigger": {"path": "$.heartbeat.status", "open": ["0"], "close": ["1"]},
         "mapping": {"summary": "$.monitor.name"}}""");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode made = JSON.readTree(created.body());
    String id = made.path("id").asText();
    String token = made.path("token").asText();
    String secret = made.path("hmac_secret").asText();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
    String body = Payloads.text("uptime-kuma/down-timeout.json");

    assertThat(webhook(id, token, body).statusCode()).as("no signature").isEqualTo(401);
    assertThat(signedWebhook(id, token, body, hmacHex("not-" + secret, body)).statusCode()).as("another secret's signature").isEqualTo(401);
    HttpResponse<String> signed = signedWebhook(id, token, body, hmacHex(secret, body));
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 1);
    assertThat(admin("GET", "/admin/alerts/endpoints/" + id, null).body()).doesNotContain(secret).doesNotContain(token);
  }

  private HttpResponse<String> signedWebhook(String id, String token, String body, String signature) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + "/webhook/" + id))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .header("X-HookWise-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String hmacHex(String secret, String body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void badAdminRequestsAreAnswered4xx() throws Exception {
    assertThat(admin("POST", "/admin/alerts/endpoints", "{\"nope\": 1}").statusCode()).isEqualTo(400);
    assertThat(admin("POST", "/admin/alerts/endpoints", "not json").statusCode()).isEqualTo(400);
    assertThat(admin("POST", "/admin/alerts/endpoints", "{\"sink\": \"pagerduty\"}").statusCode()).isEqualTo(400);
    assertThat(admin("POST", "/admin/alerts/endpoints", "{\"trigger\": {\"path\": \"$[\"}}").statusCode()).isEqualTo(400);
    assertThat(admin("POST", "/admin/alerts/endpoints", "{\"a\": \"" + "x".repeat(20_000) + "\"}").statusCode()).isEqualTo(413);
    assertThat(admin("PATCH", "/admin/alerts/endpoints/unknown", "{\"enabled\": false}").statusCode()).isEqualTo(404);
    HttpResponse<String> unauthorized = http.send(HttpRequest.newBuilder(URI.create(base() + "/admin/alerts/endpoints"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unauthorized.statusCode()).isEqualTo(401);
  }

  @Test
  void theDeployWebhookUrlAnswersTheSameSecretWhichVerifiesPushesAndSurvivesARestart() throws Exception {
    String path = "/admin/deploy/services/web/webhook-url?provider=github";
    JsonNode first = JSON.readTree(admin("GET", path, null).body());
    JsonNode second = JSON.readTree(admin("GET", path, null).body());
    String secret = first.path("secret").asText();
    assertThat(secret).hasSize(64);
    assertThat(second.path("secret").asText()).isEqualTo(secret);
    String url = first.path("webhookUrl").asText();
    assertThat(url).isEqualTo(base() + "/hooks/deploy-web-github");

    assertThat(push(url, secret, "registry-1").statusCode()).isEqualTo(202);
    assertThat(push(url, "wrong-secret", "registry-2").statusCode()).isEqualTo(401);

    server.close();
    server = null;
    assertThat(filesContain(dir.resolve("data"), secret)).as("the deploy secret in a file of the data directory").isFalse();
    server = startServer();

    // registered again at start, before anyone asks for the URL
    assertThat(push(base() + "/hooks/deploy-web-github", secret, "registry-3").statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(admin("GET", path, null).body()).path("secret").asText()).isEqualTo(secret);

    // only an explicit rotation replaces it
    HttpResponse<String> rotated = admin("POST", "/admin/deploy/services/web/webhook-url/rotate?provider=github", null);
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    String fresh = JSON.readTree(rotated.body()).path("secret").asText();
    assertThat(fresh).hasSize(64).isNotEqualTo(secret);
    assertThat(push(base() + "/hooks/deploy-web-github", secret, "registry-4").statusCode()).isEqualTo(401);
    assertThat(push(base() + "/hooks/deploy-web-github", fresh, "registry-5").statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(admin("GET", path, null).body()).path("secret").asText()).isEqualTo(fresh);
    assertThat(admin("GET", "/admin/deploy/services/web/webhook-url/rotate?provider=github", null).statusCode()).isEqualTo(405);
  }

  @Test
  void connectWiseBoardsAreServedFromTheCacheWithinItsTime() throws Exception {
    HttpResponse<String> first = admin("GET", "/api/cw/boards", null);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(JSON.readTree(first.body()).findValuesAsText("name")).contains("Alerts", "Database Team");
    HttpResponse<String> second = admin("GET", "/api/cw/boards", null);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(cw.boardRequests()).isEqualTo(1);
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/cw/boards")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void aConnectWiseErrorIsA502WithItsReason() throws Exception {
    server.close();
    env.put("CW_PRIVATE_KEY", "wrong");
    server = startServer();

    HttpResponse<String> r = admin("GET", "/api/cw/boards", null);

    assertThat(r.statusCode()).isEqualTo(502);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("error").asText()).isEqualTo("connectwise_error");
    assertThat(body.path("message").asText()).contains("answered 401").contains("Authentication failed");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.hooks");
  }

  private static boolean filesContain(Path root, String text) throws Exception {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] hay = Files.readAllBytes(f);
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
          for (int k = 0; k < needle.length; k++) {
            if (hay[i + k] != needle[k]) {
              continue outer;
            }
          }
          return true;
        }
      }
    }
    return false;
  }
}
