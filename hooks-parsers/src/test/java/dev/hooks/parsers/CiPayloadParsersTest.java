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
    assertThat(fields(e)).isEqualTo(expected("630a6132-5bf1-3600-b26d-a020d41358f9", "circleci", "workflow",
        "action", "succeeded", "sourceEvent", "workflow-completed", "repository", "zulip-testing/circleci-webhook-test",
        "branch", "main", "commit", "a5e30a908224e46626a796d058289475f6d387b5", "actor", "Hari Prashant Bhimaraju",
        "url", WORKFLOW_URL, "subject", "sample", "status", "success", "severity", "OK",
        "occurredAt", "2022-09-20T12:54:38.733348Z"));
    assertThat(e.attributes()).isEqualTo(attrs("pipeline_number", "4",
        "project_slug", "github/zulip-testing/circleci-webhook-test",
        "workflow_id", "7381218b-d04c-4aa3-b8b8-8c00a9319d1f", "vcs_provider", "github"));
  }

  @Test
  void circleCiJobCompletedWithoutTheHeader() {
    WebhookEvent e = new CircleCiPayloadParser().parse(json("circleci/zulip-github_job_completed.json")).event();
    assertThat(fields(e)).isEqualTo(expected("e7346c18-44cb-331d-9d45-698a38edb2e0", "circleci", "job",
        "action", "succeeded", "sourceEvent", "job-completed", "repository", "zulip-testing/circleci-webhook-test",
        "branch", "main", "commit", "a5e30a908224e46626a796d058289475f6d387b5", "actor", "Hari Prashant Bhimaraju",
        "url", WORKFLOW_URL, "subject", "build-and-test", "status", "success", "severity", "OK",
        "occurredAt", "2022-09-20T12:54:38.685719Z"));
    assertThat(e.attribute("job_number")).contains("6");
  }

  @Test
  void jenkinsCompletedAndFinalizedBuilds() {
    Delivery d = json("jenkins/completed-success.json");
    WebhookEvent done = new JenkinsPayloadParser().parse(d).event();
    assertThat(fields(done)).isEqualTo(expected(DeliveryIds.contentHash(d), "jenkins", "build",
        "action", "succeeded", "sourceEvent", "COMPLETED", "subject", "O.O.trunk",
        "url", "http://jenkins/job/O.O.trunk/6768/", "status", "SUCCESS", "severity", "OK"));
    assertThat(done.attributes()).isEqualTo(attrs("build_number", "6768", "phase", "COMPLETED"));

    Delivery f = json("jenkins/finalized-scm.json");
    WebhookEvent fin = new JenkinsPayloadParser().parse(f).event();
    assertThat(fields(fin)).isEqualTo(expected(DeliveryIds.contentHash(f), "jenkins", "build",
        "action", "succeeded", "sourceEvent", "FINALIZED", "branch", "1234-my_new_branch",
        "commit", "0a25598effcddb79a437806718e7bcdb92a66e0d", "subject", "something-unittests",
        "url", "http://jenkins.example.com/job/something-unittests/6173/", "status", "SUCCESS", "severity", "OK"));
    assertThat(fin.attributes()).isEqualTo(attrs("build_number", "6173", "phase", "FINALIZED",
        "scm_url", "git@github.com:site/site.git"));
  }

  @Test
  void badCiBodiesAreFailures() {
    Delivery d = Deliveries.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json");
    ParseResult circle = new CircleCiPayloadParser().parse(d);
    assertThat(circle.failure()).isEqualTo("missing field type");
    assertThat(new JenkinsPayloadParser().parse(d).failure()).isEqualTo("missing field build");
  }
}
