package dev.hooks.parsers;

import static dev.hooks.parsers.Deliveries.attrs;
import static dev.hooks.parsers.Deliveries.expected;
import static dev.hooks.parsers.Deliveries.fields;
import static dev.hooks.parsers.Deliveries.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.ParseResult;
import org.junit.jupiter.api.Test;

class GiteaPayloadParserTest {
  private static final String DELIVERY = "5b2c4f1e-8a3d-4e6f-9b0c-1d2e3f4a5b6c";

  private static WebhookEvent parse(GiteaPayloadParser parser, String file, String... headers) {
    ParseResult r = parser.parse(json("gitea/" + file, headers));
    assertThat(r.failure()).isEmpty();
    return r.event();
  }

  @Test
  void giteaPush() {
    WebhookEvent e = parse(new GiteaPayloadParser(), "push.json", "X-Gitea-Event", "push", "X-Gitea-Delivery", DELIVERY,
        "X-Gogs-Event", "push", "X-GitHub-Event", "push");
    assertThat(fields(e)).isEqualTo(expected(DELIVERY, "gitea", "push", "subject", "Updated readme",
        "sourceEvent", "push", "repository", "gogits/hello-world", "branch", "master",
        "commit", "4522cbcefc20728a5b72b3a86af35e608622c514", "actor", "unknwon",
        "url", "http://try.gitea.io/gogits/hello-world/compare/9836a96a253cce25d17988fcf41b8c4205cf779f"
            + "...4522cbcefc20728a5b72b3a86af35e608622c514",
        "severity", "INFO", "occurredAt", "2017-12-09T01:35:07Z"));
    assertThat(e.attributes()).isEqualTo(attrs("ref", "refs/heads/master", "created", "false", "deleted", "false",
        "forced", "false", "commit_count", "1", "before", "9836a96a253cce25d17988fcf41b8c4205cf779f",
        "after", "4522cbcefc20728a5b72b3a86af35e608622c514", "pusher", "unknwon"));
  }

  @Test
  void gogsPushByTheGogsHeader() {
    WebhookEvent e = parse(GiteaPayloadParser.gogs(), "gogs-push.json", "X-Gogs-Event", "push", "X-Gogs-Delivery", DELIVERY);
    assertThat(e.provider()).isEqualTo("gogs");
    assertThat(e.id()).isEqualTo(DELIVERY);
    assertThat(e.url()).contains("http://try.gogs.io/gogits/hello-world/compare/"
        + "9836a96a253cce25d17988fcf41b8c4205cf779f...4522cbcefc20728a5b72b3a86af35e608622c514");
  }

  @Test
  void forgejoReadsTheGiteaHeadersItAlsoSends() {
    WebhookEvent e = parse(GiteaPayloadParser.forgejo(), "push.json", "X-Gitea-Event", "push", "X-Gitea-Delivery", DELIVERY);
    assertThat(e.provider()).isEqualTo("forgejo");
    assertThat(e.id()).isEqualTo(DELIVERY);
    assertThat(e.branch()).contains("master");
  }

  @Test
  void pullRequestOpenedAndClosed() {
    String[][] cases = {
        {"pull_request_opened.json", "opened", "open", "2018-07-06T00:37:47Z", "Add License File"},
        {"pull_request_closed.json", "closed", "closed", "2018-07-06T01:34:08Z", "Add LICENSE File"}};
    for (String[] c : cases) {
      WebhookEvent e = parse(new GiteaPayloadParser(), c[0], "X-Gitea-Event", "pull_request", "X-Gitea-Delivery", DELIVERY);
      assertThat(fields(e)).as(c[0]).isEqualTo(expected(DELIVERY, "gitea", "pull_request",
          "action", c[1], "sourceEvent", "pull_request", "repository", "jcitizen/my-repo", "branch", "feature",
          "commit", "2eba238e33607c1fa49253182e9fff42baafa1eb", "actor", "jcitizen",
          "url", "https://try.gitea.io/jcitizen/my-repo/pulls/1", "subject", c[4], "status", c[2],
          "severity", "INFO", "occurredAt", c[3]));
      assertThat(e.attributes()).as(c[0]).isEqualTo(attrs("number", "1", "title", c[4], "base_branch", "master",
          "merged", "false"));
    }
  }

  @Test
  void tagCreatedAndBranchDeleted() {
    WebhookEvent tag = parse(new GiteaPayloadParser(), "tag_create.json", "X-Gitea-Event", "create", "X-Gitea-Delivery", DELIVERY);
    assertThat(fields(tag)).isEqualTo(expected(DELIVERY, "gitea", "tag",
        "action", "created", "sourceEvent", "create", "repository", "gogits/hello-world", "tag", "v1.0.0",
        "commit", "599d25c67b05717269f50ac082b34f176d085179", "actor", "unknwon", "severity", "INFO"));
    WebhookEvent branch = parse(new GiteaPayloadParser(), "branch_delete.json", "X-Gitea-Event", "delete");
    assertThat(fields(branch)).isEqualTo(expected(branch.id(), "gitea", "push",
        "action", "deleted", "sourceEvent", "delete", "repository", "gogits/hello-world", "branch", "feature",
        "actor", "unknwon", "severity", "INFO"));
    assertThat(branch.id()).startsWith("sha256:");
  }

  @Test
  void missingEventHeaderIsAFailure() {
    assertThat(new GiteaPayloadParser().parse(json("gitea/push.json")).failure())
        .isEqualTo("missing header X-Gitea-Event");
  }
}
