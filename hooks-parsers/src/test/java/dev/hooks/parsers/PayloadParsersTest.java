package dev.hooks.parsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.PayloadParser;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadParsersTest {

  @Test
  void forProviderMakesTheNamedParser() {
    assertThat(PayloadParsers.forProvider("github", Map.of())).isInstanceOf(GitHubPayloadParser.class);
    assertThat(PayloadParsers.forProvider(" GitHub ")).isInstanceOf(GitHubPayloadParser.class);
    assertThat(PayloadParsers.forProvider("generic", Map.of())).isInstanceOf(GenericJsonPayloadParser.class);
    assertThat(PayloadParsers.forProvider("gitlab")).isInstanceOf(GitLabPayloadParser.class);
    assertThat(PayloadParsers.forProvider("bitbucket")).isInstanceOf(BitbucketPayloadParser.class);
    assertThat(PayloadParsers.forProvider("forgejo")).hasToString("GiteaPayloadParser[forgejo]");
  }

  @Test
  void unknownProviderFailsAndListsTheKnownOnes() {
    assertThatThrownBy(() -> PayloadParsers.forProvider("githib", Map.of()))
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessageStartingWith("unknown provider 'githib'; use one of ")
        .hasMessageContaining("github");
  }

  @Test
  void unknownOptionFailsAndNamesIt() {
    assertThatThrownBy(() -> PayloadParsers.forProvider("github", Map.of("secret-path", "x")))
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessage("provider 'github' has no option secret-path; it takes none");
    assertThatThrownBy(() -> PayloadParsers.forProvider("generic", Map.of("type", " ")))
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessage("provider 'generic': option type must not be blank");
  }

  @Test
  void genericParserTakesTypeAndIdHeaderOptions() {
    PayloadParser p = PayloadParsers.forProvider("generic", Map.of("type", "deploy", "id-header", "X-Request-Id"));
    Delivery d = Deliveries.of("{\"action\":\"rollout\",\"service\":\"api\"}".getBytes(StandardCharsets.UTF_8),
        "application/json", "X-Request-Id", "req-42");
    WebhookEvent e = p.parse(d).event();
    assertThat(Deliveries.fields(e)).isEqualTo(Deliveries.expected("req-42", "generic", "deploy",
        "action", "rollout", "severity", "UNKNOWN"));
    assertThat(e.payload().path("service").asText()).isEqualTo("api");
  }

  @Test
  void detectingPicksGitHubByItsHeader() {
    Delivery d = Deliveries.json("github/push-forced.json", "X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1");
    WebhookEvent e = PayloadParsers.detecting().parse(d).event();
    assertThat(e.provider()).isEqualTo("github");
    assertThat(e.action()).contains("forced");
    assertThat(e.id()).isEqualTo("d-1");
  }

  @Test
  void detectingPrefersTheGiteaFamilyHeadersOverTheGitHubHeaderTheyAlsoSend() {
    Delivery d = Deliveries.json("gitea/push.json", "X-GitHub-Event", "push", "X-Gogs-Event", "push",
        "X-Gitea-Event", "push", "X-Gitea-Delivery", "g-1");
    assertThat(PayloadParsers.detecting().parse(d).event().provider()).isEqualTo("gitea");
    Delivery f = Deliveries.json("gitea/push.json", "X-GitHub-Event", "push", "X-Gitea-Event", "push",
        "X-Forgejo-Event", "push");
    assertThat(PayloadParsers.detecting().parse(f).event().provider()).isEqualTo("forgejo");
    Delivery g = Deliveries.json("gitea/gogs-push.json", "X-Gogs-Event", "push");
    assertThat(PayloadParsers.detecting().parse(g).event().provider()).isEqualTo("gogs");
  }

  @Test
  void detectingPicksGitLabAndBitbucketByHeaderOrBody() {
    assertThat(PayloadParsers.detecting().parse(Deliveries.json("gitlab/pipeline.json", "X-Gitlab-Event",
        "Pipeline Hook")).event().provider()).isEqualTo("gitlab");
    assertThat(PayloadParsers.detecting().parse(Deliveries.json("gitlab/pipeline.json")).event().type())
        .isEqualTo("ci.pipeline");
    WebhookEvent cloud = PayloadParsers.detecting().parse(Deliveries.json("bitbucket/cloud-repo-push.json",
        "X-Event-Key", "repo:push", "X-Request-UUID", "u-1")).event();
    assertThat(cloud.provider()).isEqualTo("bitbucket");
    assertThat(cloud.id()).isEqualTo("u-1");
    WebhookEvent server = PayloadParsers.detecting().parse(Deliveries.json("bitbucket/server-pr_open.json",
        "X-Event-Key", "pr:opened", "X-Request-Id", "r-1")).event();
    assertThat(server.id()).isEqualTo("r-1");
    assertThat(server.attribute("edition")).contains("server");
    assertThat(PayloadParsers.detecting().parse(Deliveries.json("bitbucket/server-pr_open.json")).event().provider())
        .isEqualTo("bitbucket");
  }

  @Test
  void detectingRecognizesContainerSendersByTheirBodies() {
    assertThat(PayloadParsers.detecting().parse(Deliveries.json("dockerhub/y2khub-tag_game.json")).event().provider())
        .isEqualTo("dockerhub");
    assertThat(PayloadParsers.detecting().parse(Deliveries.json("docker/die-137.json")).event().provider())
        .isEqualTo("docker");
    assertThat(PayloadParsers.detecting().parse(Deliveries.json("autoheal/webhook-restarted.json")).event().provider())
        .isEqualTo("autoheal");
    assertThat(PayloadParsers.detecting().parse(Deliveries.json("autoheal/apprise-restarted.json")).event().action())
        .contains("restarted");
  }

  @Test
  void detectingRecognizesMonitoringAndCiSendersByTheirBodies() {
    String[][] cases = {
        {"alertmanager/zulip-alert.json", "alertmanager"}, {"grafana/docs-two-firing.json", "grafana"},
        {"uptime-kuma/up.json", "uptime-kuma"}, {"jenkins/finalized-scm.json", "jenkins"},
        {"circleci/zulip-github_job_completed.json", "circleci"}, {"zabbix/zulip-zabbix_ok.json", "generic"}};
    for (String[] c : cases) {
      assertThat(PayloadParsers.detecting().parse(Deliveries.json(c[0])).event().provider()).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void autohealTakesItsKeyOption() {
    PayloadParser p = PayloadParsers.forProvider("autoheal", Map.of("key", "content"));
    assertThat(p.parse(Deliveries.json("autoheal/webhook-key-content.json")).event().action()).contains("restarted");
  }

  @Test
  void everyNamedProviderHasAParser() {
    for (String name : PayloadParsers.providerNames()) {
      assertThat(PayloadParsers.forProvider(name, Map.of())).as(name).isNotNull();
    }
    assertThat(PayloadParsers.forProvider("jsonpath", Map.of("summary", "$.title")))
        .isInstanceOf(JsonPathMappedPayloadParser.class);
  }

  @Test
  void detectingFallsBackOnGenericJson() {
    Delivery d = Deliveries.of("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8), "application/json");
    WebhookEvent e = PayloadParsers.detecting().parse(d).event();
    assertThat(Deliveries.fields(e)).isEqualTo(Deliveries.expected(DeliveryIds.contentHash(d), "generic", "custom",
        "severity", "UNKNOWN"));
  }

  @Test
  void detectingRejectsABodyThatIsNotJson() {
    Delivery d = Deliveries.of("not json".getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(PayloadParsers.detecting().parse(d).failure()).startsWith("body is not JSON");
  }
}
