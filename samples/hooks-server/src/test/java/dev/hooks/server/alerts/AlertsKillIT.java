package dev.hooks.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.alerts.ConnectWiseServer;
import dev.hooks.alerts.Payloads;
import dev.hooks.server.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server of {@code docs/examples/alerts-connectwise.yaml} as a child JVM, SIGKILLed in the
 * middle of a burst of 1,000 Uptime Kuma alerts (250 monitors: down, two repeats, up), then
 * restarted on the same data directory: every monitor has exactly one ticket, and every monitor
 * whose up was answered 202 has its ticket closed.
 */
class AlertsKillIT {
  private static final int MONITORS = 250;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final List<ServerProcess> started = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private ConnectWiseServer cw;

  private static String urlSafe(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @AfterEach
  void stop() throws Exception {
    started.forEach(c -> c.process().destroyForcibly());
    if (cw != null) {
      cw.close();
    }
  }

  @Test
  void afterSigkillMidBurstEveryMonitorHasOneTicketAndEveryAcceptedUpClosedIt() throws Exception {
    cw = ConnectWiseServer.standard();
    env.putAll(Map.of("CW_URL", cw.url(), "CW_COMPANY", "acme", "CW_PUBLIC_KEY", "pub", "CW_PRIVATE_KEY", "priv",
        "CW_CLIENT_ID", "client-1", "CW_SERVICE_BOARD", "Alerts", "CW_STATUS_NEW", "New", "CW_STATUS_CLOSED", "Closed",
        "CW_TICKET_PREFIX", "Alert:"));
    env.put("HOOKS_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(RANDOM.generateSeed(32)));
    env.put("HOOKS_ADMIN_TOKEN", urlSafe(32));
    for (String p : List.of("UPTIME_KUMA", "ZABBIX", "ALERTMANAGER")) {
      env.put(p + "_ENDPOINT_ID", urlSafe(48));
      env.put(p + "_TOKEN", urlSafe(32));
    }
    Path data = dir.resolve("data");
    ServerProcess first = startChild(data, "first");

    Set<String> downAccepted = ConcurrentHashMap.newKeySet();
    Set<String> upAccepted = ConcurrentHashMap.newKeySet();
    AtomicInteger answered = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(16);
    for (int i = 0; i < MONITORS; i++) {
      String monitor = "m-" + i;
      senders.submit(() -> {
        // one monitor's alerts in order, each sent once its predecessor was answered 202
        for (String step : List.of("down", "down", "down", "up")) {
          if (!send(first.port(), monitor, step)) {
            return;
          }
          (step.equals("down") ? downAccepted : upAccepted).add(monitor);
          answered.incrementAndGet();
        }
      });
    }
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5)).until(() -> answered.get() >= 500);
    first.process().destroyForcibly();
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    senders.shutdown();
    assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    int ticketsBeforeKill = cw.tickets().size();

    ServerProcess second = startChild(data, "second");
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
      JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port() + "/status")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      return status.path("pending").asLong() == 0 && status.path("in_flight").asLong() == 0;
    });

    Map<String, List<ConnectWiseServer.Ticket>> bySummary = cw.tickets().stream()
        .collect(Collectors.groupingBy(t -> t.summary, Collectors.toList()));
    assertThat(answered.get()).isBetween(500, 4 * MONITORS - 1);
    assertThat(bySummary.values()).as("one ticket per monitor (%d filed before the kill)", ticketsBeforeKill)
        .allSatisfy(l -> assertThat(l).hasSize(1));
    assertThat(bySummary.keySet()).containsAll(downAccepted.stream().map(m -> "Alert: " + m).toList());
    for (String m : upAccepted) {
      assertThat(bySummary.get("Alert: " + m).get(0).status).as(m).isEqualTo("Closed");
    }
    System.out.printf("AlertsKillIT: %d answered 202 before SIGKILL, %d tickets then, %d after restart, %d closes accepted%n",
        answered.get(), ticketsBeforeKill, cw.tickets().size(), upAccepted.size());
    second.process().destroy();
    assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private boolean send(int port, String monitor, String step) {
    ObjectNode p = Payloads.json(step.equals("down") ? "uptime-kuma/down-timeout.json" : "uptime-kuma/up.json");
    ((ObjectNode) p.get("monitor")).put("name", monitor);
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhook/" + env.get("UPTIME_KUMA_ENDPOINT_ID")))
          .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + env.get("UPTIME_KUMA_TOKEN")).POST(HttpRequest.BodyPublishers.ofString(p.toString())).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 202;
    } catch (Exception e) {
      return false;
    }
  }

  private ServerProcess startChild(Path data, String name) throws Exception {
    ServerProcess child = ServerProcess.start(Path.of("../../docs/examples/alerts-connectwise.yaml"), data, dir.resolve(name + ".log"), env);
    started.add(child);
    return child;
  }
}
