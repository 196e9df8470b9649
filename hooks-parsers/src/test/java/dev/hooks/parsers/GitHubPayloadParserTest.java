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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GitHubPayloadParserTest {
  private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
  private final GitHubPayloadParser parser = new GitHubPayloadParser();

  private WebhookEvent parse(String file, String event) {
    ParseResult r = parser.parse(json("github/" + file, "X-GitHub-Event", event, "X-GitHub-Delivery", DELIVERY));
    assertThat(r.failure()).isEmpty();
    return r.event();
  }

  @Test
  void newBranchPushIsAPushCreatedWithOneCommit() {
    WebhookEvent e = parse("push-with-new-branch.json", "push");
    assertThat(fields(e)).isEqualTo(expected(DELIVERY, "github", "push",
        "action", "created", "sourceEvent", "push", "repository", "Codertocat/Hello-World",
        "branch", "master", "commit", "6113728f27ae82c7b1a177c8d03f9e96e0adf246", "actor", "Codertocat",
        "url", "https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        "subject", "Initial commit", "severity", "INFO", "occurredAt", "2019-05-15T15:19:25Z"));
    assertThat(e.attributes()).isEqualTo(attrs("ref", "refs/heads/master", "created", "true", "deleted", "false",
        "forced", "false", "commit_count", "1", "before", "0000000000000000000000000000000000000000",
        "after", "6113728f27ae82c7b1a177c8d03f9e96e0adf246", "pusher", "Codertocat"));
    assertThat(e.payload().path("commits").size()).isEqualTo(1);
  }

  @Test
  void forcedPushIsAPushForced() {
    WebhookEvent e = parse("push-forced.json", "push");
    assertThat(fields(e)).isEqualTo(expected(DELIVERY, "github", "push",
        "action", "forced", "sourceEvent", "push", "repository", "jessesuen/test-repo",
        "branch", "master", "commit", "63738bb582c8b540af7bcfc18f87c575c3ed66e0", "actor", "jessesuen",
        "url", "https://github.com/jessesuen/test-repo/compare/d5c1ffa8e294...63738bb582c8",
        "subject", "Add staging-argocd-demo environment", "severity", "INFO", "occurredAt", "2018-05-04T22:40:02Z"));
    assertThat(e.attributes()).isEqualTo(attrs("ref", "refs/heads/master", "created", "false", "deleted", "false",
        "forced", "true", "commit_count", "1", "before", "d5c1ffa8e294bc18c639bfb4e0df499251034414",
        "after", "63738bb582c8b540af7bcfc18f87c575c3ed66e0", "pusher", "jessesuen"));
  }

  @Test
  void pushedTagIsATagCreatedWithZeroCommits() {
    WebhookEvent e = parse("push-tag-created.json", "push");
    assertThat(fields(e)).isEqualTo(expected(DELIVERY, "github", "tag",
        "action", "created", "sourceEvent", "push", "repository", "jessesuen/test-repo",
        "tag", "v1.0", "commit", "63738bb582c8b540af7bcfc18f87c575c3ed66e0", "actor", "jessesuen",
        "url", "https://github.com/jessesuen/test-repo/compare/v1.0",
        "subject", "Add staging-argocd-demo environment", "severity", "INFO", "occurredAt", "2018-05-04T22:40:02Z"));
    assertThat(e.attributes()).containsEntry("commit_count", "0").containsEntry("created", "true")
        .containsEntry("forced", "false");
  }

  @Test
  void deletedTagIsATagDeletedWithoutCommit() {
    WebhookEvent e = parse("push.json", "push");
    assertThat(fields(e)).isEqualTo(expected(DELIVERY, "github", "tag",
        "action", "deleted", "sourceEvent", "push", "repository", "Codertocat/Hello-World",
        "tag", "simple-tag", "actor", "Codertocat",
        "url", "https://github.com/Codertocat/Hello-World/compare/6113728f27ae...000000000000",
        "severity", "INFO", "occurredAt", "2019-05-15T15:20:57Z"));
    assertThat(e.attributes()).isEqualTo(attrs("ref", "refs/tags/simple-tag", "created", "false", "deleted", "true",
        "forced", "false", "commit_count", "0", "before", "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        "after", "0000000000000000000000000000000000000000", "pusher", "Codertocat"));
  }

  @Test
  void pingOfARepositoryHookAndOfAnOrganizationHook() {
    WebhookEvent repo = parse("ping.json", "ping");
    assertThat(fields(repo)).isEqualTo(expected(DELIVERY, "github", "ping",
        "sourceEvent", "ping", "repository", "Octocoders/Hello-World", "actor", "Codertocat",
        "url", "https://github.com/Octocoders/Hello-World", "severity", "INFO", "occurredAt", "2019-05-15T15:20:49Z"));
    assertThat(repo.attributes()).isEqualTo(attrs("hook_id", "109948940", "hook_type", "Repository",
        "zen", "Anything added dilutes everything else."));

    WebhookEvent org = parse("ping-with-organization.json", "ping");
    assertThat(fields(org)).isEqualTo(expected(DELIVERY, "github", "ping",
        "sourceEvent", "ping", "actor", "Codertocat", "severity", "INFO", "occurredAt", "2020-12-06T00:30:50Z"));
    assertThat(org.attributes()).containsEntry("hook_type", "Organization");
  }

  @Test
  void pullRequestKeepsItsActionHeadBranchAndCommit() {
    for (String[] c : new String[][] {
        {"pull_request-opened.json", "opened", "open", "2019-05-15T15:20:33Z", null},
        // GitHub's synchronize (new commits) is the vocabulary's updated; its word stays in source_action
        {"pull_request-synchronize.json", "updated", "open", "2019-05-15T15:20:33Z", "synchronize"},
        {"pull_request-closed.json", "closed", "closed", "2019-05-15T15:21:18Z", null}}) {
      WebhookEvent e = parse(c[0], "pull_request");
      assertThat(fields(e)).as(c[0]).isEqualTo(expected(DELIVERY, "github", "pull_request",
          "action", c[1], "sourceEvent", "pull_request", "repository", "Codertocat/Hello-World",
          "branch", "changes", "commit", "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "actor", "Codertocat",
          "url", "https://github.com/Codertocat/Hello-World/pull/2", "subject", "Update the README with new information.",
          "status", c[2], "severity", "INFO", "occurredAt", c[3]));
      assertThat(e.attribute("source_action")).as(c[0]).isEqualTo(java.util.Optional.ofNullable(c[4]));
      assertThat(e.attribute("title")).as(c[0]).contains("Update the README with new information.");
      assertThat(e.attribute("base_branch")).as(c[0]).contains("master");
    }
  }

  @Test
  void closedAndMergedPullRequestIsMerged() throws Exception {
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) dev.hooks.parsers.internal.Json.read(
        Deliveries.resource("github/pull_request-closed.json"));
    // the published closed example is an unmerged close; GitHub marks a merge with merged: true
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("pull_request")).put("merged", true);
    Delivery d = Deliveries.of(tree.toString().getBytes(StandardCharsets.UTF_8), "application/json",
        "X-GitHub-Event", "pull_request");
    WebhookEvent e = parser.parse(d).event();
    assertThat(e.action()).contains("merged");
    assertThat(e.attribute("merged")).contains("true");
  }

  @Test
  void releaseCarriesItsTag() {
    for (String action : new String[] {"created", "published"}) {
      WebhookEvent e = parse("release-" + action + ".json", "release");
      assertThat(fields(e)).isEqualTo(expected(DELIVERY, "github", "release",
          "action", action, "sourceEvent", "release", "repository", "Codertocat/Hello-World", "tag", "0.0.1",
          "actor", "Codertocat", "url", "https://github.com/Codertocat/Hello-World/releases/tag/0.0.1",
          "subject", "0.0.1", "severity", "INFO", "occurredAt", "2019-05-15T15:20:53Z"));
      assertThat(e.attributes()).isEqualTo(attrs("target_commitish", "master", "draft", "false",
          "prerelease", "false"));
    }
  }

  @Test
  void completedSuccessfulWorkflowRunSucceeded() {
    WebhookEvent e = parse("workflow_run-completed.json", "workflow_run");
    assertThat(fields(e)).isEqualTo(expected(DELIVERY, "github", "ci.pipeline",
        "action", "succeeded", "sourceEvent", "workflow_run", "repository", "octo-org/octo-repo",
        "branch", "master", "commit", "3484a3fb816e0859fd6e1cea078d76385ff50625", "actor", "Codertocat",
        "url", "https://github.com/octo-org/octo-repo/actions/runs/289782451", "subject", "test",
        "status", "success", "severity", "OK", "occurredAt", "2020-10-05T16:33:49Z"));
    assertThat(e.attributes()).isEqualTo(attrs("run_id", "289782451", "run_number", "163", "run_attempt", "1",
        "trigger", "repository_dispatch", "conclusion", "success"));
  }

  @Test
  void requestedWorkflowRunIsQueued() {
    WebhookEvent e = parse("workflow_run-requested.json", "workflow_run");
    assertThat(e.action()).contains("queued");
    assertThat(e.status()).contains("queued");
    assertThat(e.severity().name()).isEqualTo("INFO");
    assertThat(e.occurredAt()).hasValue(java.time.Instant.parse("2020-10-05T16:33:24Z"));
  }

  @Test
  void failedWorkflowJobFailedAndInProgressJobStarted() {
    WebhookEvent failed = parse("workflow_job-completed.failure.with-organization.json", "workflow_job");
    assertThat(fields(failed)).isEqualTo(expected(DELIVERY, "github", "ci.job",
        "action", "failed", "sourceEvent", "workflow_job", "repository", "Codertocat/Hello-World",
        "branch", "main", "commit", "3484a3fb816e0859fd6e1cea078d76385ff50625", "actor", "Codertocat",
        "url", "https://github.com/octo-org/octo-repo/runs/1291536064", "subject", "linters",
        "status", "failure", "severity", "ERROR", "occurredAt", "2021-08-05T10:38:16Z"));
    assertThat(failed.attributes()).isEqualTo(attrs("job_id", "289782451", "run_id", "2202229078",
        "workflow_name", "CodeQL", "runner_name", "GitHub Actions 5", "conclusion", "failure"));

    WebhookEvent running = parse("workflow_job-in_progress.json", "workflow_job");
    assertThat(running.action()).contains("started");
    assertThat(running.subject()).contains("Analyze (javascript)");
    assertThat(running.occurredAt()).hasValue(java.time.Instant.parse("2021-09-13T02:21:13Z"));
  }

  @Test
  void checkSuiteIsAPipelineAndStatusACommitStatus() {
    WebhookEvent suite = parse("check_suite-completed.json", "check_suite");
    assertThat(fields(suite)).isEqualTo(expected(DELIVERY, "github", "ci.pipeline",
        "action", "succeeded", "sourceEvent", "check_suite", "repository", "Codertocat/Hello-World",
        "branch", "changes", "commit", "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "actor", "Codertocat",
        "subject", "octocoders-linter", "status", "success", "severity", "OK", "occurredAt", "2019-05-15T15:21:14Z"));

    WebhookEvent status = parse("status.json", "status");
    assertThat(fields(status)).isEqualTo(expected(DELIVERY, "github", "commit_status",
        "action", "succeeded", "sourceEvent", "status", "repository", "Codertocat/Hello-World",
        "commit", "6113728f27ae82c7b1a177c8d03f9e96e0adf246", "actor", "Codertocat",
        "subject", "default", "status", "success", "severity", "OK", "occurredAt", "2019-05-15T15:20:55Z"));
  }

  @Test
  void deploymentIsQueuedAndItsSuccessfulStatusSucceeded() {
    WebhookEvent created = parse("deployment-created.json", "deployment");
    assertThat(fields(created)).isEqualTo(expected(DELIVERY, "github", "deployment",
        "action", "queued", "sourceEvent", "deployment", "repository", "Codertocat/Hello-World", "branch", "master",
        "commit", "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", "actor", "Codertocat", "subject", "production",
        "status", "created", "severity", "INFO", "occurredAt", "2019-05-15T15:20:53Z"));
    WebhookEvent status = parse("deployment_status.json", "deployment_status");
    assertThat(fields(status)).isEqualTo(expected(DELIVERY, "github", "deployment",
        "action", "succeeded", "sourceEvent", "deployment_status", "repository", "Codertocat/Hello-World",
        "branch", "master", "commit", "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", "actor", "Codertocat",
        "subject", "production", "status", "success", "severity", "OK", "occurredAt", "2019-05-15T15:20:55Z"));
    assertThat(status.attributes()).isEqualTo(attrs("deployment_id", "145988746", "environment", "production",
        "task", "deploy", "ref", "master"));
  }

  @Test
  void createAndDeleteOfATag() {
    WebhookEvent created = parse("create.json", "create");
    assertThat(fields(created)).isEqualTo(expected(DELIVERY, "github", "tag",
        "action", "created", "sourceEvent", "create", "repository", "Codertocat/Hello-World",
        "tag", "simple-tag", "actor", "Codertocat", "severity", "INFO"));
    assertThat(created.attributes()).isEqualTo(attrs("ref_type", "tag", "master_branch", "master"));
    WebhookEvent deleted = parse("delete.json", "delete");
    assertThat(deleted.action()).contains("deleted");
    assertThat(deleted.tag()).contains("simple-tag");
  }

  @Test
  void openedIssue() {
    WebhookEvent e = parse("issues-opened.json", "issues");
    assertThat(fields(e)).isEqualTo(expected(DELIVERY, "github", "issue",
        "action", "opened", "sourceEvent", "issues", "repository", "Codertocat/Hello-World",
        "actor", "Codertocat", "url", "https://github.com/Codertocat/Hello-World/issues/1",
        "subject", "Spelling error in the README file", "status", "open", "severity", "INFO", "occurredAt", "2019-05-15T15:20:18Z"));
    assertThat(e.attributes()).isEqualTo(attrs("number", "1", "title", "Spelling error in the README file"));
  }

  @Test
  void formEncodedPayloadParsesLikeJson() {
    byte[] json = Deliveries.resource("github/push-with-new-branch.json");
    byte[] form = ("payload=" + URLEncoder.encode(new String(json, StandardCharsets.UTF_8), StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
    Delivery d = Deliveries.of(form, "application/x-www-form-urlencoded", "X-GitHub-Event", "push",
        "X-GitHub-Delivery", DELIVERY);
    WebhookEvent fromForm = parser.parse(d).event();
    WebhookEvent fromJson = parse("push-with-new-branch.json", "push");
    assertThat(fields(fromForm)).isEqualTo(fields(fromJson));
    assertThat(fromForm.attributes()).isEqualTo(fromJson.attributes());
    assertThat(parser.mediaTypes()).containsExactlyInAnyOrder("application/json", "application/x-www-form-urlencoded");
  }

  @Test
  void withoutDeliveryHeaderTheIdIsTheContentHashAndStable() {
    Delivery d = Deliveries.json("github/push-forced.json", "X-GitHub-Event", "push");
    WebhookEvent first = parser.parse(d).event();
    assertThat(first.id()).isEqualTo(DeliveryIds.contentHash(d)).startsWith("sha256:");
    assertThat(fields(parser.parse(d).event())).isEqualTo(fields(first));
  }

  @Test
  void unknownEventIsCustomWithItsAction() {
    WebhookEvent e = parse("issues-opened.json", "issue_comment");
    assertThat(e.type()).isEqualTo("custom");
    assertThat(e.action()).contains("opened");
    assertThat(e.sourceEvent()).contains("issue_comment");
  }

  @Test
  void badInputIsAFailureThatNamesIt() {
    assertThat(parser.parse(Deliveries.json("github/push.json")).failure()).isEqualTo("missing header X-GitHub-Event");
    assertThat(parser.parse(Deliveries.of("{\"ref\":".getBytes(StandardCharsets.UTF_8), "application/json",
        "X-GitHub-Event", "push")).failure()).startsWith("body is not JSON");
    assertThat(parser.parse(Deliveries.of("{}".getBytes(StandardCharsets.UTF_8), "application/json",
        "X-GitHub-Event", "push")).failure()).isEqualTo("missing field ref");
    assertThat(parser.parse(Deliveries.of("[1]".getBytes(StandardCharsets.UTF_8), "application/json",
        "X-GitHub-Event", "push")).failure()).isEqualTo("body is not a JSON object");
    assertThat(parser.parse(Deliveries.of("a=b".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded",
        "X-GitHub-Event", "push")).failure()).isEqualTo("form body has no payload field");
    assertThat(parser.parse(Deliveries.of(new byte[0], "application/json", "X-GitHub-Event", "push")).failure())
        .isEqualTo("body is empty");
    assertThat(parser.parse(Deliveries.of("{\"ref\":1} x".getBytes(StandardCharsets.UTF_8), "application/json",
        "X-GitHub-Event", "push")).failure()).startsWith("body is not JSON");
  }
}
