package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.EventActions;
import dev.hooks.event.EventTypes;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.Outcomes;
import dev.hooks.parsers.internal.ParseFailure;
import dev.hooks.parsers.internal.Parsing;
import dev.hooks.parsers.internal.Times;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Parses GitLab webhooks (project and group hooks, GitLab.com and self-managed). The kind comes
 * from the body's {@code object_kind}, the source event from {@code X-Gitlab-Event} ({@code Push
 * Hook}, {@code Pipeline Hook}...), the id from {@code X-Gitlab-Event-UUID}, else the content
 * hash. The repository is the project's full path, subgroups included ({@code
 * group/subgroup/project}).
 *
 * <table>
 *   <caption>Normalization</caption>
 *   <tr><th>object_kind</th><th>type</th><th>action</th></tr>
 *   <tr><td>push</td><td>push</td><td>created or deleted (zero commit id), else absent</td></tr>
 *   <tr><td>tag_push</td><td>tag</td><td>created or deleted</td></tr>
 *   <tr><td>merge_request</td><td>pull_request</td><td>opened, closed, reopened, merged, approved;
 *       update, unapproved... updated</td></tr>
 *   <tr><td>pipeline</td><td>ci.pipeline</td><td>queued, started, succeeded, failed, cancelled, skipped</td></tr>
 *   <tr><td>build (job events)</td><td>ci.job</td><td>as pipeline</td></tr>
 *   <tr><td>deployment</td><td>deployment</td><td>as pipeline</td></tr>
 *   <tr><td>release</td><td>release</td><td>created, updated, deleted</td></tr>
 *   <tr><td>issue</td><td>issue</td><td>opened, closed, reopened, updated</td></tr>
 *   <tr><td>any other</td><td>custom</td><td>the body's action, if any</td></tr>
 * </table>
 *
 * <p>Subject: the first line of the head commit's message (pushes), the title (merge requests,
 * issues), the pipeline's or job's name, the environment (deployments), the release's name. Actor:
 * {@code user_username}, else {@code user.username}, else the display name ({@code user_name},
 * {@code user.name}: tag pushes and job events send no username). Status keeps GitLab's word;
 * attribute {@code source_action} GitLab's action where the vocabulary's differs.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent e = new GitLabPayloadParser().parse(delivery).event();
 * }</pre>
 */
