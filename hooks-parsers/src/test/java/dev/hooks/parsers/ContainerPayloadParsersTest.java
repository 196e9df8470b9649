package dev.hooks.parsers;

import static dev.hooks.parsers.Deliveries.attrs;
import static dev.hooks.parsers.Deliveries.expected;
import static dev.hooks.parsers.Deliveries.fields;
import static dev.hooks.parsers.Deliveries.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Docker Engine events, Docker Hub pushes and autoheal notices. */
class ContainerPayloadParsersTest {
  private static final String ALPINE_ID = "405efae3b420464a9da7be7cd9de8d2ff160ffcfdac01517d9b686e8137f9053";

  private static WebhookEvent ok(PayloadParser parser, Delivery d) {
    ParseResult r = parser.parse(d);
    assertThat(r.failure()).isEmpty();
    return r.event();
  }

  private static WebhookEvent docker(String file) {
    Delivery d = json("docker/" + file);
    WebhookEvent e = ok(new DockerEventPayloadParser(), d);
    assertThat(e.id()).isEqualTo(DeliveryIds.contentHash(d));
    return e;
  }

  @Test
  void unhealthyContainerIsAContainerUnhealthyEvent() {
    WebhookEvent e = docker("health_status-unhealthy.json");
    assertThat(fields(e)).isEqualTo(expected(e.id(), "docker", "container",
        "action", "unhealthy", "sourceEvent", "health_status", "subject", "autohealtest",
        "status", "health_status: unhealthy", "severity", "ERROR", "occurredAt", "2024-12-26T05:37:18.145468746Z"));
    assertThat(e.attributes()).isEqualTo(attrs("container_name", "autohealtest",
        "container_id", "19ccabc70b9011ad4ca4b67eb1b335ac3523d0b1174d238599a132085fdcb142", "image", "alpine:latest"));
  }

  @Test
  void composeLabelsGiveSubjectProjectAndService() {
    WebhookEvent e = docker("compose-destroy.json");
    assertThat(fields(e)).isEqualTo(expected(e.id(), "docker", "container",
        "action", "destroyed", "sourceEvent", "destroy", "subject", "migrate", "status", "destroy",
        "severity", "INFO", "occurredAt", "2021-07-31T22:08:33.567352230Z"));
    assertThat(e.attributes()).isEqualTo(attrs("compose_project", "docker", "compose_service", "migrate",
        "container_name", "docker_migrate_1",
        "container_id", "9e8224f668d90c06529c5b9ad2e2ab0428b51e69adb8533312840186d78832db",
        "image", "migrate/migrate:v4.14.1"));
  }

  @Test
  void dieWithExitCode137IsAnError() {
    WebhookEvent e = docker("die-137.json");
    assertThat(fields(e)).isEqualTo(expected(e.id(), "docker", "container",
        "action", "died", "sourceEvent", "die", "subject", "alpine", "status", "die",
        "severity", "ERROR", "occurredAt", "2016-09-05T20:38:21.922774300Z"));
    assertThat(e.attributes()).isEqualTo(attrs("container_name", "alpine", "container_id", ALPINE_ID,
        "image", "alpine", "exit_code", "137"));
  }

  @Test
  void startKillAndStopOfOneContainer() {
    WebhookEvent start = docker("start.json");
    assertThat(start.action()).contains("started");
    assertThat(start.severity().name()).isEqualTo("INFO");
    assertThat(start.occurredAt()).hasValue(Instant.parse("2016-09-05T20:18:13.262908400Z"));
    WebhookEvent kill = docker("kill.json");
    assertThat(kill.action()).contains("killed");
    assertThat(kill.attribute("signal")).contains("9");
    assertThat(kill.severity().name()).isEqualTo("WARNING");
    WebhookEvent stop = docker("stop.json");
    assertThat(fields(stop)).isEqualTo(expected(stop.id(), "docker", "container",
        "action", "stopped", "sourceEvent", "stop", "subject", "alpine", "status", "stop",
        "severity", "INFO", "occurredAt", "2016-09-05T20:38:22.406099500Z"));
  }

  @Test
  void engineApiDocumentationExample() {
    WebhookEvent e = docker("engine-api-create.json");
    assertThat(e.action()).contains("created");
    assertThat(e.subject()).contains("my-container");
    assertThat(e.occurredAt()).hasValue(Instant.parse("2016-04-29T15:18:21.381709551Z"));
  }

