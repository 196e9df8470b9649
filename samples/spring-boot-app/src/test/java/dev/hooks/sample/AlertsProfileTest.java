package dev.hooks.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hooks.alerts.ConnectWiseServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code alerts} profile as written: a real Alertmanager group posted over HTTP to
 * {@code /hooks/alertmanager} files one ticket per alert at a loopback server that answers as
 * ConnectWise Manage does, and the resolved delivery closes its ticket. The payloads are Alertmanager
 * webhook groups published in zulip/zulip {@code zerver/webhooks/alertmanager/fixtures/alert.json}
 * and {@code single_alert.json} (hooks-alerts' test copies).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("alerts")
class AlertsProfileTest {
  private static final String TOKEN = "am-token-0123456789abcdef";
  private static final ConnectWiseServer CW = connectWise();

  @TempDir
  static Path data;

  @LocalServerPort
  int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("hooks.journal.data-dir", () -> data.toString());
    registry.add("GITHUB_WEBHOOK_SECRET", () -> "It's a Secret to Everybody");
    registry.add("DISCORD_WEBHOOK_URL", () -> "http://127.0.0.1:9/api/webhooks/1/unused");
    registry.add("CW_URL", CW::url);
    registry.add("CW_COMPANY", () -> "acme");
    registry.add("CW_PUBLIC_KEY", () -> "pub");
    registry.add("CW_PRIVATE_KEY", () -> "priv");
    registry.add("CW_CLIENT_ID", () -> "client-1");
    registry.add("CW_SERVICE_BOARD", () -> "Alerts");
    registry.add("CW_STATUS_NEW", () -> "New");
    registry.add("CW_STATUS_CLOSED", () -> "Closed");
    registry.add("ALERTMANAGER_TOKEN", () -> TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    CW.close();
  }

  @Test
  void anAlertmanagerGroupOpensATicketPerAlertAndTheResolveClosesIt() throws Exception {
    assertThat(post("Bearer not-the-token-0123456789", "alertmanager/zulip-alert.json").statusCode()).isEqualTo(401);
    HttpResponse<String> firing = post("Bearer " + TOKEN, "alertmanager/zulip-alert.json");
    assertThat(firing.statusCode()).isEqualTo(202);
    assertThat(firing.body()).contains("request_id");
    await().atMost(Duration.ofSeconds(15)).until(() -> CW.tickets().size() == 2);
    assertThat(CW.tickets()).allSatisfy(t -> {
      assertThat(t.summary).isEqualTo("Alert: High CPU core temperature");
      assertThat(t.board).isEqualTo("Alerts");
      assertThat(t.status).isEqualTo("New");
    });

    assertThat(post("Bearer " + TOKEN, "alertmanager/zulip-single_alert.json").statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(15)).until(() -> CW.tickets().stream().anyMatch(t -> "Closed".equals(t.status)));
    assertThat(CW.tickets()).hasSize(2);
    assertThat(post("Bearer " + TOKEN, "not json").statusCode()).isBetween(400, 499);
  }

  private HttpResponse<String> post(String authorization, String payload) throws Exception {
    byte[] body = payload.endsWith(".json") ? resource(payload) : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/alertmanager"))
        .header("Authorization", authorization).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = AlertsProfileTest.class.getClassLoader().getResourceAsStream("payloads/" + name)) {
      return Objects.requireNonNull(in, name).readAllBytes();
    }
  }

  private static ConnectWiseServer connectWise() {
    try {
      return ConnectWiseServer.standard();
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
  }
}