public final class GitLabPayloadParser implements PayloadParser {
  static final String PROVIDER = "gitlab";

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "GitLabPayloadParser";
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    String header = Parsing.header(delivery, "X-Gitlab-Event");
    String kind = Json.text(root, "object_kind");
    if (kind == null) {
      kind = Json.text(root, "event_name");
    }
    if (kind == null) {
      throw new ParseFailure("missing field object_kind");
    }
    String id = DeliveryIds.fromHeaderOrHash(delivery, "X-Gitlab-Event-UUID");
    WebhookEvent.Builder b =
        switch (kind) {
          case "push", "tag_push" -> push(delivery, id, root);
          case "merge_request" -> mergeRequest(delivery, id, root);
          case "pipeline" -> pipeline(delivery, id, root);
          case "build" -> job(delivery, id, root);
          case "deployment" -> deployment(delivery, id, root);
          case "release" -> release(delivery, id, root);
          case "issue", "work_item" -> issue(delivery, id, root);
          default -> Parsing.event(delivery, id, PROVIDER, "custom", root)
              .action(Json.first(Json.text(root, "object_attributes", "action"), Json.text(root, "action")))
              .severity(Severity.INFO);
        };
    return b.sourceEvent(header != null ? header : kind)
        .repository(Json.first(Json.text(root, "project", "path_with_namespace"), pathOf(Json.text(root, "repository", "homepage"))))
        // tag pushes and job events carry no user_username: the display name is all there is
        .actor(Json.first(Json.text(root, "user_username"), Json.text(root, "user", "username"),
            Json.text(root, "user_name"), Json.text(root, "user", "name")))
        .build();
  }

  private static WebhookEvent.Builder push(Delivery delivery, String id, JsonNode root) {
    String ref = Json.required(root, "ref");
    String before = Json.text(root, "before");
    String after = Json.text(root, "after");
    boolean created = Outcomes.isZeroSha(before);
    boolean deleted = Outcomes.isZeroSha(after);
    String tag = Outcomes.tagOf(ref);
    JsonNode commits = root.path("commits");
    JsonNode head = GitHubPayloadParser.commitWithId(commits, Json.first(Json.text(root, "checkout_sha"), after));
    if (head.isMissingNode()) {
      head = GitHubPayloadParser.commitWithId(commits, after);
    }
    String count = Json.text(root, "total_commits_count");
    return Parsing.event(delivery, id, PROVIDER, tag != null ? "tag" : "push", root)
        .action(deleted ? "deleted" : created ? "created" : null)
        .branch(Outcomes.branchOf(ref))
        .tag(tag)
        .commit(deleted ? null : Json.first(Json.text(root, "checkout_sha"), after))
        .url(Json.first(Json.text(head, "url"), Json.text(root, "project", "web_url")))
        .subject(Outcomes.firstLine(Json.text(head, "message")))
        .severity(Severity.INFO)
        .occurredAt(Times.parse(Json.text(head, "timestamp")))
        .attribute("ref", ref)
        .attribute("created", Boolean.toString(created))
        .attribute("deleted", Boolean.toString(deleted))
        .attribute("commit_count", count != null ? count : Integer.toString(commits.size()))
        .attribute("before", before)
        .attribute("after", after)
        .attribute("pusher", Json.text(root, "user_name"));
  }

  private static WebhookEvent.Builder mergeRequest(Delivery delivery, String id, JsonNode root) {
    JsonNode mr = Json.requiredObject(root, "object_attributes");
    // the provider's word, as earlier releases named it (open → opened)
    String word = Json.text(mr, "action") == null ? null : pastTense(Json.text(mr, "action"));
    String state = Json.text(mr, "state");
    // the hook of a merge request's first version may have no action: its state says it all
    String action = word != null ? Outcomes.pullRequestAction(word)
        : "merged".equals(state) ? EventActions.MERGED : "closed".equals(state) ? EventActions.CLOSED : EventActions.OPENED;
    return Outcomes.action(Parsing.event(delivery, id, PROVIDER, EventTypes.PULL_REQUEST, root), action, word)
        .subject(Json.text(mr, "title"))
        .branch(Json.text(mr, "source_branch"))
        .commit(Json.text(mr, "last_commit", "id"))
        .url(Json.text(mr, "url"))
        .status(Json.text(mr, "state"))
        .severity(Severity.INFO)
        .occurredAt(Times.parse(Json.text(mr, "updated_at")))
        .attribute("number", Json.text(mr, "iid"))
        .attribute("title", Json.text(mr, "title"))
        .attribute("base_branch", Json.text(mr, "target_branch"))
        .attribute("merge_status", Json.text(mr, "merge_status"));
  }

  private static WebhookEvent.Builder pipeline(Delivery delivery, String id, JsonNode root) {
    JsonNode p = Json.requiredObject(root, "object_attributes");
    String status = Json.required(p, "status");
    String action = Outcomes.ciAction(status);
    boolean isTag = Json.isTrue(p, "tag");
    String ref = Json.text(p, "ref");
    return Parsing.event(delivery, id, PROVIDER, EventTypes.CI_PIPELINE, root)
        .action(action)
        .branch(isTag ? null : ref)
        .tag(isTag ? ref : null)
        .commit(Json.text(p, "sha"))
        .url(Json.text(p, "url"))
        .subject(Json.text(p, "name"))
        .status(status)
        .severity(Outcomes.ciSeverity(action, status))
        .occurredAt(Json.first(Times.parse(Json.text(p, "finished_at")), Times.parse(Json.text(p, "created_at"))))
        .attribute("pipeline_id", Json.text(p, "id"))
        .attribute("source", Json.text(p, "source"))
        .attribute("detailed_status", Json.text(p, "detailed_status"))
        .attribute("duration", Json.text(p, "duration"))
        .attribute("merge_request", Json.text(root, "merge_request", "iid"));
  }

  private static WebhookEvent.Builder job(Delivery delivery, String id, JsonNode root) {
    String status = Json.required(root, "build_status");
    String action = Outcomes.ciAction(status);
    boolean isTag = Json.isTrue(root, "tag");
    String ref = Json.text(root, "ref");
    String homepage = Json.text(root, "repository", "homepage");
    String jobId = Json.text(root, "build_id");
    return Parsing.event(delivery, id, PROVIDER, EventTypes.CI_JOB, root)
        .action(action)
        .branch(isTag ? null : ref)
        .tag(isTag ? ref : null)
        .commit(Json.text(root, "sha"))
        // GitLab links every job at <project>/-/jobs/<id>
        .url(homepage != null && jobId != null ? homepage + "/-/jobs/" + jobId : null)
        .subject(Json.text(root, "build_name"))
        .status(status)
        .severity(Outcomes.ciSeverity(action, status))
        .occurredAt(Json.first(Times.parse(Json.text(root, "build_finished_at")),
            Times.parse(Json.text(root, "build_started_at")), Times.parse(Json.text(root, "build_created_at"))))
        .attribute("job_id", jobId)
        .attribute("pipeline_id", Json.text(root, "pipeline_id"))
        .attribute("stage", Json.text(root, "build_stage"))
        .attribute("environment", Json.text(root, "environment", "name"))
        .attribute("failure_reason", "failed".equals(action) ? Json.text(root, "build_failure_reason") : null);
  }

  private static WebhookEvent.Builder deployment(Delivery delivery, String id, JsonNode root) {
    String status = Json.required(root, "status");
    String action = Outcomes.ciAction(status);
    String commitUrl = Json.text(root, "commit_url");
    String sha = commitUrl == null ? null : commitUrl.substring(commitUrl.lastIndexOf('/') + 1);
    return Parsing.event(delivery, id, PROVIDER, EventTypes.DEPLOYMENT, root)
        .action(action)
        .commit(sha != null && sha.matches("[0-9a-f]{7,64}") ? sha : Json.text(root, "short_sha"))
        .url(Json.first(Json.text(root, "deployable_url"), commitUrl))
        .subject(Json.text(root, "environment"))
        .status(status)
        .severity(Outcomes.ciSeverity(action, status))
        .occurredAt(Times.parse(Json.text(root, "status_changed_at")))
        .attribute("deployment_id", Json.text(root, "deployment_id"))
        .attribute("environment", Json.text(root, "environment"))
        .attribute("ref", Json.text(root, "ref"))
        .attribute("commit_title", Json.text(root, "commit_title"));
  }

  private static WebhookEvent.Builder release(Delivery delivery, String id, JsonNode root) {
    String word = pastTense(Json.required(root, "action"));
    return Outcomes.action(Parsing.event(delivery, id, PROVIDER, EventTypes.RELEASE, root),
            Outcomes.releaseAction(word), word)
        .subject(Json.first(Json.text(root, "name"), Json.text(root, "tag")))
        .tag(Json.text(root, "tag"))
        .commit(Json.text(root, "commit", "id"))
        .url(Json.text(root, "url"))
        .severity(Severity.INFO)
        .occurredAt(Json.first(Times.parse(Json.text(root, "released_at")), Times.parse(Json.text(root, "created_at"))))
        .attribute("name", Json.text(root, "name"));
  }

  private static WebhookEvent.Builder issue(Delivery delivery, String id, JsonNode root) {
    JsonNode issue = root.path("object_attributes");
    String word = Json.text(issue, "action") == null ? null : pastTense(Json.text(issue, "action"));
    return Outcomes.action(Parsing.event(delivery, id, PROVIDER, EventTypes.ISSUE, root),
            word == null ? EventActions.OPENED : Outcomes.issueAction(word), word)
        .subject(Json.text(issue, "title"))
        .url(Json.text(issue, "url"))
        .status(Json.text(issue, "state"))
        .severity(Severity.INFO)
        .occurredAt(Times.parse(Json.text(issue, "updated_at")))
        .attribute("number", Json.text(issue, "iid"))
        .attribute("title", Json.text(issue, "title"));
  }

  /** GitLab's present-tense actions (open, close, merge, create) in the model's words. */
  private static String pastTense(String action) {
    return switch (action.toLowerCase(Locale.ROOT)) {
      case "open" -> "opened";
      case "close" -> "closed";
      case "reopen" -> "reopened";
      case "merge" -> "merged";
      case "update" -> "updated";
      case "create" -> "created";
      case "delete" -> "deleted";
      case "approve" -> "approved";
      case "unapprove" -> "unapproved";
      default -> action;
    };
  }

  /** {@code https://gitlab.com/group/sub/project} → {@code group/sub/project}. */
  private static @Nullable String pathOf(@Nullable String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    if (slash < 0 || slash == url.length() - 1) {
      return null;
    }
    String path = url.substring(slash + 1);
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
