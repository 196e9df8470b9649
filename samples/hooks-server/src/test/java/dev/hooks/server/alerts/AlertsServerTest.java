package dev.hooks.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hooks.alerts.ConnectWiseServer;
import dev.hooks.alerts.Payloads;
import dev.hooks.server.ConfigException;
import dev.hooks.server.HooksServer;
import dev.hooks.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code alerts:} section's keys beyond the example: the HMAC header, rules, windows, start errors. */
class AlertsServerTest {
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String TOKEN = "kuma-token-0123456789";
  private static final String HMAC = "kuma-hmac-secret";

  @TempDir
  Path dir;
  private ConnectWiseServer cw;
  private HooksServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    cw = ConnectWiseServer.standard();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    cw.close();
  }

  private HooksServer start(String endpointExtra, String alertsExtra) throws Exception {
    Path config = dir.resolve("hooks.yaml");
    Files.writeString(config, """
        alerts:
          encryption-key: ${KEY}
          admin-token: admin-token-0123456789
        %s
          sinks:
            connectwise:
              url: ${CW_URL}
              company: acme
              public-key: pub
              private-key: priv
              client-id: client-1
              board: Alerts
              status-new: New
              status-closed: Closed
          endpoints:
            - id: kuma
              token: %s
              trigger: {path: $.heartbeat.status, open: ["0"], close: ["1"]}
              mapping: {summary: $.monitor.name, description: $.heartbeat.msg}
        %s
        """.formatted(alertsExtra, TOKEN, endpointExtra));
    return HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data")), Map.of("KEY", KEY, "CW_URL", cw.url()),
        System.out, Map.of());
  }

  private HttpResponse<String> post(String body, String signature) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/webhook/kuma"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN);
    if (signature != null) {
      b.header("X-HookWise-Signature", signature);
    }
    return http.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String hmac(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HMAC.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anHmacSecretAlsoRequiresTheSignatureHeader() throws Exception {
    server = start("      hmac-secret: " + HMAC, "");
    String body = Payloads.text("uptime-kuma/down-timeout.json");
    assertThat(post(body, null).statusCode()).isEqualTo(401);
    assertThat(post(body, hmac(body + " ")).statusCode()).isEqualTo(401);
    assertThat(post(body, hmac(body)).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 1);
  }

  @Test
  void rulesRouteToTheirBoardAndWindowsSuppress() throws Exception {
    server = start("""
              rules:
                - {name: http, path: $.monitor.type, regex: "http", overrides: {board: Frontend Team, customer_id: CLIENT_A}}
        """, """
          maintenance:
            windows:
              - {name: never-today, kind: once, date: 2001-01-01, start: "00:00", end: "23:59"}
        """);
    assertThat(post(Payloads.text("uptime-kuma/down-timeout.json"), null).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 1);
    assertThat(cw.tickets().get(0).board).isEqualTo("Frontend Team");
    assertThat(cw.tickets().get(0).company).isEqualTo("CLIENT_A");
  }

  @Test
  void adminIncidentsListsTheIncidentWithItsTicketByStatusBehindTheAdminToken() throws Exception {
    server = start("", "");
    assertThat(post(Payloads.text("uptime-kuma/down-timeout.json"), null).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 1);
    String ticket = String.valueOf(cw.tickets().get(0).id);

    com.fasterxml.jackson.databind.JsonNode open = incidents("?status=open", "admin-token-0123456789");
    assertThat(open.path("incidents")).hasSize(1);
    assertThat(open.path("incidents").path(0).path("ticket").asText()).isEqualTo(ticket);
    assertThat(open.path("incidents").path(0).path("sink").asText()).isEqualTo("connectwise");
    assertThat(open.path("incidents").path(0).path("status").asText()).isEqualTo("open");
    assertThat(open.path("incidents").path(0).path("closed_at").isNull()).isTrue();
    assertThat(incidents("?status=closed", "admin-token-0123456789").path("incidents")).isEmpty();

    assertThat(post(Payloads.text("uptime-kuma/up.json"), null).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> incidents("?status=closed", "admin-token-0123456789").path("incidents").size() == 1);
    assertThat(incidents("?status=open", "admin-token-0123456789").path("incidents")).isEmpty();
    assertThat(incidents("", "admin-token-0123456789").path("incidents").path(0).path("ticket").asText()).isEqualTo(ticket);

    assertThat(send("/admin/incidents?status=pending", "admin-token-0123456789").statusCode()).isEqualTo(400);
    assertThat(send("/admin/incidents", "wrong-token-0123456789").statusCode()).isEqualTo(401);
  }

  private HttpResponse<String> send(String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private com.fasterxml.jackson.databind.JsonNode incidents(String query, String token) throws Exception {
    HttpResponse<String> r = send("/admin/incidents" + query, token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
  }

  @Test
  void anInvalidRuleStopsTheStartNamingIt() {
    assertThatThrownBy(() -> start("""
              rules:
                - {name: db, path: $.monitor.hostname, regex: ".*-DB-(.*", overrides: {board: Database Team}}
        """, "")).isInstanceOf(ConfigException.class).hasMessageContaining("routing rule 'db': regex '.*-DB-(.*' does not compile");
    assertThatThrownBy(() -> start("""
              rules:
                - {name: db, path: $.monitor.hostname, regex: ".*", overrides: {queue: Database Team}}
        """, "")).isInstanceOf(ConfigException.class).hasMessageContaining("routing rule 'db': unknown override 'queue'");
  }

  @Test
  void aBadWindowOrAMissingKeyStopsTheStart() {
    assertThatThrownBy(() -> start("", """
          maintenance:
            windows:
              - {name: nightly, kind: daily, zone: Mars/Olympus, start: "22:00", end: "04:00"}
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("alerts.maintenance.windows[0] (nightly)");
    assertThatThrownBy(() -> HooksServer.start(new ServerOptions(writeNoKey(), "127.0.0.1", 0, dir.resolve("data2")), Map.of(),
        System.out, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("alerts.encryption-key (HOOKS_ENCRYPTION_KEY) is not set");
  }

  private Path writeNoKey() throws Exception {
    Path p = dir.resolve("nokey.yaml");
    Files.writeString(p, """
        alerts:
          sinks: {hook: {type: webhook, url: "http://127.0.0.1:1/x", secret: s}}
          endpoints: [{id: kuma, token: kuma-token-0123456789}]
        """);
    return p;
  }
}
