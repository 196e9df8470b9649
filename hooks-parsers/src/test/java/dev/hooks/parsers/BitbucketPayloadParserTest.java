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

class BitbucketPayloadParserTest {
  private static final String CLOUD_ID = "7f8c5a3e-1b9d-4c62-9e0a-3d5b2f6c8a41";
  private static final String SERVER_ID = "a7b4e3d2-5c1f-4b8e-9d6a-0f2e1c3b5a79";
  private static final String REPO = "arolgroup/j0664-ns2-firmware";
  private static final String ACTOR = "Gianpaolo Macario (AROL)";
  private final BitbucketPayloadParser parser = new BitbucketPayloadParser();

  private WebhookEvent cloud(String file, String key) {
    ParseResult r = parser.parse(json("bitbucket/" + file, "X-Event-Key", key, "X-Request-UUID", CLOUD_ID,
        "X-Hook-UUID", "c0ffee00-0000-4000-8000-000000000001"));
    assertThat(r.failure()).isEmpty();
    return r.event();
  }

  private WebhookEvent server(String file, String key) {
    ParseResult r = parser.parse(json("bitbucket/" + file, "X-Event-Key", key, "X-Request-Id", SERVER_ID));
    assertThat(r.failure()).isEmpty();
    return r.event();
  }

  @Test
  void cloudPushToABranch() {
    WebhookEvent e = cloud("cloud-repo-push.json", "repo:push");
    assertThat(fields(e)).isEqualTo(expected(CLOUD_ID, "bitbucket", "push", "subject", "Add section: Make sure you are executing...",
        "sourceEvent", "repo:push", "repository", REPO, "branch", "gmacario/dev03",
        "commit", "ed0e0bfd9a94bcfab2b7bafb49a801be4eb9fbab", "actor", ACTOR,
        "url", "https://bitbucket.org/arolgroup/j0664-ns2-firmware/branches/compare/"
            + "ed0e0bfd9a94bcfab2b7bafb49a801be4eb9fbab..a13a36d2655a635df8a672f61b07fc3f1df25730",
        "severity", "INFO", "occurredAt", "2023-05-11T14:54:02Z"));
    assertThat(e.attributes()).isEqualTo(attrs("created", "false", "deleted", "false", "forced", "false",
        "commit_count", "1", "commits_truncated", "false", "before", "a13a36d2655a635df8a672f61b07fc3f1df25730",
        "after", "ed0e0bfd9a94bcfab2b7bafb49a801be4eb9fbab", "change_count", "1", "edition", "cloud"));
  }

  @Test
  void cloudPushOfANewBranchIsCreated() {
    WebhookEvent e = cloud("cloud-repo-push-new-branch.json", "repo:push");
    assertThat(fields(e)).isEqualTo(expected(CLOUD_ID, "bitbucket", "push", "subject", "Merged in gmacario/dev03 (pull request #5)",
        "action", "created", "sourceEvent", "repo:push", "repository", REPO, "branch", "gmacario/test03",
        "commit", "49cb0fd6590af14dbfb717d0e801f325362af5d9", "actor", ACTOR,
        "url", "https://bitbucket.org/arolgroup/j0664-ns2-firmware/branch/gmacario/test03",
        "severity", "INFO", "occurredAt", "2023-05-03T06:27:42Z"));
    assertThat(e.attributes()).containsEntry("created", "true").containsEntry("commit_count", "5")
        .containsEntry("commits_truncated", "true").doesNotContainKey("before");
  }

  @Test
  void cloudMergePushToMain() {
    WebhookEvent e = cloud("cloud-repo-push-merge.json", "repo:push");
    assertThat(e.branch()).contains("main");
    assertThat(e.commit()).contains("6ca0691239785a619fa1dce7bf1073f50499cd60");
    assertThat(e.action()).isEmpty();
    assertThat(e.occurredAt()).hasValue(java.time.Instant.parse("2023-05-12T11:45:45Z"));
  }

  @Test
  void cloudPullRequestCreatedApprovedAndFulfilled() {
    String[][] cases = {
        {"cloud-pullrequest-created.json", "pullrequest:created", "opened", "OPEN", "2023-05-11T14:54:26.474733Z"},
        {"cloud-pullrequest-approved.json", "pullrequest:approved", "approved", "OPEN", "2023-05-12T11:45:41.426316Z"},
        {"cloud-pullrequest-fulfilled.json", "pullrequest:fulfilled", "merged", "MERGED", "2023-05-12T11:45:48.675990Z"}};
    for (String[] c : cases) {
      WebhookEvent e = cloud(c[0], c[1]);
      assertThat(fields(e)).as(c[0]).isEqualTo(expected(CLOUD_ID, "bitbucket", "pull_request",
          "action", c[2], "sourceEvent", c[1], "repository", REPO, "branch", "gmacario/dev03",
          "commit", "ed0e0bfd9a94", "actor", ACTOR,
          "url", "https://bitbucket.org/arolgroup/j0664-ns2-firmware/pull-requests/6",
          "subject", "[Feat] Integrate branch gmacario/dev03", "status", c[3],
          "severity", "INFO", "occurredAt", c[4]));
    }
    WebhookEvent merged = cloud("cloud-pullrequest-fulfilled.json", "pullrequest:fulfilled");
    assertThat(merged.attributes()).isEqualTo(attrs("number", "6", "title", "[Feat] Integrate branch gmacario/dev03",
        "base_branch", "main", "merge_commit", "6ca069123978", "source_action", "fulfilled", "edition", "cloud"));
  }

