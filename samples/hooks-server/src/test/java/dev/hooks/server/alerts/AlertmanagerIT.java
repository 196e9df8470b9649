package dev.hooks.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.alerts.ConnectWiseServer;
import dev.hooks.server.HooksServer;
import dev.hooks.server.ServerOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}) with a webhook
 * receiver pointing at hooks-server started with {@code docs/examples/alerts-connectwise.yaml}:
 * an alert posted to Alertmanager's API v2 firing, then resolved by an {@code endsAt} in the
 * past, ends in one ConnectWise ticket opened then closed.
 */
class AlertmanagerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;
  private ConnectWiseServer cw;
  private HooksServer server;
  private Process alertmanager;
  private int amPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private static String urlSafe(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @BeforeEach
  void start() throws Exception {
    cw = ConnectWiseServer.standard();
    Map<String, String> env = new HashMap<>();
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
      env.put(p + "_ENDPOINT_ID", urlSafe(48));
      env.put(p + "_TOKEN", urlSafe(32));
    }
    server = HooksServer.start(new ServerOptions(Path.of("../../docs/examples/alerts-connectwise.yaml"), "127.0.0.1", 0,
        dir.resolve("data")), env, System.out, Map.of());

    amPort = freePort();
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, """
        route:
          receiver: hooks
          group_by: [alertname, instance]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: hooks
            webhook_configs:
              - url: http://127.0.0.1:%d/webhook/%s
                send_resolved: true
                http_config:
                  authorization:
                    credentials: %s
        """.formatted(server.port(), env.get("ALERTMANAGER_ENDPOINT_ID"), env.get("ALERTMANAGER_TOKEN")));
    Files.createDirectories(dir.resolve("am-data"));
    alertmanager = new ProcessBuilder(ALERTMANAGER.toString(), "--config.file=" + config, "--storage.path=" + dir.resolve("am-data"),
        "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> get("/-/ready").statusCode() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    if (alertmanager != null) {
      alertmanager.destroy();
      if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
        alertmanager.destroyForcibly();
      }
    }
    if (server != null) {
      server.close();
    }
    if (cw != null) {
      cw.close();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + amPort + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void postAlert(Instant startsAt, Instant endsAt) throws Exception {
    ArrayNode alerts = JSON.createArrayNode();
    ObjectNode a = alerts.addObject();
    a.putObject("labels").put("alertname", "DiskFull").put("instance", "db-1:9100").put("severity", "critical");
    a.putObject("annotations").put("summary", "Disk almost full on db-1").put("description", "/var is 97% full");
    a.put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString());
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + amPort + "/api/v2/alerts"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void firingThenResolvedOpensAndClosesOneTicket() throws Exception {
    Instant start = Instant.now().minusSeconds(5);
    postAlert(start, Instant.now().plus(Duration.ofHours(1)));
    await().atMost(Duration.ofSeconds(30)).until(() -> cw.tickets().size() == 1);
    ConnectWiseServer.Ticket t = cw.tickets().get(0);
    assertThat(t.summary).isEqualTo("Alert: Disk almost full on db-1");
    assertThat(t.initialDescription).isEqualTo("/var is 97% full");
    assertThat(t.status).isEqualTo("New");

    // resolved: Alertmanager's API takes an endsAt in the past
    postAlert(start, Instant.now().minusSeconds(1));
    await().atMost(Duration.ofSeconds(30)).until(() -> "Closed".equals(t.status));
    assertThat(cw.tickets()).hasSize(1);
    assertThat(cw.received()).extracting(ConnectWiseServer.Received::method).containsExactly("GET", "POST", "PATCH");
  }
}
