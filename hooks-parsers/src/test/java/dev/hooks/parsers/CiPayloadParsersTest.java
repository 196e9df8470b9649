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
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** CircleCI and Jenkins; GitHub Actions and GitLab CI are in their providers' tests. */
class CiPayloadParsersTest {
  private static final String WORKFLOW_URL =
      "https://app.circleci.com/pipelines/github/zulip-testing/circleci-webhook-test/4/workflows/7381218b-d04c-4aa3-b8b8-8c00a9319d1f";

  @Test
  void circleCiWorkflowCompleted() {
    WebhookEvent e = new CircleCiPayloadParser().parse(json("circleci/zulip-github_workflow_completed.json",
        "Circleci-Event-Type", "workflow-completed")).event();
    assertThat(fields(e)).isEqualTo(expected("630a6132-5bf1-3600-b26d-a020d41358f9", "circleci", "ci.pipeline",
        "action", "succeeded", "sourceEvent", "workflow-completed", "repository", "zulip-testing/circleci-webhook-test",
        "branch", "main", "commit", "a5e30a908224e46626a796d058289475f6d387b5", "actor", "Hari Prashant Bhimaraju",
        "url", WORKFLOW_URL, "subject", "sample", "status", "success", "severity", "OK",
        "occurredAt", "2022-09-20T12:54:38.733348Z"));
    assertThat(e.attributes()).isEqualTo(attrs("pipeline_number", "4",
        "project_slug", "github/zulip-testing/circleci-webhook-test",
        "workflow_id", "7381218b-d04c-4aa3-b8b8-8c00a9319d1f", "vcs_provider", "github",
        "commit_title", ".circleci: Update Webhook URL."));
  }

  @Test
  void circleCiJobCompletedWithoutTheHeader() {
    WebhookEvent e = new CircleCiPayloadParser().parse(json("circleci/zulip-github_job_completed.json")).event();
    assertThat(fields(e)).isEqualTo(expected("e7346c18-44cb-331d-9d45-698a38edb2e0", "circleci", "ci.job",
        "action", "succeeded", "sourceEvent", "job-completed", "repository", "zulip-testing/circleci-webhook-test",
        "branch", "main", "commit", "a5e30a908224e46626a796d058289475f6d387b5", "actor", "Hari Prashant Bhimaraju",
        "url", WORKFLOW_URL, "subject", "build-and-test", "status", "success", "severity", "OK",
        "occurredAt", "2022-09-20T12:54:38.685719Z"));
    assertThat(e.attribute("job_number")).contains("6");
  }

  @Test
  void jenkinsCompletedAndFinalizedBuildsNameJobAndNumberAndTheRepositoryOfTheScm() {
    Delivery d = json("jenkins/completed-success.json");
    WebhookEvent done = new JenkinsPayloadParser().parse(d).event();
    assertThat(fields(done)).isEqualTo(expected(DeliveryIds.contentHash(d), "jenkins", "ci.pipeline",
        "action", "succeeded", "sourceEvent", "COMPLETED", "subject", "O.O.trunk #6768",
        "url", "http://jenkins/job/O.O.trunk/6768/", "status", "SUCCESS", "severity", "OK"));
    assertThat(done.attributes()).isEqualTo(attrs("job_name", "O.O.trunk", "build_number", "6768", "phase", "COMPLETED"));

    Delivery f = json("jenkins/finalized-scm.json");
    WebhookEvent fin = new JenkinsPayloadParser().parse(f).event();
    // repository from build.scm.url (git@github.com:site/site.git)
    assertThat(fields(fin)).isEqualTo(expected(DeliveryIds.contentHash(f), "jenkins", "ci.pipeline",
        "action", "succeeded", "sourceEvent", "FINALIZED", "repository", "site/site", "branch", "1234-my_new_branch",
        "commit", "0a25598effcddb79a437806718e7bcdb92a66e0d", "subject", "something-unittests #6173",
        "url", "http://jenkins.example.com/job/something-unittests/6173/", "status", "SUCCESS", "severity", "OK"));
    assertThat(fin.attributes()).isEqualTo(attrs("job_name", "something-unittests", "build_number", "6173",
        "phase", "FINALIZED", "scm_url", "git@github.com:site/site.git"));
  }

