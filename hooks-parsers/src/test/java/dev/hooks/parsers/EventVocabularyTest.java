package dev.hooks.parsers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.Delivery;
import dev.hooks.event.EventActions;
import dev.hooks.event.EventTypes;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every published payload under {@code src/test/resources/payloads}, with the headers its sender
 * adds, parses into an event whose type is one of {@link EventTypes} and whose action belongs to
 * that type ({@link EventActions#isValid}); CI, deployment and alert events carry a severity.
 */
class EventVocabularyTest {

  /** One payload: its path, the parser its sender's endpoint uses, the sender's headers. */
  private record Sample(String path, PayloadParser parser, String contentType, String... headers) {
    Delivery delivery() {
      byte[] body = Deliveries.resource(path);
      if (path.equals("datadog/ilert-template.json")) {
        // a Datadog template: Datadog replaces $ALERT_TRANSITION and $PRIORITY before sending
        body = new String(body, StandardCharsets.UTF_8).replace("$ALERT_TRANSITION", "Triggered")
            .replace("$PRIORITY", "P1").getBytes(StandardCharsets.UTF_8);
      }
      return Deliveries.of(body, contentType, headers);
    }

    @Override
    public String toString() {
      return path;
    }
  }

  private static final String JSON = "application/json";
  private static final Map<String, Sample> SAMPLES = new LinkedHashMap<>();

  private static void add(String path, PayloadParser parser, String... headers) {
    addAs(path, parser, JSON, headers);
  }

  private static void addAs(String path, PayloadParser parser, String contentType, String... headers) {
    SAMPLES.put(path, new Sample(path, parser, contentType, headers));
  }

  static {
    GitHubPayloadParser github = new GitHubPayloadParser();
    for (String[] f : new String[][] {
        {"check_suite-completed", "check_suite"}, {"create", "create"}, {"delete", "delete"},
        {"issues-opened", "issues"}, {"ping-with-organization", "ping"}, {"ping", "ping"},
        {"pull_request-closed", "pull_request"}, {"pull_request-opened", "pull_request"},
        {"pull_request-synchronize", "pull_request"}, {"push-forced", "push"}, {"push-tag-created", "push"},
        {"push-with-new-branch", "push"}, {"push", "push"}, {"release-created", "release"},
        {"release-published", "release"}, {"status", "status"}, {"deployment-created", "deployment"},
        {"deployment_status", "deployment_status"},
        {"workflow_job-completed.failure.with-organization", "workflow_job"},
        {"workflow_job-in_progress", "workflow_job"}, {"workflow_run-completed", "workflow_run"},
        {"workflow_run-requested", "workflow_run"}}) {
      add("github/" + f[0] + ".json", github, "X-GitHub-Event", f[1]);
    }
    GitLabPayloadParser gitlab = new GitLabPayloadParser();
    for (String f : List.of("build", "deployment", "job", "merge_request", "pipeline", "push-argocd", "push", "release",
        "tag_push")) {
      add("gitlab/" + f + ".json", gitlab);
    }
    BitbucketPayloadParser bitbucket = new BitbucketPayloadParser();
    add("bitbucket/cloud-pullrequest-approved.json", bitbucket, "X-Event-Key", "pullrequest:approved");
    add("bitbucket/cloud-pullrequest-created.json", bitbucket, "X-Event-Key", "pullrequest:created");
    add("bitbucket/cloud-pullrequest-fulfilled.json", bitbucket, "X-Event-Key", "pullrequest:fulfilled");
    for (String f : List.of("cloud-repo-push-merge", "cloud-repo-push-new-branch", "cloud-repo-push")) {
      add("bitbucket/" + f + ".json", bitbucket, "X-Event-Key", "repo:push");
    }
    for (String f : List.of("server-pr_declined", "server-pr_merged", "server-pr_open", "server-push_branch_delete",
        "server-push_tag_create", "server-repo-refs_changed")) {
      add("bitbucket/" + f + ".json", bitbucket); // Bitbucket Server names the event in the body's eventKey
    }
    GiteaPayloadParser gitea = new GiteaPayloadParser();
    add("gitea/branch_delete.json", gitea, "X-Gitea-Event", "delete");
    add("gitea/pull_request_closed.json", gitea, "X-Gitea-Event", "pull_request");
    add("gitea/pull_request_opened.json", gitea, "X-Gitea-Event", "pull_request");
    add("gitea/push.json", gitea, "X-Gitea-Event", "push");
    add("gitea/tag_create.json", gitea, "X-Gitea-Event", "create");
    add("gitea/gogs-push.json", GiteaPayloadParser.gogs(), "X-Gogs-Event", "push");
    CircleCiPayloadParser circleci = new CircleCiPayloadParser();
    add("circleci/docs-gitlab_workflow_completed.json", circleci, "Circleci-Event-Type", "workflow-completed");
    add("circleci/zulip-github_job_completed.json", circleci, "Circleci-Event-Type", "job-completed");
    add("circleci/zulip-github_workflow_completed.json", circleci, "Circleci-Event-Type", "workflow-completed");
    JenkinsPayloadParser jenkins = new JenkinsPayloadParser();
    for (String f : List.of("completed-success", "finalized-scm", "started")) {
      add("jenkins/" + f + ".json", jenkins);
    }
    DockerEventPayloadParser docker = new DockerEventPayloadParser();
    for (String f : List.of("compose-destroy", "die-137", "engine-api-create", "health_status-unhealthy",
        "image-tag-live", "image-untag-live", "kill", "start", "stop", "live-die-compose", "live-exec_start",
        "live-health_status-unhealthy")) {
      add("docker/" + f + ".json", docker);
    }
    DockerHubPayloadParser dockerhub = new DockerHubPayloadParser();
    for (String f : List.of("argocd-myorg-myimage", "karolisr-demo-webhook", "y2khub-tag_game")) {
      add("dockerhub/" + f + ".json", dockerhub);
    }
    AutohealPayloadParser autoheal = new AutohealPayloadParser();
    for (String f : List.of("apprise-restarted", "webhook-key-content", "webhook-notify-only", "webhook-restart-failed",
        "webhook-restarted")) {
      add("autoheal/" + f + ".json", autoheal);
    }
    AlertmanagerPayloadParser alertmanager = new AlertmanagerPayloadParser();
    for (String f : List.of("msteams-large_prom_post_request", "msteams-prom_post_request", "zulip-alert",
        "zulip-single_alert")) {
      add("alertmanager/" + f + ".json", alertmanager);
    }
    GrafanaPayloadParser grafana = new GrafanaPayloadParser();
    for (String f : List.of("docs-two-firing", "zulip-alert-9-mixed", "zulip-alert-9-resolved")) {
      add("grafana/" + f + ".json", grafana);
    }
    ZabbixPayloadParser zabbix = new ZabbixPayloadParser();
    for (String f : List.of("zulip-zabbix_alert", "zulip-zabbix_alert_disaster", "zulip-zabbix_ok")) {
      add("zabbix/" + f + ".json", zabbix);
    }
    UptimeKumaPayloadParser kuma = new UptimeKumaPayloadParser();
    for (String f : List.of("down-enotfound", "down-timeout", "up", "test-notification")) {
      add("uptime-kuma/" + f + ".json", kuma);
    }
    add("datadog/ilert-template.json", PayloadParsers.forProvider("datadog"));
    SupervisorPayloadParser supervisor = new SupervisorPayloadParser();
    for (String f : List.of("superhooks-fatal.form", "superhooks-readme-exited.form", "superhooks-running.form")) {
      addAs("supervisor/" + f, supervisor, "application/x-www-form-urlencoded");
    }
    for (String f : List.of("listener-exited.txt", "listener-running.txt")) {
      addAs("supervisor/" + f, supervisor, "text/plain");
    }
  }

  static Stream<Arguments> samples() {
    return SAMPLES.values().stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void everyPublishedPayloadSpeaksTheVocabulary(Sample sample) {
    ParseResult r = sample.parser().parse(sample.delivery());
    assertThat(r.failure()).as(sample.path()).isEmpty();
    WebhookEvent e = r.event();
    assertThat(EventTypes.ALL).as(sample.path() + " type").contains(e.type());
    assertThat(e.type()).as(sample.path()).isNotEqualTo(EventTypes.CUSTOM);
    assertThat(EventActions.isValid(e.type(), e.action().orElse(null)))
        .as(sample.path() + ": action " + e.action().orElse("(none)") + " of type " + e.type()).isTrue();
    if (Set.of(EventTypes.CI_PIPELINE, EventTypes.CI_JOB, EventTypes.COMMIT_STATUS, EventTypes.DEPLOYMENT,
        EventTypes.CONTAINER).contains(e.type())) {
      assertThat(e.severity()).as(sample.path() + " severity").isNotEqualTo(Severity.UNKNOWN);
      assertThat(e.status()).as(sample.path() + " keeps the raw status").isPresent();
    }
    // the same delivery through the detecting parser lands in the same vocabulary
    ParseResult detected = PayloadParsers.detecting().parse(sample.delivery());
    if (detected.isOk() && !detected.event().provider().equals("generic")) {
      assertThat(detected.event().type()).as(sample.path() + " detected").isEqualTo(e.type());
    }
  }

  @Test
  void everyPayloadFileIsInTheTable() throws IOException, URISyntaxException {
    Path root = Paths.get(EventVocabularyTest.class.getResource("/payloads").toURI());
    Set<String> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.endsWith("README.md")).collect(Collectors.toCollection(java.util.TreeSet::new));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(files);
  }
}
