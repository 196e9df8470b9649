package dev.hooks.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.alerts.ConnectWiseServer;
import dev.hooks.alerts.Payloads;
import dev.hooks.server.HooksServer;
import dev.hooks.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the server in-process with {@code docs/examples/alerts-connectwise.yaml} exactly as
 * written, with only the environment variables the issue lists, against the loopback ConnectWise
 * server of hooks-alerts' tests, and posts the published payloads of Uptime Kuma, Zabbix and
 * Alertmanager as those monitors post them.
 */
class AlertsExampleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CONFIG = Path.of("../../docs/examples/alerts-connectwise.yaml");
  private static final SecureRandom RANDOM = new SecureRandom();

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
    env.put("CW_URL", cw.url());
    env.put("CW_COMPANY", "acme");
    env.put("CW_PUBLIC_KEY", "pub");
    env.put("CW_PRIVATE_KEY", "priv");
    env.put("CW_CLIENT_ID", "client-1");
    env.put("CW_SERVICE_BOARD", "Alerts");
    env.put("CW_STATUS_NEW", "New");
    env.put("CW_STATUS_CLOSED", "Closed");
    env.put("CW_TICKET_PREFIX", "Alert:");
    env.put("HOOKS_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(RANDOM.generateSeed(32)));
    env.put("HOOKS_ADMIN_TOKEN", urlSafe(32));
    for (String p : List.of("UPTIME_KUMA", "ZABBIX", "ALERTMANAGER")) {
      // 48 random bytes are HookWise's 64 URL-safe characters
      env.put(p + "_ENDPOINT_ID", urlSafe(48));
      env.put(p + "_TOKEN", urlSafe(32));
    }
    // URL-safe ids may start with '-' or '_' (secrets.token_urlsafe, as HookWise generates them)
    env.put("UPTIME_KUMA_ENDPOINT_ID", "-" + urlSafe(47));
    env.put("ZABBIX_ENDPOINT_ID", "_" + urlSafe(47));
    server = startServer();
  }

  private HooksServer startServer() {
    return HooksServer.start(new ServerOptions(CONFIG, "127.0.0.1", 0, dir.resolve("data")), env, System.out, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    cw.close();
  }

  private HttpResponse<String> post(String prefix, String body) throws Exception {
    return post(env.get(prefix + "_ENDPOINT_ID"), env.get(prefix + "_TOKEN"), body);
  }

  private HttpResponse<String> post(String id, String token, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/webhook/" + id))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Authorization", "Bearer " + env.get("HOOKS_ADMIN_TOKEN"))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void accepted(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(JSON.readTree(r.body()).path("request_id").asText()).isNotBlank();
  }

  @Test
  void uptimeKumaDownOpensRepeatNotesUpClosesWithTheClosedStatus() throws Exception {
    accepted(post("UPTIME_KUMA", Payloads.text("uptime-kuma/down-timeout.json")));
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 1);
    ConnectWiseServer.Ticket t = cw.tickets().get(0);
    assertThat(t.summary).isEqualTo("Alert: test");
    assertThat(t.board).isEqualTo("Alerts");
    assertThat(t.status).isEqualTo("New");
    assertThat(t.initialDescription).isEqualTo("timeout of 16000ms exceeded");

    accepted(post("UPTIME_KUMA", Payloads.text("uptime-kuma/down-enotfound.json")));
    await().atMost(Duration.ofSeconds(10)).until(() -> t.notes.size() == 1);
    assertThat(t.notes.get(0)).contains("getaddrinfo ENOTFOUND exampleasdsda.com");

    accepted(post("UPTIME_KUMA", Payloads.text("uptime-kuma/up.json")));
    await().atMost(Duration.ofSeconds(10)).until(() -> "Closed".equals(t.status));
    assertThat(cw.tickets()).hasSize(1);
    assertThat(cw.received()).extracting(ConnectWiseServer.Received::clientId).containsOnly("client-1");

    JsonNode stats = JSON.readTree(admin("GET", "/api/stats", null).body()).path("days");
    JsonNode today = stats.elements().next();
    assertThat(today.path("received").asLong()).isEqualTo(3);
    assertThat(today.path("created").asLong()).isEqualTo(1);
    assertThat(today.path("updated").asLong()).isEqualTo(1);
    assertThat(today.path("closed").asLong()).isEqualTo(1);
  }

  @Test
  void anIdenticalRepeatIsANoteNotADuplicate() throws Exception {
    accepted(post("UPTIME_KUMA", Payloads.text("uptime-kuma/down-timeout.json")));
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 1);
    accepted(post("UPTIME_KUMA", Payloads.text("uptime-kuma/down-timeout.json")));
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().get(0).notes.size() == 1);
    assertThat(cw.tickets()).hasSize(1);
  }

  @Test
  void zabbixProblemOpensAndOkCloses() throws Exception {
    accepted(post("ZABBIX", Payloads.zabbixNested("zabbix/zulip-zabbix_alert.json").toString()));
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 1);
    ConnectWiseServer.Ticket t = cw.tickets().get(0);
    assertThat(t.summary).isEqualTo("Alert: Zabbix agent on www.example.com is unreachable for 5 minutes");
    assertThat(t.initialDescription).isEqualTo("Trigger: Zabbix agent on www.example.com is unreachable for 5 minutes\nHost: www.example.com");

    // the recovery names the same event (Zabbix's {EVENT.NAME} is the problem's name)
    var ok = Payloads.zabbixNested("zabbix/zulip-zabbix_ok.json");
    ((com.fasterxml.jackson.databind.node.ObjectNode) ok.get("event")).put("name", "Zabbix agent on www.example.com is unreachable for 5 minutes");
    accepted(post("ZABBIX", ok.toString()));
    await().atMost(Duration.ofSeconds(10)).until(() -> "Closed".equals(t.status));
  }

  @Test
  void alertmanagerGroupIsFiledAlertByAlert() throws Exception {
    accepted(post("ALERTMANAGER", Payloads.text("alertmanager/zulip-alert.json")));
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 2);
    assertThat(cw.tickets()).extracting(t -> t.initialDescription)
        .containsExactlyInAnyOrder("CPU core temperature is 34.75C", "CPU core temperature is 17.625C");

    accepted(post("ALERTMANAGER", Payloads.text("alertmanager/zulip-single_alert.json")));
    ConnectWiseServer.Ticket first = cw.tickets().stream().filter(t -> t.initialDescription.contains("34.75")).findFirst().orElseThrow();
    ConnectWiseServer.Ticket second = cw.tickets().stream().filter(t -> t.initialDescription.contains("17.625")).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> "Closed".equals(first.status));
    assertThat(second.status).isEqualTo("New");
  }

  @Test
  void badTokenUnknownIdAndBadBodyAre4xx() throws Exception {
    assertThat(post(env.get("UPTIME_KUMA_ENDPOINT_ID"), "wrong-token-wrong-token", Payloads.text("uptime-kuma/up.json")).statusCode())
        .isEqualTo(401);
    // another endpoint's token does not open this one
    assertThat(post(env.get("UPTIME_KUMA_ENDPOINT_ID"), env.get("ZABBIX_TOKEN"), Payloads.text("uptime-kuma/up.json")).statusCode())
        .isEqualTo(401);
    assertThat(post(urlSafe(48), env.get("UPTIME_KUMA_TOKEN"), Payloads.text("uptime-kuma/up.json")).statusCode()).isEqualTo(404);
    assertThat(post("UPTIME_KUMA", "{not json").statusCode()).isEqualTo(400);
    assertThat(post("UPTIME_KUMA", "\"a string\"").statusCode()).isEqualTo(400);
    assertThat(admin("GET", "/api/stats", null).statusCode()).isEqualTo(200);
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/stats")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    assertThat(cw.tickets()).isEmpty();
  }

  @Test
  void globalMaintenanceSkipsAndTheHistorySaysSo() throws Exception {
    HttpResponse<String> on = admin("POST", "/admin/maintenance", "{\"enabled\": true}");
    assertThat(on.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(on.body()).path("maintenance").asBoolean()).isTrue();
    accepted(post("UPTIME_KUMA", Payloads.text("uptime-kuma/down-timeout.json")));
    await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(admin("GET", "/history", null).body()).path("entries").size() == 1);
    JsonNode entry = JSON.readTree(admin("GET", "/history", null).body()).path("entries").get(0);
    assertThat(entry.path("outcome").asText()).isEqualTo("skipped");
    assertThat(entry.path("reason").asText()).isEqualTo("suppressed by global maintenance");
    assertThat(cw.tickets()).isEmpty();

    // no body toggles, as HookWise's button
    assertThat(JSON.readTree(admin("POST", "/admin/maintenance", null).body()).path("maintenance").asBoolean()).isFalse();
    HttpResponse<String> replay = admin("POST", "/history/replay/" + entry.path("request_id").asText(), null);
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(replay.body()).path("entries").get(0).path("outcome").asText()).isEqualTo("created");
    assertThat(cw.tickets()).hasSize(1);
  }

  @Test
  void anIncidentOpenedBeforeARestartIsClosedAfterIt() throws Exception {
    accepted(post("UPTIME_KUMA", Payloads.text("uptime-kuma/down-timeout.json")));
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 1);
    server.close();
    server = startServer();
    accepted(post("UPTIME_KUMA", Payloads.text("uptime-kuma/up.json")));
    await().atMost(Duration.ofSeconds(10)).until(() -> "Closed".equals(cw.tickets().get(0).status));
    assertThat(cw.tickets()).hasSize(1);
    // history is kept in the data directory too
    JsonNode entries = JSON.readTree(admin("GET", "/history", null).body()).path("entries");
    assertThat(entries).extracting(e -> e.path("outcome").asText()).containsExactly("closed", "created");
  }

  @Test
  void aWrongEncryptionKeyStopsTheStart() {
    server.close();
    server = null;
    env.put("HOOKS_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(RANDOM.generateSeed(32)));
    assertThatThrownBy(this::startServer).hasMessageContaining("alerts.encryption-key does not open the stored endpoint tokens");
    env.put("HOOKS_ENCRYPTION_KEY", "c2hvcnQ=");
    assertThatThrownBy(this::startServer).hasMessageContaining("not 32");
  }
}
