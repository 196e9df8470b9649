package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.journal.JournalEntry;
import java.io.ByteArrayOutputStream;
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
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code journal.retention-days} and {@code notify.retention-days}: a done delivery and its sent
 * notification are purged once older than the retention, and kept while younger. The push is
 * GitHub's published example (see {@code src/test/resources/hub/README.md}).
 */
class RetentionTest {
  private static final String SECRET = "retention-secret";
  private static final String DISCORD_PATH = "/api/webhooks/1180000000000000003/retention";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private LoopbackChat discord;
  private HooksServer server;

  @BeforeEach
  void chat() throws Exception {
    discord = LoopbackChat.discord();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    discord.close();
  }

  @Test
  void withNoDaysKeptTheDoneDeliveryAndItsSentNotificationArePurged() throws Exception {
    server = start("embedded", 0, 0);

    String requestId = push("retention-0");

    await().atMost(Duration.ofSeconds(15)).until(() -> discord.received().size() == 1);
    await().atMost(Duration.ofSeconds(15)).until(() -> server.hooks().journal().find(requestId).isEmpty());
    await().atMost(Duration.ofSeconds(15)).until(() -> gauge("hooks_outbox_delivered") == 0.0);
  }

  @Test
  void withDaysKeptTheyStayDoneOnTheJdbcJournalToo() throws Exception {
    server = start("jdbc", 7, 7);

    String requestId = push("retention-7");

    await().atMost(Duration.ofSeconds(15)).until(() -> discord.received().size() == 1);
    await().atMost(Duration.ofSeconds(15)).until(() -> server.hooks().journal().find(requestId)
        .map(e -> e.status() == JournalEntry.Status.DONE).orElse(false));
    await().atMost(Duration.ofSeconds(15)).until(() -> gauge("hooks_outbox_delivered") == 1.0);
    Thread.sleep(1_500); // three purge intervals
    assertThat(server.hooks().journal().find(requestId)).isPresent();
    assertThat(gauge("hooks_outbox_delivered")).isEqualTo(1.0);
  }

  @Test
  void aNegativeRetentionStopsTheStartNamingTheKey() throws Exception {
    assertThatThrownBy(() -> start("embedded", -1, 7)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("journal.retention-days must be 0 or more days");
    assertThatThrownBy(() -> start("embedded", 7, -2)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("notify.retention-days must be 0 or more days");
  }

  private HooksServer start(String journal, int journalDays, int notifyDays) throws Exception {
    Path config = dir.resolve("retention-" + System.nanoTime() + ".yaml");
    Files.writeString(config, """
        endpoints:
          - {id: github, provider: github, verifier: {secrets: ["${SECRET}"]}}
        dispatch:
          poll-interval: 200ms
        journal:
          type: %s
          retention-days: %d
          purge-interval: 500ms
        notify:
          retention-days: %d
          targets:
            discord: {url: "${DISCORD_URL}"}
        handlers:
          pushes: {type: notify, targets: [discord], template: "push {{id}}"}
        routes:
          - {name: github, match: {endpoint: [github]}, handlers: [pushes]}
        """.formatted(journal, journalDays, notifyDays));
    Map<String, String> env = Map.of("SECRET", SECRET, "DISCORD_URL", discord.url(DISCORD_PATH));
    return HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data-" + journal)), env,
        new java.io.PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of());
  }

  private String push(String deliveryId) throws Exception {
    byte[] body;
    try (InputStream in = RetentionTest.class.getResourceAsStream("/hub/github-push.json")) {
      body = in.readAllBytes();
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hooks/github"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push").header("X-GitHub-Delivery", deliveryId)
        .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return JSON.readTree(r.body()).path("request_id").asText();
  }

  private double gauge(String name) throws Exception {
    String text = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return PrometheusText.parse(text).getOrDefault(name, -1.0);
  }
}