  @Test
  void jenkinsStartedBuildIsStartedWhateverItsStatusSays() throws Exception {
    // the STARTED notification of projectmonitor's controller spec (vmware-archive/projectmonitor
    // spec/controllers/status_controller_spec.rb); no status: the build runs
    Delivery d = json("jenkins/started.json");
    WebhookEvent started = new JenkinsPayloadParser().parse(d).event();
    assertThat(fields(started)).isEqualTo(expected(DeliveryIds.contentHash(d), "jenkins", "ci.pipeline",
        "action", "started", "sourceEvent", "STARTED", "subject", "projectmonitor_ci_test #7", "status", "STARTED",
        "severity", "INFO"));
    // the plugin reports run.getResult() in build.status; a pipeline may have set it before the
    // build ends, and it is then not this build's result
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) dev.hooks.parsers.internal.Json.read(
        Deliveries.resource("jenkins/started.json"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("build")).put("status", "FAILURE");
    WebhookEvent withStatus = new JenkinsPayloadParser().parse(Deliveries.of(
        tree.toString().getBytes(StandardCharsets.UTF_8), "application/json")).event();
    assertThat(withStatus.action()).contains("started");
    assertThat(withStatus.status()).contains("STARTED");
    assertThat(withStatus.severity().name()).isEqualTo("INFO");
  }

  @Test
  void jenkinsUnstableIsFailedWithAWarning() {
    Delivery d = Deliveries.of(new String(Deliveries.resource("jenkins/completed-success.json"), StandardCharsets.UTF_8)
        .replace("\"SUCCESS\"", "\"UNSTABLE\"").getBytes(StandardCharsets.UTF_8), "application/json");
    WebhookEvent e = new JenkinsPayloadParser().parse(d).event();
    assertThat(e.action()).contains("failed");
    assertThat(e.status()).contains("UNSTABLE");
    assertThat(e.severity().name()).isEqualTo("WARNING");
  }

  @Test
  void circleCiPipelineOfAGitLabProjectTakesItsCodeFromTheTriggerParameters() {
    // CircleCI's outbound webhooks reference, "workflow-completed for GitLab, GitHub App and
    // Bitbucket Data Center" (circleci/circleci-docs outbound-webhooks-reference.adoc): no vcs
    // block, an opaque project slug
    Delivery d = json("circleci/docs-gitlab_workflow_completed.json", "Circleci-Event-Type", "workflow-completed");
    WebhookEvent e = new CircleCiPayloadParser().parse(d).event();
    assertThat(fields(e)).isEqualTo(expected("cbabbb40-6084-4f91-8311-a326c0f4963a", "circleci", "ci.pipeline",
        "action", "failed", "sourceEvent", "workflow-completed", "repository", "circleci/hello-world",
        "branch", "main", "commit", "850a1519f25d14e968649cc420d1bd381715c05c", "actor", "username",
        "url", "https://app.circleci.com/pipelines/circleci/DdaVtNusHqi24D4YT3X4eu/6EkDPZoN4ZdMKKZtBkRodt/1/workflows/"
            + "c2006ece-778d-49fc-9e6e-b9965f72bee9",
        "subject", "build", "status", "failed", "severity", "ERROR", "occurredAt", "2022-05-27T16:20:13.954328Z"));
    assertThat(e.attribute("vcs_provider")).contains("gitlab");
    assertThat(e.attribute("commit_title")).contains("Update README.md");
    assertThat(e.attribute("project_slug")).contains("circleci/DdaVtNusHqi24D4YT3X4eu/6EkDPZoN4ZdMKKZtBkRodt");
  }

  @Test
  void badCiBodiesAreFailures() {
    Delivery d = Deliveries.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json");
    ParseResult circle = new CircleCiPayloadParser().parse(d);
    assertThat(circle.failure()).isEqualTo("missing field type");
    assertThat(new JenkinsPayloadParser().parse(d).failure()).isEqualTo("missing field build");
  }
}