  @Test
  void imageEventsKeepTheTagInTheSubject() {
    // captured live on this machine (Docker Engine 20.10.24) with
    // docker events --filter type=image --format '{{json .}}' while running docker tag
    WebhookEvent tag = docker("image-tag-live.json");
    assertThat(fields(tag)).isEqualTo(expected(tag.id(), "docker", "image",
        "action", "tagged", "sourceEvent", "tag", "subject", "vocab-scratch:latest", "status", "tag",
        "severity", "INFO", "occurredAt", "2026-12-07T02:07:43.362407378Z"));
    assertThat(tag.attribute("image")).contains("vocab-scratch:latest");
    // an untag names only the image id
    WebhookEvent untag = docker("image-untag-live.json");
    assertThat(untag.action()).contains("untagged");
    assertThat(untag.subject()).contains("sha256:a68eec35dd7b44869e03bb9d9027a792d0052351183dcd506670be7054913aad");
    // a pull event in the engine's shape (Actor.ID the reference pulled, name the repository
    // alone); no registry is reachable from this machine to capture one live
    Delivery pull = Deliveries.of(("{\"status\":\"pull\",\"id\":\"alpine:latest\",\"Type\":\"image\",\"Action\":\"pull\","
        + "\"Actor\":{\"ID\":\"alpine:latest\",\"Attributes\":{\"name\":\"alpine\"}},\"time\":1461943101,"
        + "\"timeNano\":1461943101301854122}").getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
    WebhookEvent pulled = ok(new DockerEventPayloadParser(), pull);
    assertThat(pulled.action()).contains("pulled");
    assertThat(pulled.subject()).contains("alpine:latest");
  }

  @Test
  void liveEngineEventsOfAComposeServiceAndOfAHealthcheck() {
    // captured live on this machine (Docker Engine 20.10.24) with docker events --format '{{json .}}':
    // a container with compose labels exiting with 3, and a failing healthcheck's events
    WebhookEvent died = docker("live-die-compose.json");
    assertThat(fields(died)).isEqualTo(expected(died.id(), "docker", "container",
        "action", "died", "sourceEvent", "die", "subject", "worker", "status", "die", "severity", "ERROR",
        "occurredAt", "2026-12-07T02:33:14.850646503Z"));
    assertThat(died.attributes()).isEqualTo(attrs("compose_project", "vocab", "compose_service", "worker",
        "container_name", "vocab-live-exit",
        "container_id", "78a03fbc9a9856954b7c788c52e1ba220bcdf12f3710382a8f642b5d00c6b664",
        "image", "vocab-live:1", "exit_code", "3"));
    WebhookEvent unhealthy = docker("live-health_status-unhealthy.json");
    assertThat(unhealthy.action()).contains("unhealthy");
    assertThat(unhealthy.subject()).contains("vocab-live-health");
    assertThat(unhealthy.severity().name()).isEqualTo("ERROR");
    // the healthcheck's exec: the verb is kept, its command line (which may hold secrets) is not
    WebhookEvent exec = docker("live-exec_start.json");
    assertThat(exec.action()).contains("updated");
    assertThat(exec.attribute("source_action")).contains("exec_start");
    assertThat(exec.status()).contains("exec_start");
    assertThat(exec.sourceEvent()).contains("exec_start");
  }

  @Test
  void otherEngineVerbsAreUpdatedAndKeepTheVerb() {
    Delivery d = Deliveries.of(("{\"status\":\"exec_start: sh -c echo secret\",\"Type\":\"container\","
        + "\"Action\":\"exec_start: sh -c echo secret\",\"Actor\":{\"ID\":\"abc\",\"Attributes\":{\"name\":\"web\"}},"
        + "\"time\":1461943101}").getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
    WebhookEvent e = ok(new DockerEventPayloadParser(), d);
    assertThat(e.action()).contains("updated");
    assertThat(e.attribute("source_action")).contains("exec_start");
    assertThat(e.status()).contains("exec_start");
  }

  @Test
  void dockerHubPushesOfThreeSenders() {
    String[][] cases = {
        {"y2khub-tag_game.json", "y2khub/tag_game", "latest", "y2khub", "https://hub.docker.com/r/y2khub/tag_game",
            "2022-07-31T16:16:42Z", "y2khub"},
        {"karolisr-demo-webhook.json", "karolisr/demo-webhook", "latest", "karolisr",
            "https://hub.docker.com/r/karolisr/demo-webhook", "2020-02-27T21:35:08Z", "karolisr"},
        {"argocd-myorg-myimage.json", "myorg/myimage", "v1.0.0", "myuser", "https://hub.docker.com/r/myorg/myimage",
            "2023-11-14T22:13:20Z", "myorg"}};
    for (String[] c : cases) {
      Delivery d = json("dockerhub/" + c[0]);
      WebhookEvent e = ok(new DockerHubPayloadParser(), d);
      assertThat(fields(e)).as(c[0]).isEqualTo(expected(DeliveryIds.contentHash(d), "dockerhub", "image",
          "action", "pushed", "sourceEvent", "push", "repository", c[1], "tag", c[2], "actor", c[3], "url", c[4],
          "subject", c[1] + ":" + c[2], "status", "Active", "severity", "INFO", "occurredAt", c[5]));
      assertThat(e.attribute("image")).as(c[0]).contains(c[1] + ":" + c[2]);
      assertThat(e.attribute("namespace")).as(c[0]).contains(c[6]);
      assertThat(e.attributes()).doesNotContainKey("callback_url");
    }
  }

  @Test
  void autohealRestartedFailedAndNotifyOnly() {
    String[][] cases = {
        {"webhook-restarted.json", "restarted", "Successfully restarted the container!", "WARNING"},
        {"webhook-restart-failed.json", "restart_failed", "Failed to restart the container!", "ERROR"},
        {"webhook-notify-only.json", "unhealthy",
            "Automated container restard is disabled by NOTIFY_ONLY env variable.", "ERROR"}};
    for (String[] c : cases) {
      WebhookEvent e = ok(new AutohealPayloadParser(), json("autoheal/" + c[0]));
      // the status is the word, the sentence an attribute
      assertThat(fields(e)).as(c[0]).isEqualTo(expected(e.id(), "autoheal", "container",
          "action", c[1], "subject", "autoheal-test-should-keep-restarting-1", "status", c[1], "severity", c[3]));
      assertThat(e.attributes()).as(c[0]).isEqualTo(attrs("container_name", "autoheal-test-should-keep-restarting-1",
          "container_id", "19ccabc70b90", "message", "Container autoheal-test-should-keep-restarting-1 (19ccabc70b90) "
              + "found to be unhealthy. " + c[2]));
    }
  }

  @Test
  void autohealAppriseShapeAndConfiguredKey() {
    WebhookEvent apprise = ok(new AutohealPayloadParser(), json("autoheal/apprise-restarted.json"));
    assertThat(apprise.action()).contains("restarted");
    assertThat(apprise.attribute("title")).contains("Autoheal");
    WebhookEvent discord = ok(new AutohealPayloadParser("content"), json("autoheal/webhook-key-content.json"));
    assertThat(discord.subject()).contains("autoheal-test-should-keep-restarting-1");
    // without a key option, content (Discord's and Apprise's key) is read as well as text
    WebhookEvent byDefault = ok(new AutohealPayloadParser(), json("autoheal/webhook-key-content.json"));
    assertThat(byDefault.action()).contains("restarted");
    assertThat(byDefault.subject()).contains("autoheal-test-should-keep-restarting-1");
    assertThat(PayloadParsers.forProvider("autoheal").parse(json("autoheal/webhook-key-content.json")).event().action())
        .contains("restarted");
    // the key option wins: a configured key that the body lacks is a failure naming the option
    assertThat(new AutohealPayloadParser("text").parse(json("autoheal/webhook-key-content.json")).failure())
        .isEqualTo("missing field text (the parser's key option; autoheal's WEBHOOK_JSON_KEY)");
    Delivery neither = Deliveries.of("{\"message\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "application/json");
    assertThat(new AutohealPayloadParser().parse(neither).failure())
        .isEqualTo("missing field text, content or body; set the key option to autoheal's WEBHOOK_JSON_KEY");
  }

  @Test
  void autohealRepeatsOfTheSameNoticeGetDistinctIdsButOneDeliveryIsStable() {
    Delivery first = json("autoheal/webhook-restarted.json");
    Delivery later = first.toBuilder().receivedAt(first.receivedAt().plusSeconds(30)).build();
    AutohealPayloadParser p = new AutohealPayloadParser();
    assertThat(p.parse(first).event().id()).isEqualTo(p.parse(first).event().id())
        .isNotEqualTo(p.parse(later).event().id());
  }

  @Test
  void textThatIsNoAutohealNoticeIsAFailure() {
    Delivery d = Deliveries.of("{\"text\":\"hello\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "application/json");
    assertThat(new AutohealPayloadParser().parse(d).failure()).isEqualTo(
        "field text is not an autoheal container notice; if autoheal sends it in another key, set the key option to its WEBHOOK_JSON_KEY");
    assertThat(new DockerEventPayloadParser().parse(d).failure()).isEqualTo("missing field Action");
    assertThat(new DockerHubPayloadParser().parse(d).failure()).isEqualTo("missing field push_data");
  }
}
