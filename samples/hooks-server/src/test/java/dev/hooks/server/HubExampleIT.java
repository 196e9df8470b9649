package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/examples/hub.yaml} as written: the server started in-process with that file and
 * only the four variables it reads; every provider's endpoint fed a published payload (see
 * {@code src/test/resources/hub/README.md}) signed as that provider signs; each event ends as one
 * message at a loopback server that answers as Discord's webhook endpoint does (204, no body);
 * {@code GET /metrics} parsed as Prometheus text.
 */
class HubExampleIT {
  private static final Path HUB_YAML = Path.of("../../docs/examples/hub.yaml");
  private static final String SECRET = "hub-example-webhook-secret-5f1c";
  private static final String ADMIN_TOKEN = "hub-example-admin-token-0123456789";
  // 32 bytes in base64, as `openssl rand -base64 32` prints them
  private static final String ENCRYPTION_KEY = "q2ZkJ3cV8cS1n0m9w5b4Yx7tR6eP1aL0sD2fG3hJ4kM=";
  private static final String DISCORD_PATH = "/api/webhooks/1180000000000000001/hub-example-token";

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private LoopbackChat discord;
  private HooksServer server;

  @BeforeEach
  void start() throws Exception {
    discord = LoopbackChat.discord();
    Map<String, String> env = Map.of(
        "HOOKS_WEBHOOK_SECRET", SECRET,
        "DISCORD_WEBHOOK_URL", discord.url(DISCORD_PATH),
        "HOOKS_ADMIN_TOKEN", ADMIN_TOKEN,
        "HOOKS_ENCRYPTION_KEY", ENCRYPTION_KEY);
    server = HooksServer.start(new ServerOptions(HUB_YAML, "127.0.0.1", 0, dir.resolve("data")), env, System.out, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    discord.close();
  }

  /** One delivery: endpoint, payload file, content type, headers without the proof, and how it is proven. */
  private record Sent(String endpoint, String file, String contentType, Map<String, String> headers, Proof proof) {}

  private enum Proof { GITHUB, GITLAB_TOKEN, BITBUCKET, GITEA, CIRCLECI, AUTOHEAL_TOKEN, BEARER }

  private static Sent json(String endpoint, String file, Proof proof, String... headers) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    return new Sent(endpoint, file, "application/json", h, proof);
  }

  private static List<Sent> everyProvider() {
    List<Sent> all = new ArrayList<>();
    all.add(json("github", "github-push.json", Proof.GITHUB, "X-GitHub-Event", "push", "X-GitHub-Delivery", "0f9b8b10-1f1a-11ef-9a4f-hub000000001"));
    all.add(json("gitlab", "gitlab-push.json", Proof.GITLAB_TOKEN, "X-Gitlab-Event", "Push Hook", "X-Gitlab-Event-UUID", "hub-gitlab-0001"));
    all.add(json("bitbucket", "bitbucket-cloud-repo-push.json", Proof.BITBUCKET, "X-Event-Key", "repo:push", "X-Request-UUID", "hub-bb-0001"));
    all.add(json("bitbucket-server", "bitbucket-server-repo-refs_changed.json", Proof.BITBUCKET, "X-Event-Key", "repo:refs_changed",
        "X-Request-Id", "hub-bbs-0001"));
    all.add(json("gitea", "gitea-push.json", Proof.GITEA, "X-Gitea-Event", "push", "X-Gitea-Delivery", "hub-gitea-0001"));
    all.add(json("docker", "docker-die-137.json", Proof.BEARER));
    all.add(json("dockerhub", "dockerhub-push.json", Proof.BEARER));
    all.add(json("autoheal", "autoheal-restarted.json", Proof.AUTOHEAL_TOKEN));
    all.add(json("github-actions", "github-actions-workflow_run-completed.json", Proof.GITHUB, "X-GitHub-Event", "workflow_run",
        "X-GitHub-Delivery", "0f9b8b10-1f1a-11ef-9a4f-hub000000002"));
    all.add(json("gitlab-ci", "gitlab-ci-pipeline.json", Proof.GITLAB_TOKEN, "X-Gitlab-Event", "Pipeline Hook", "X-Gitlab-Event-UUID", "hub-gitlab-0002"));
    all.add(json("jenkins", "jenkins-completed-success.json", Proof.BEARER));
    all.add(json("circleci", "circleci-workflow-completed.json", Proof.CIRCLECI, "Circleci-Event-Type", "workflow-completed"));
    all.add(json("uptime-kuma", "uptime-kuma-down-timeout.json", Proof.BEARER));
    all.add(json("zabbix", "zabbix-alert.json", Proof.BEARER));
    all.add(json("grafana", "grafana-alert-9-resolved.json", Proof.BEARER));
    all.add(json("alertmanager", "alertmanager-alert.json", Proof.BEARER));
    all.add(json("datadog", "datadog-ilert-template.json", Proof.BEARER));
    all.add(new Sent("supervisor", "supervisor-exited.form", "application/x-www-form-urlencoded", Map.of(), Proof.BEARER));
    all.add(json("generic", "generic-github-ping.json", Proof.BEARER));
    all.add(json("mapped", "mapped-grafana-docs-two-firing.json", Proof.BEARER));
    return all;
  }

