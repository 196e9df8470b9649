package dev.hooks.parsers;

import static dev.hooks.parsers.Deliveries.attrs;
import static dev.hooks.parsers.Deliveries.expected;
import static dev.hooks.parsers.Deliveries.fields;
import static dev.hooks.parsers.Deliveries.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.ParseResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GitLabPayloadParserTest {
  private static final String UUID = "13792a34-cac6-4fda-95a8-c58e00a3954e";
  private final GitLabPayloadParser parser = new GitLabPayloadParser();

  private WebhookEvent parse(String file, String header) {
    ParseResult r = parser.parse(json("gitlab/" + file, "X-Gitlab-Event", header, "X-Gitlab-Event-UUID", UUID));
    assertThat(r.failure()).isEmpty();
    return r.event();
  }

  @Test
  void pushToABranch() {
    WebhookEvent e = parse("push.json", "Push Hook");
    assertThat(fields(e)).isEqualTo(expected(UUID, "gitlab", "push", "subject", "fixed readme",
        "sourceEvent", "Push Hook", "repository", "mike/diaspora", "branch", "master",
        "commit", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "actor", "jsmith",
        "url", "http://example.com/mike/diaspora/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
        "severity", "INFO", "occurredAt", "2012-01-03T21:36:29Z"));
    assertThat(e.attributes()).isEqualTo(attrs("ref", "refs/heads/master", "created", "false", "deleted", "false",
        "commit_count", "4", "before", "95790bf891e76fee5e1747ab589903a6a1f80f22",
        "after", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "pusher", "John Smith"));
  }

  @Test
  void pushCapturedFromGitLabCom() {
    WebhookEvent e = parse("push-argocd.json", "Push Hook");
    assertThat(fields(e)).isEqualTo(expected(UUID, "gitlab", "push", "subject", "Test commit message",
        "sourceEvent", "Push Hook", "repository", "group/name", "branch", "master",
        "commit", "bb0748feaa336d841c251017e4e374c22d0c8a98", "actor", "username",
        "url", "https://gitlab.com/group/name/commit/bb0748feaa336d841c251017e4e374c22d0c8a98",
        "severity", "INFO", "occurredAt", "2020-01-06T03:47:55Z"));
    assertThat(e.attribute("commit_count")).contains("1");
  }

  @Test
  void newTagIsATagCreated() {
    WebhookEvent e = parse("tag_push.json", "Tag Push Hook");
    assertThat(fields(e)).isEqualTo(expected(UUID, "gitlab", "tag", "subject", "Merge branch 'some-feature' into 'master'",
        "action", "created", "sourceEvent", "Tag Push Hook", "repository", "jsmith/example", "tag", "v1.0.0",
        "commit", "82b3d5ae55f7080f1e6022629cdb57bfae7cccc7", "actor", "jsmith",
        "url", "http://example.com/jsmith/example/commit/82b3d5ae55f7080f1e6022629cdb57bfae7cccc7",
        "severity", "INFO", "occurredAt", "2012-01-03T21:36:29Z"));
    assertThat(e.attributes()).containsEntry("created", "true").containsEntry("commit_count", "1");
  }

  @Test
  void openedMergeRequestIsAnOpenedPullRequest() {
    WebhookEvent e = parse("merge_request.json", "Merge Request Hook");
    assertThat(fields(e)).isEqualTo(expected(UUID, "gitlab", "pull_request", "subject", "MS-Viewport",
        "action", "opened", "sourceEvent", "Merge Request Hook", "repository", "gitlabhq/gitlab-test",
        "branch", "ms-viewport", "commit", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "actor", "user1",
        "url", "http://example.com/diaspora/merge_requests/1", "status", "opened",
        "severity", "INFO", "occurredAt", "2013-12-03T17:23:34Z"));
    assertThat(e.attributes()).isEqualTo(attrs("number", "1", "title", "MS-Viewport", "base_branch", "master",
        "merge_status", "unchecked"));
  }

  @Test
  void successfulPipelineSucceeded() {
    WebhookEvent e = parse("pipeline.json", "Pipeline Hook");
    assertThat(fields(e)).isEqualTo(expected(UUID, "gitlab", "ci.pipeline",
        "action", "succeeded", "sourceEvent", "Pipeline Hook", "repository", "gitlab-org/gitlab-test",
        "branch", "master", "commit", "bcbb5ec396a2c0f828686f14fac9b80b780504f2", "actor", "user1",
        "status", "success", "severity", "OK", "occurredAt", "2016-08-12T15:26:29Z"));
    assertThat(e.attributes()).isEqualTo(attrs("pipeline_id", "31", "source", "merge_request_event",
        "detailed_status", "passed", "duration", "63", "merge_request", "1"));
  }

  @Test
  void jobEventsOfTwoGitLabVersions() {
    WebhookEvent done = parse("job.json", "Job Hook");
    assertThat(fields(done)).isEqualTo(expected(UUID, "gitlab", "ci.job",
        "action", "succeeded", "sourceEvent", "Job Hook", "repository", "jsmithy2/release-tools-fake",
        "branch", "main", "commit", "95d49d1efbd941908580e79d65e4b5ecaf4a8305", "actor", "jsmithy2",
        "url", "https://gitlab.com/jsmithy2/release-tools-fake/-/jobs/3580121225", "subject", "auto_deploy:start",
        "status", "success", "severity", "OK", "occurredAt", "2023-01-10T13:50:54Z"));
    assertThat(done.attributes()).isEqualTo(attrs("job_id", "3580121225", "pipeline_id", "743121198",
        "stage", "coordinated:tag", "environment", "production"));

    WebhookEvent created = parse("build.json", "Job Hook");
    assertThat(fields(created)).isEqualTo(expected(UUID, "gitlab", "ci.job",
        "action", "queued", "sourceEvent", "Job Hook", "repository", "gitlab-org/gitlab-test",
        "branch", "gitlab-script-trigger", "commit", "2293ada6b400935a1378653304eaf6221e0fdb8f", "actor", "user1",
        "url", "http://192.168.64.1:3005/gitlab-org/gitlab-test/-/jobs/1977", "subject", "test",
        "status", "created", "severity", "INFO", "occurredAt", "2021-02-23T02:41:37.886Z"));
  }

  @Test
  void successfulDeployment() {
    WebhookEvent e = parse("deployment.json", "Deployment Hook");
    assertThat(fields(e)).isEqualTo(expected(UUID, "gitlab", "deployment",
        "action", "succeeded", "sourceEvent", "Deployment Hook", "repository", "root/test-deployment-webhooks",
        "commit", "279484c09fbe69ededfced8c1bb6e6d24616b468", "actor", "user1",
        "url", "http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796", "subject", "staging",
        "status", "success", "severity", "OK", "occurredAt", "2021-04-28T19:50:00Z"));
    assertThat(e.attributes()).isEqualTo(attrs("deployment_id", "15", "environment", "staging", "ref", "1.0.0",
        "commit_title", "Add new file"));
  }

  @Test
  void createdRelease() {
    WebhookEvent e = parse("release.json", "Release Hook");
    assertThat(fields(e)).isEqualTo(expected(UUID, "gitlab", "release", "subject", "1.0.0",
        "action", "created", "sourceEvent", "Release Hook", "repository", "exm-namespace/example-project",
        "tag", "1.0.0", "commit", "2626dbdb936782b5c54816b1c6d45b1279303c6d",
        "url", "http://example.com/exm-namespace/example-project/-/releases/1.0.0",
        "severity", "INFO", "occurredAt", "2021-02-25T21:23:34Z"));
    assertThat(e.attributes()).isEqualTo(attrs("name", "1.0.0"));
  }

  @Test
  void withoutHeaderTheKindComesFromTheBody() {
    WebhookEvent e = parser.parse(json("gitlab/push.json")).event();
    assertThat(e.sourceEvent()).contains("push");
    assertThat(e.id()).startsWith("sha256:");
  }

  @Test
  void bodyWithoutObjectKindIsAFailure() {
    ParseResult r = parser.parse(Deliveries.of("{\"ref\":\"x\"}".getBytes(StandardCharsets.UTF_8), "application/json"));
    assertThat(r.failure()).isEqualTo("missing field object_kind");
  }

  @Test
  void actorFallsBackOnTheDisplayNameWhenThereIsNoUsername() throws Exception {
    // GitLab's documented tag push (tag_push.json) and job event (job.json) with the username
    // removed: a sender that leaves it out still gets an actor
    var tag = (com.fasterxml.jackson.databind.node.ObjectNode) dev.hooks.parsers.internal.Json.read(
        Deliveries.resource("gitlab/tag_push.json"));
    tag.remove("user_username");
    WebhookEvent t = parser.parse(Deliveries.of(tag.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "application/json", "X-Gitlab-Event", "Tag Push Hook")).event();
    assertThat(t.actor()).contains("John Smith");

    var job = (com.fasterxml.jackson.databind.node.ObjectNode) dev.hooks.parsers.internal.Json.read(
        Deliveries.resource("gitlab/job.json"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) job.get("user")).remove("username");
    WebhookEvent j = parser.parse(Deliveries.of(job.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "application/json", "X-Gitlab-Event", "Job Hook")).event();
    assertThat(j.actor()).contains("John Smith");
  }
}