  @Test
  void serverRefsChangedUpdateOfABranch() {
    WebhookEvent e = server("server-repo-refs_changed.json", "repo:refs_changed");
    assertThat(fields(e)).isEqualTo(expected(SERVER_ID, "bitbucket", "push",
        "sourceEvent", "repo:refs_changed", "repository", "MYPROJECT/test-repo", "branch", "master",
        "commit", "22671f0349857934857983457983475ec39f196b", "actor", "john",
        "url", "https://bitbucketserver/projects/MYPROJECT/repos/test-repo/browse",
        "severity", "INFO", "occurredAt", "2019-06-17T09:37:57Z"));
    assertThat(e.attributes()).isEqualTo(attrs("ref", "refs/heads/master", "created", "false", "deleted", "false",
        "before", "f09c8889a2d234985734958795a31589cd91ffda", "after", "22671f0349857934857983457983475ec39f196b",
        "change_count", "1", "edition", "server"));
  }

  @Test
  void serverTagCreatedAndBranchDeleted() {
    WebhookEvent tag = server("server-push_tag_create.json", "repo:refs_changed");
    assertThat(fields(tag)).isEqualTo(expected(SERVER_ID, "bitbucket", "tag",
        "action", "created", "sourceEvent", "repo:refs_changed", "repository", "PRJ/my-repo", "tag", "v1.1.0",
        "commit", "823b2230a56056231c9425d63758fa87078a66b4", "actor", "jcitizen",
        "severity", "INFO", "occurredAt", "2018-07-05T18:26:11Z"));
    WebhookEvent deleted = server("server-push_branch_delete.json", "repo:refs_changed");
    assertThat(fields(deleted)).isEqualTo(expected(SERVER_ID, "bitbucket", "push",
        "action", "deleted", "sourceEvent", "repo:refs_changed", "repository", "PRJ/my-repo", "branch", "develop",
        "actor", "jcitizen", "severity", "INFO", "occurredAt", "2018-07-05T18:25:37Z"));
  }

  @Test
  void serverPullRequestOpenedMergedDeclined() {
    String[][] cases = {
        {"server-pr_open.json", "pr:opened", "opened", "OPEN", "208b0a5c05eddadad01f2aed8802fe0c3b3eaf5e", "2", "2018-07-05T19:21:30Z", "added LICENSE"},
        {"server-pr_merged.json", "pr:merged", "merged", "MERGED", "b9eaed50a03c073b20dfa82e5e753d295e7f0e56", "3", "2018-07-05T19:33:20Z", "Develop"},
        // declined is the vocabulary's closed; the status keeps Bitbucket's word
        {"server-pr_declined.json", "pr:declined", "closed", "DECLINED", "b9eaed50a03c073b20dfa82e5e753d295e7f0e56", "2", "2018-07-05T19:30:48Z", "added LICENSE"}};
    for (String[] c : cases) {
      WebhookEvent e = server(c[0], c[1]);
      assertThat(fields(e)).as(c[0]).isEqualTo(expected(SERVER_ID, "bitbucket", "pull_request",
          "action", c[2], "sourceEvent", c[1], "repository", "PRJ/my-repo", "branch", "develop",
          "commit", c[4], "actor", "jcitizen", "subject", c[7], "status", c[3],
          "severity", "INFO", "occurredAt", c[6]));
      assertThat(e.attributes()).as(c[0]).containsEntry("number", c[5]).containsEntry("base_branch", "master")
          .containsEntry("edition", "server");
    }
  }

  @Test
  void serverEventKeyIsReadFromTheBodyWhenTheHeaderIsMissing() {
    WebhookEvent e = parser.parse(json("bitbucket/server-pr_merged.json")).event();
    assertThat(e.action()).contains("merged");
    assertThat(e.id()).startsWith("sha256:");
  }

  @Test
  void cloudBodyWithoutEventKeyIsAFailure() {
    assertThat(parser.parse(json("bitbucket/cloud-repo-push.json")).failure()).isEqualTo("missing header X-Event-Key");
    assertThat(parser.parse(Deliveries.of("{\"push\":{}}".getBytes(StandardCharsets.UTF_8), "application/json",
        "X-Event-Key", "repo:push")).failure()).isEqualTo("missing field push.changes");
  }
}
