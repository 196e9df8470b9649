package dev.hooks.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code admin} profile as a user runs it: an endpoint created through the admin API over
 * HTTP, a push signed with the secret it showed once accepted at its URL and sent to a loopback
 * Discord, the secret nowhere in a listing or in the data directory's files, and the endpoint
 * gone after its deletion.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("admin")
class AdminProfileTest {
  private static final String TOKEN = "admin-token-for-the-sample-0123";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LoopbackDiscord DISCORD = LoopbackDiscord.start();

  @TempDir
  static Path data;

  @LocalServerPort
  int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("GITHUB_WEBHOOK_SECRET", () -> "It's a Secret to Everybody");
    registry.add("DISCORD_WEBHOOK_URL", DISCORD::url);
    registry.add("HOOKS_ADMIN_TOKEN", () -> TOKEN);
    registry.add("HOOKS_ENCRYPTION_KEY", () -> "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    registry.add("hooks.journal.data-dir", () -> data.toString());
  }

  @AfterAll
  static void stopDiscord() {
    DISCORD.close();
  }

  @Test
  void anEndpointCreatedAtRunTimeTakesSignedPushesUntilDeleted() throws Exception {
    HttpResponse<String> created = send("POST", "/admin/endpoints", TOKEN, "{\"kind\":\"github\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode endpoint = JSON.readTree(created.body());
    String id = endpoint.path("id").asText();
    String secret = endpoint.path("secret").asText();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);

    // octokit/webhooks payload-examples/api.github.com/push/with-new-branch.payload.json
    byte[] push = resource("github-push.json");
    assertThat(push(id, push, "sha256=" + hmac(secret, push)).statusCode()).isEqualTo(202);
    assertThat(push(id, push, "sha256=" + hmac("It's a Secret to Everybody", push)).statusCode()).isEqualTo(401);
    await().atMost(Duration.ofSeconds(15)).until(() -> String.join("\n", DISCORD.messages()).contains("Codertocat/Hello-World"));

    HttpResponse<String> listed = send("GET", "/admin/endpoints", TOKEN, null);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains(id).doesNotContain(secret);
    assertThat(send("GET", "/admin/endpoints", null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/admin/endpoints", "wrong-token-0123456789abcdef", null).statusCode()).isEqualTo(401);
    try (Stream<Path> files = Files.walk(data)) {
      assertThat(files.filter(Files::isRegularFile).filter(f -> contains(f, secret)).toList()).as("files holding the secret").isEmpty();
    }

    assertThat(send("DELETE", "/admin/endpoints/" + id, TOKEN, null).statusCode()).isEqualTo(204);
    assertThat(push(id, push, "sha256=" + hmac(secret, push)).statusCode()).isEqualTo(404);
  }

  @Test
  void theConsoleLogsInWithTheAdminTokenAndCallsTheAdminApiWithItsSession() throws Exception {
    HttpResponse<String> page = send("GET", "/console/", null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
    assertThat(send("GET", "/console/api/admin/endpoints", null, null).statusCode()).isEqualTo(401);

    HttpResponse<String> login = send("POST", "/console/login", null, "{\"token\":\"" + TOKEN + "\"}");
    assertThat(login.statusCode()).isEqualTo(200);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
    String session = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<String> endpoints = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/console/api/admin/endpoints"))
        .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(endpoints.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(endpoints.body()).has("endpoints")).isTrue();
    HttpResponse<String> noCsrf = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/console/api/admin/endpoints"))
        .header("Cookie", session).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"github\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(send("POST", "/console/login", null, "{\"token\":\"wrong-token-0123456789abcdef\"}").statusCode()).isEqualTo(401);
  }

  private HttpResponse<String> push(String endpoint, byte[] body, String signature) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/" + endpoint))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", java.util.UUID.randomUUID().toString()).header("X-Hub-Signature-256", signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean contains(Path file, String secret) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(secret);
    } catch (IOException e) {
      return false;
    }
  }

  private static String hmac(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = AdminProfileTest.class.getResourceAsStream("/" + name)) {
      return in.readAllBytes();
    }
  }

}