  @Test
  void everyProviderSignedAsItSignsEndsAsOneLineAtDiscordAndTheMetricsCountIt() throws Exception {
    List<Sent> sent = everyProvider();
    assertThat(sent).extracting(Sent::endpoint).doesNotHaveDuplicates().hasSize(20);
    for (Sent s : sent) {
      HttpResponse<String> r = post(s, true);
      assertThat(r.statusCode()).as(s.endpoint() + ": " + r.body()).isEqualTo(202);
    }
    // a redelivery of GitHub's push (same X-GitHub-Delivery) is answered 200 and sent once
    assertThat(post(sent.get(0), true).statusCode()).isEqualTo(200);
    // the wrong proof is refused on an HMAC endpoint and on a bearer endpoint
    assertThat(post(sent.get(2), false).statusCode()).isEqualTo(401);
    assertThat(post(sent.get(5), false).statusCode()).isEqualTo(401);

    await().atMost(Duration.ofSeconds(30)).until(() -> discord.received().size() >= sent.size());
    Thread.sleep(500); // nothing more arrives: no duplicate, nothing from the refused deliveries
    assertThat(discord.received()).hasSize(sent.size());
    assertThat(discord.received()).extracting(LoopbackChat.Received::path).containsOnly(DISCORD_PATH);

    Map<String, String> lines = new LinkedHashMap<>();
    for (LoopbackChat.Received r : discord.received()) {
      String line = r.body().path("embeds").path(0).path("description").asText();
      Matcher id = Pattern.compile("^\\\\?\\[([a-z-]+)\\\\?]").matcher(line);
      assertThat(id.find()).as(line).isTrue();
      assertThat(line).as("one line").doesNotContain("\n");
      lines.put(id.group(1), line);
    }
    assertThat(lines.keySet()).containsExactlyInAnyOrderElementsOf(sent.stream().map(Sent::endpoint).toList());
    // what each parser reads from the published payload, through the example's one-line template
    // (Discord markdown in values is escaped: the Datadog template's "$EVENT_TITLE" reads $EVENT\_TITLE)
    assertThat(lines).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        // In the event vocabulary (issue 20): a push's subject is its head commit's message, CI runs
        // are ci.pipeline, Docker Hub pushes are image events, a monitor going down is an alert firing.
        Map.entry("github", "[github] push created · Codertocat/Hello-World · Initial commit"),
        Map.entry("gitlab", "[gitlab] push · mike/diaspora · fixed readme"),
        Map.entry("bitbucket", "[bitbucket] push · arolgroup/j0664-ns2-firmware · Add section: Make sure you are executing..."),
        Map.entry("bitbucket-server", "[bitbucket-server] push · MYPROJECT/test-repo"),
        Map.entry("gitea", "[gitea] push · gogits/hello-world · Updated readme"),
        Map.entry("docker", "[docker] container died · alpine"),
        Map.entry("dockerhub", "[dockerhub] image pushed · karolisr/demo-webhook · karolisr/demo-webhook:latest"),
        Map.entry("autoheal", "[autoheal] container restarted · autoheal-test-should-keep-restarting-1"),
        Map.entry("github-actions", "[github-actions] ci.pipeline succeeded · octo-org/octo-repo · test"),
        Map.entry("gitlab-ci", "[gitlab-ci] ci.pipeline succeeded · gitlab-org/gitlab-test"),
        Map.entry("jenkins", "[jenkins] ci.pipeline succeeded · O.O.trunk \\#6768"),
        Map.entry("circleci", "[circleci] ci.pipeline succeeded · zulip-testing/circleci-webhook-test · sample"),
        Map.entry("uptime-kuma", "[uptime-kuma] alert firing · test"),
        Map.entry("zabbix", "[zabbix] alert firing · Zabbix agent on www.example.com is unreachable for 5 minutes"),
        Map.entry("grafana", "[grafana] alert resolved · Test alert"),
        Map.entry("alertmanager", "[alertmanager] alert firing · High CPU Temperature"),
        Map.entry("datadog", "[datadog] alert · $EVENT\\_TITLE"),
        Map.entry("supervisor", "[supervisor] process exited · meow"),
        Map.entry("generic", "[generic] custom"),
        Map.entry("mapped", "[mapped] alert · My Super Webhook")));

    HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create(base() + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    Map<String, Double> m = PrometheusText.parse(metrics.body());
    assertThat(m.get("hooks_received_total")).isEqualTo(23.0);
    assertThat(m.get("hooks_accepted_total")).isEqualTo(20.0);
    assertThat(m.get("hooks_duplicates_total")).isEqualTo(1.0);
    assertThat(m.get("hooks_rejected_total{reason=\"unauthorized\"}")).isEqualTo(2.0);
    assertThat(m.get("hooks_rejected_total{reason=\"unparseable\"}")).isEqualTo(0.0);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Map<String, Double> now = PrometheusText.parse(client.send(HttpRequest.newBuilder(URI.create(base() + "/metrics")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat(now.get("hooks_outbox_sent_total{target=\"discord\"}")).isEqualTo(20.0);
      assertThat(now.get("hooks_dispatch_latency_seconds_count{handler=\"discord\"}")).isEqualTo(20.0);
      assertThat(now.get("hooks_dispatched_total")).isEqualTo(20.0);
    });
    assertThat(m.get("hooks_handler_failures_total{handler=\"discord\"}")).isEqualTo(0.0);
    assertThat(m.get("hooks_outbox_failed_total{target=\"discord\"}")).isEqualTo(0.0);
    assertThat(m.get("hooks_outbox_dead")).isEqualTo(0.0);
    assertThat(m).containsKey("hooks_outbox_throttled_total{target=\"discord\"}");
    assertThat(m.keySet()).allSatisfy(k -> assertThat(k).satisfiesAnyOf(
        n -> assertThat(n).startsWith("hooks_"), n -> assertThat(n).startsWith("jvm_"), n -> assertThat(n).startsWith("process_")));

    // the admin API of the example answers with its token
    HttpResponse<String> admin = client.send(HttpRequest.newBuilder(URI.create(base() + "/admin/endpoints"))
        .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(admin.statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> post(Sent s, boolean rightProof) throws IOException, InterruptedException {
    byte[] body = resource(s.file());
    String secret = rightProof ? SECRET : SECRET + "-wrong";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/hooks/" + s.endpoint()))
        .header("Content-Type", s.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    s.headers().forEach(b::header);
    switch (s.proof()) {
      // GitHub: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256 of the raw body (GitHub docs, "Validating webhook deliveries")
      case GITHUB -> b.header("X-Hub-Signature-256", "sha256=" + hmac(secret, body));
      // GitLab: the secret token as is in X-Gitlab-Token (GitLab docs, "Webhooks", secret token)
      case GITLAB_TOKEN -> b.header("X-Gitlab-Token", secret);
      // Bitbucket: X-Hub-Signature = "sha256=" + hex HMAC-SHA256 (Atlassian docs, "Secure webhooks")
      case BITBUCKET -> b.header("X-Hub-Signature", "sha256=" + hmac(secret, body));
      // Gitea: X-Gitea-Signature = hex HMAC-SHA256, no prefix (Gitea docs, "Webhooks")
      case GITEA -> b.header("X-Gitea-Signature", hmac(secret, body));
      // CircleCI: circleci-signature = "v1=" + hex HMAC-SHA256 (CircleCI docs, "Webhooks", validate)
      case CIRCLECI -> b.header("circleci-signature", "v1=" + hmac(secret, body));
      // autoheal: its WEBHOOK_SECRET in X-Webhook-Token
      case AUTOHEAL_TOKEN -> b.header("X-Webhook-Token", secret);
      case BEARER -> b.header("Authorization", "Bearer " + secret);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private static String hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] resource(String file) throws IOException {
    try (InputStream in = HubExampleIT.class.getResourceAsStream("/hub/" + file)) {
      assertThat(in).as(file).isNotNull();
      return in.readAllBytes();
    }
  }
}
