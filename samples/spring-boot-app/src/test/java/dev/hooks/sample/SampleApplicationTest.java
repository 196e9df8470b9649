package dev.hooks.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.Hooks;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample as a user runs it, with its own application.yml: real signed GitHub deliveries to
 * the real servlet container, a loopback server that answers as a Discord webhook does (204),
 * the real embedded journal in a temporary directory, and Actuator's own endpoints.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {
  private static final String SECRET = "It's a Secret to Everybody";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LoopbackDiscord DISCORD = LoopbackDiscord.start();

  @TempDir
  static Path data;

  @LocalServerPort
  int port;

  @Autowired
  Hooks hooks;

  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("GITHUB_WEBHOOK_SECRET", () -> SECRET);
    registry.add("DISCORD_WEBHOOK_URL", DISCORD::url);
    registry.add("hooks.journal.data-dir", () -> data.toString());
  }

  @AfterAll
  static void stopDiscord() {
    DISCORD.close();
  }

  @Test
  void aSignedPushIsJournaledAnsweredAcceptedAndSentToDiscord() throws Exception {
    // octokit/webhooks payload-examples/api.github.com/push/with-new-branch.payload.json
    byte[] body = resource("github-push.json");
    HttpResponse<String> r = post(body, "push", "sha256=" + hmac(body));

    assertThat(r.statusCode()).isEqualTo(202);
    String requestId = JSON.readTree(r.body()).path("request_id").asText();
    assertThat(requestId).isNotBlank();
    assertThat(total()).isGreaterThanOrEqualTo(1);
    await().atMost(Duration.ofSeconds(15)).until(() -> !DISCORD.messages().isEmpty());
    assertThat(String.join("\n", DISCORD.messages())).contains("Codertocat/Hello-World").contains("master");
    assertThat(data.resolve("hooks.mv.db")).exists();
  }

  @Test
  void aDeliveryWithAWrongSignatureIsRefusedAndNotJournaled() throws Exception {
    byte[] body = resource("github-push.json");
    long before = total();
    HttpResponse<String> r = post(body, "push", "sha256=" + "0".repeat(64));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unauthorized");
    assertThat(total()).isEqualTo(before);
  }

  @Test
  void actuatorShowsTheHooksHealthComponentAndTheHooksMeters() throws Exception {
    JsonNode health = JSON.readTree(get("/actuator/health").body());
    assertThat(health.path("components").path("hooks").path("status").asText()).isEqualTo("UP");

    String prometheus = get("/actuator/prometheus").body();
    assertThat(prometheus).contains("hooks_received_total").contains("hooks_accepted_total")
        .contains("hooks_rejected_total{reason=\"unauthorized\"").contains("hooks_pending");

    JsonNode status = JSON.readTree(get("/actuator/hooks").body());
    assertThat(status.has("received")).isTrue();
  }

  private HttpResponse<String> post(byte[] body, String event, String signature) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/github"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", UUID.randomUUID().toString()).header("X-Hub-Signature-256", signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private long total() {
    var c = hooks.journal().counts();
    return c.pending() + c.done() + c.dead();
  }

  private static String hmac(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = SampleApplicationTest.class.getResourceAsStream("/" + name)) {
      return in.readAllBytes();
    }
  }

}
