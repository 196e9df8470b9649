package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code notify} handlers declared in YAML: filters choose the target, templates the text, a
 * rate limit paces without dropping, a digest window survives a restart. Real Jetty servers stand
 * in for Discord (204) and Slack (200 ok); payloads are GitLab's and GitHub's published examples
 * (see {@code src/test/resources/hub/README.md}).
 */
class NotifyHandlersTest {
  private static final String SECRET = "notify-handlers-secret";
  private static final String DISCORD_PATH = "/api/webhooks/1180000000000000002/notify-handlers";
  private static final String SLACK_PATH = "/services/T000/B000/notify-handlers";

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private LoopbackChat discord;
  private LoopbackChat slack;
  private HooksServer server;

  @BeforeEach
  void chats() throws Exception {
    discord = LoopbackChat.discord();
    slack = LoopbackChat.slack();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    discord.close();
    slack.close();
  }

  private HooksServer start(String handlersAndRoutes) throws IOException {
    Path config = dir.resolve("notify.yaml");
    Files.writeString(config, """
        endpoints:
          - {id: gitlab, provider: gitlab, verifier: {secrets: ["${SECRET}"]}}
          - {id: github, provider: github, verifier: {secrets: ["${SECRET}"]}}
        dispatch:
          poll-interval: 200ms
        notify:
          digest-check-interval: 200ms
          targets:
            discord: {url: "${DISCORD_URL}"}
            slack: {type: slack, url: "${SLACK_URL}"}
        """ + handlersAndRoutes);
    Map<String, String> env = Map.of("SECRET", SECRET, "DISCORD_URL", discord.url(DISCORD_PATH), "SLACK_URL", slack.url(SLACK_PATH));
    return HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data")), env, System.out, Map.of());
  }

  @Test
  void filtersSendAPipelineToDiscordAndATagPushToSlackEachWithItsTemplate() throws Exception {
    server = start("""
        handlers:
          pipeline-failures:
            type: notify
            targets: [discord]
            filter: {provider: [gitlab], type: [pipeline], action: [failed]}
            template: "FAILED {{repository}}"
          pipelines:
            type: notify
            targets: [discord]
            filter: {type: [pipeline]}
            template: "pipeline {{action}} on {{repository}}"
          tags:
            type: notify
            target: slack
            filter: {type: [tag]}
            template: "tag {{tag}} pushed to {{repository}}"
        routes:
          - {name: gitlab, match: {endpoint: [gitlab]}, handlers: [pipeline-failures, pipelines, tags]}
        """);

    assertThat(gitlab("gitlab-ci-pipeline.json", "Pipeline Hook", "pipeline-1")).isEqualTo(202);
    assertThat(gitlab("gitlab-tag_push.json", "Tag Push Hook", "tag-1")).isEqualTo(202);

    await().atMost(Duration.ofSeconds(15)).until(() -> discord.received().size() == 1 && slack.received().size() == 1);
    Thread.sleep(300);
    // pipeline.json is a succeeded pipeline: the failures handler sends nothing
    assertThat(discord.received()).singleElement().satisfies(r ->
        assertThat(r.body().path("embeds").path(0).path("description").asText()).isEqualTo("pipeline succeeded on gitlab-org/gitlab-test"));
    assertThat(slack.received()).singleElement().satisfies(r ->
        assertThat(r.body().toString()).contains("tag v1.0.0 pushed to jsmith/example"));
  }

  @Test
  void aRateLimitHoldsTheRestInTheOutboxAndSendsEveryOneLater() throws Exception {
    server = start("""
        handlers:
          paced:
            type: notify
            targets: [discord]
            template: "push {{id}}"
            rate-limit: 2/3s
        routes:
          - {name: github, match: {endpoint: [github]}, handlers: [paced]}
        """);
    long start = System.currentTimeMillis();
    for (int i = 1; i <= 5; i++) {
      assertThat(github("github-push.json", "push", "rate-" + i)).isEqualTo(202);
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> discord.received().size() == 5);
    List<Long> at = discord.received().stream().map(r -> r.atMillis() - start).sorted().toList();
    // two in the first period; the fifth waits for the third period
    assertThat(at.get(2)).isGreaterThanOrEqualTo(2_500);
    assertThat(at.get(4)).isGreaterThanOrEqualTo(5_500);
    assertThat(discord.received()).extracting(r -> r.body().path("embeds").path(0).path("description").asText())
        .containsExactlyInAnyOrder("push rate-1", "push rate-2", "push rate-3", "push rate-4", "push rate-5");
    Map<String, Double> m = PrometheusText.parse(metrics());
    assertThat(m.get("hooks_outbox_sent_total{target=\"discord@paced\"}")).isEqualTo(5.0);
    assertThat(m.get("hooks_outbox_throttled_total{target=\"discord@paced\"}")).isGreaterThanOrEqualTo(1.0);
    assertThat(m.get("hooks_outbox_dead")).isEqualTo(0.0);
  }

  @Test
  void aDigestWindowSpanningARestartIsSentOnceWithEveryEvent() throws Exception {
    String handlers = """
        handlers:
          digest:
            type: notify
            targets: [discord]
            digest: {window: 6s, template: "{{attributes.count}} GitHub events"}
        routes:
          - {name: github, match: {endpoint: [github]}, handlers: [digest]}
        """;
    server = start(handlers);
    assertThat(github("github-push.json", "push", "digest-1")).isEqualTo(202);
    assertThat(github("github-push.json", "push", "digest-2")).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> PrometheusText.parse(metrics()).get("hooks_dispatched_total") == 2.0);
    server.close();

    server = start(handlers);
    assertThat(github("github-push.json", "push", "digest-3")).isEqualTo(202);

    await().atMost(Duration.ofSeconds(20)).until(() -> !discord.received().isEmpty());
    Thread.sleep(1_000);
    assertThat(discord.received()).singleElement().satisfies(r ->
        assertThat(r.body().path("embeds").path(0).path("description").asText()).isEqualTo("3 GitHub events"));
  }

  @Test
  void aHandlerNamingAnUndeclaredTargetIsAStartErrorNamingTheKey() {
    assertThatThrownBy(() -> start("""
        handlers:
          x: {type: notify, targets: [teams]}
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("handlers.x.targets names 'teams', which is not declared under notify.targets")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> start("""
        handlers:
          x: {type: notify, rate-limit: fast}
        routes:
          - {handlers: [x]}
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("handlers.x.rate-limit 'fast' is not a rate");
  }

  private int gitlab(String file, String event, String uuid) throws Exception {
    // GitLab sends the secret token as is in X-Gitlab-Token
    return post("gitlab", file, Map.of("X-Gitlab-Event", event, "X-Gitlab-Event-UUID", uuid, "X-Gitlab-Token", SECRET));
  }

  private int github(String file, String event, String delivery) throws Exception {
    byte[] body = resource(file);
    // GitHub: X-Hub-Signature-256 is "sha256=" and the hex HMAC-SHA256 of the raw body
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return post("github", file, Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", delivery,
        "X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body))));
  }

  private int post(String endpoint, String file, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hooks/" + endpoint))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(resource(file)));
    headers.forEach(b::header);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private String metrics() throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static byte[] resource(String file) throws IOException {
    try (InputStream in = NotifyHandlersTest.class.getResourceAsStream("/hub/" + file)) {
      return in.readAllBytes();
    }
  }
}
