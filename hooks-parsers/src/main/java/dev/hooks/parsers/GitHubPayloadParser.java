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
import dev.hooks.parsers.internal.Forms;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.Outcomes;
import dev.hooks.parsers.internal.ParseFailure;
import dev.hooks.parsers.internal.Parsing;
import dev.hooks.parsers.internal.Times;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses GitHub webhooks (repository, organization and app hooks) into {@link WebhookEvent}s.
 * The event name comes from {@code X-GitHub-Event}, the id from {@code X-GitHub-Delivery}.
 * Both content types GitHub offers are read: {@code application/json} and
 * {@code application/x-www-form-urlencoded} (the JSON in the {@code payload} field).
 *
 * <table>
 *   <caption>Normalization</caption>
 *   <tr><th>X-GitHub-Event</th><th>type</th><th>action</th></tr>
 *   <tr><td>push to refs/heads/*</td><td>push</td><td>created, deleted, forced, or absent</td></tr>
 *   <tr><td>push to refs/tags/*</td><td>tag</td><td>created, deleted, forced, or absent</td></tr>
 *   <tr><td>create, delete</td><td>tag or push (ref_type)</td><td>created, deleted</td></tr>
 *   <tr><td>ping</td><td>ping</td><td>absent</td></tr>
 *   <tr><td>pull_request</td><td>pull_request</td><td>opened, reopened, closed; closed and merged is
 *       merged; any other (synchronize, edited, labeled...) updated</td></tr>
 *   <tr><td>issues</td><td>issue</td><td>opened, closed, reopened, deleted, else updated</td></tr>
 *   <tr><td>release</td><td>release</td><td>created, published (released, prereleased), deleted, else updated</td></tr>
 *   <tr><td>workflow_run</td><td>ci.pipeline</td><td>queued, started, succeeded, failed, cancelled, skipped</td></tr>
 *   <tr><td>workflow_job</td><td>ci.job</td><td>as workflow_run</td></tr>
 *   <tr><td>check_suite</td><td>ci.pipeline</td><td>as workflow_run</td></tr>
 *   <tr><td>status</td><td>commit_status</td><td>pending queued, success succeeded, failure and error failed</td></tr>
 *   <tr><td>deployment</td><td>deployment</td><td>queued</td></tr>
 *   <tr><td>deployment_status</td><td>deployment</td><td>pending and queued queued, in_progress started, success
 *       succeeded, failure and error failed, inactive cancelled</td></tr>
 *   <tr><td>any other</td><td>custom</td><td>the payload's action</td></tr>
 * </table>
 *
 * <p>Where the action differs from the payload's, attribute {@code source_action} keeps GitHub's
 * word. The subject of a push is the first line of the head commit's message; of a pull request,
 * an issue, the title; of a release, its name; of a workflow run or job, its name. Status keeps
 * GitHub's word (the conclusion, else the status, of runs; the state of pull requests).
 *
 * <p>Push attributes: {@code created}, {@code deleted}, {@code forced} ({@code true}/{@code
 * false}), {@code commit_count}, {@code before}, {@code after}, {@code pusher}. The commit of a
 * push is {@code after}, absent when the ref was deleted.
 *
 * <p>Immutable and thread-safe; share one instance.
 *
 * <pre>{@code
 * ParseResult r = new GitHubPayloadParser().parse(delivery);
 * if (r.isOk() && r.event().type().equals("push")) { ... r.event().branch() ... }
 * }</pre>
 */
public final class GitHubPayloadParser implements PayloadParser {
  static final String PROVIDER = "github";
  private static final Set<String> MEDIA_TYPES = Set.of("application/json", "application/x-www-form-urlencoded");

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, readBody(delivery)));
  }

  @Override
  public Set<String> mediaTypes() {
    return MEDIA_TYPES;
  }

  /** Parses an already-read body; used by the detecting parser. */
  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "GitHubPayloadParser";
  }

  /** JSON, or the JSON in the {@code payload} field of a form body. */
  static JsonNode readBody(Delivery delivery) {
    if ("application/x-www-form-urlencoded".equals(delivery.mediaType())) {
      String json = Forms.decode(delivery.body()).get("payload");
      if (json == null) {
        throw new ParseFailure("form body has no payload field");
      }
      return Json.read(json);
    }
    return Json.read(delivery.body());
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    String event = Parsing.header(delivery, "X-GitHub-Event");
    if (event == null) {
      throw new ParseFailure("missing header X-GitHub-Event");
    }
    String id = DeliveryIds.fromHeaderOrHash(delivery, "X-GitHub-Delivery");
    String name = event.toLowerCase(Locale.ROOT);
    WebhookEvent.Builder b =
        switch (name) {
          case "push" -> push(delivery, id, root);
          case "create", "delete" -> refChange(delivery, id, root, name);
          case "ping" -> ping(delivery, id, root);
          case "pull_request" -> pullRequest(delivery, id, root);
          case "issues" -> issue(delivery, id, root);
          case "release" -> release(delivery, id, root);
          case "workflow_run" -> workflowRun(delivery, id, root);
          case "workflow_job" -> workflowJob(delivery, id, root);
          case "check_suite" -> checkSuite(delivery, id, root);
          case "status" -> status(delivery, id, root);
          case "deployment" -> deployment(delivery, id, root);
          case "deployment_status" -> deploymentStatus(delivery, id, root);
          default -> Parsing.event(delivery, id, PROVIDER, "custom", root)
              .action(Json.text(root, "action"))
              .severity(Severity.INFO);
        };
    return b.sourceEvent(event)
        .repository(Json.text(root, "repository", "full_name"))
        .actor(Json.first(Json.text(root, "sender", "login"), Json.text(root, "pusher", "name")))
        .build();
  }

  /** Shared by GitHub and the Gitea family, whose push payload has GitHub's shape. */
  static WebhookEvent.Builder push(Delivery delivery, String id, String provider, JsonNode root) {
    String ref = Json.required(root, "ref");
    String before = Json.text(root, "before");
    String after = Json.text(root, "after");
    // GitHub says created/deleted/forced; Gitea does not, so fall back on the zero object id
    boolean created = root.has("created") ? Json.isTrue(root, "created") : Outcomes.isZeroSha(before);
    boolean deleted = root.has("deleted") ? Json.isTrue(root, "deleted") : Outcomes.isZeroSha(after);
    boolean forced = Json.isTrue(root, "forced");
    String tag = Outcomes.tagOf(ref);
    String branch = Outcomes.branchOf(ref);
    JsonNode commits = root.path("commits");
    int commitCount = commits.isArray() ? commits.size() : 0;
    String action = deleted ? "deleted" : created ? "created" : forced ? "forced" : null;
    JsonNode head = root.path("head_commit");
    return Parsing.event(delivery, id, provider, tag != null ? "tag" : "push", root)
        .action(action)
        .branch(branch)
        .tag(tag)
        .commit(deleted || Outcomes.isZeroSha(after) ? null : after)
        .url(Json.first(Json.text(root, "compare"), Json.text(root, "compare_url")))
        .subject(Outcomes.firstLine(Json.first(Json.text(head, "message"),
            Json.text(commitWithId(commits, after), "message"))))
        .severity(Severity.INFO)
        .occurredAt(pushTime(root, head, commits, after))
        .attribute("ref", ref)
        .attribute("created", Boolean.toString(created))
        .attribute("deleted", Boolean.toString(deleted))
        .attribute("forced", Boolean.toString(forced))
        .attribute("commit_count", Integer.toString(commitCount))
        .attribute("before", before)
        .attribute("after", after)
        .attribute("pusher", Json.first(Json.text(root, "pusher", "name"), Json.text(root, "pusher", "login"),
            Json.text(root, "pusher", "username")));
  }

  /** The head commit's time, else that of the commit pushed, else the repository's pushed_at. */
  private static java.time.@Nullable Instant pushTime(JsonNode root, JsonNode head, JsonNode commits, @Nullable String after) {
    java.time.Instant t = Times.parse(Json.text(head, "timestamp"));
    if (t == null) {
      t = Times.parse(Json.text(commitWithId(commits, after), "timestamp"));
    }
    return t != null ? t : Times.isoOrEpochSeconds(Json.at(root, "repository", "pushed_at"));
  }

  /** The element of {@code commits} whose {@code id} is {@code sha}; a missing node if none. */
  static JsonNode commitWithId(JsonNode commits, @Nullable String sha) {
    if (sha != null && commits.isArray()) {
      for (JsonNode c : commits) {
        if (sha.equals(Json.text(c, "id"))) {
          return c;
        }
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static WebhookEvent.Builder push(Delivery delivery, String id, JsonNode root) {
    return push(delivery, id, PROVIDER, root);
  }

  static WebhookEvent.Builder refChange(Delivery delivery, String id, String provider, JsonNode root, String event) {
    String ref = Json.required(root, "ref");
    String refType = Json.required(root, "ref_type");
    boolean isTag = "tag".equals(refType);
    String name = ref.startsWith("refs/") ? ref.replaceFirst("^refs/(heads|tags)/", "") : ref;
    return Parsing.event(delivery, id, provider, isTag ? "tag" : "push", root)
        .action("create".equals(event) ? "created" : "deleted")
        .tag(isTag ? name : null)
        .branch(isTag ? null : name)
        .commit(Json.text(root, "sha"))
        .severity(Severity.INFO)
        .attribute("ref_type", refType)
        .attribute("master_branch", Json.text(root, "master_branch"));
  }

  private static WebhookEvent.Builder refChange(Delivery delivery, String id, JsonNode root, String event) {
    return refChange(delivery, id, PROVIDER, root, event);
  }

  private static WebhookEvent.Builder ping(Delivery delivery, String id, JsonNode root) {
    return Parsing.event(delivery, id, PROVIDER, "ping", root)
        .severity(Severity.INFO)
        .url(Json.text(root, "repository", "html_url"))
        .occurredAt(Times.parse(Json.text(root, "hook", "created_at")))
        .attribute("hook_id", Json.text(root, "hook_id"))
        .attribute("hook_type", Json.text(root, "hook", "type"))
        .attribute("zen", Json.text(root, "zen"));
  }

  static WebhookEvent.Builder pullRequest(Delivery delivery, String id, JsonNode root) {
    JsonNode pr = Json.requiredObject(root, "pull_request");
    String word = Json.required(root, "action");
    String action = "closed".equals(word) && Json.isTrue(pr, "merged") ? EventActions.MERGED
        : Outcomes.pullRequestAction(word);
    return Outcomes.action(Parsing.event(delivery, id, PROVIDER, EventTypes.PULL_REQUEST, root), action, word)
        .subject(Json.text(pr, "title"))
        .branch(Json.text(pr, "head", "ref"))
        .commit(Json.text(pr, "head", "sha"))
        .url(Json.text(pr, "html_url"))
        .status(Json.text(pr, "state"))
        .severity(Severity.INFO)
        .occurredAt(Times.parse(Json.text(pr, "updated_at")))
        .attribute("number", Json.first(Json.text(pr, "number"), Json.text(root, "number")))
        .attribute("title", Json.text(pr, "title"))
        .attribute("base_branch", Json.text(pr, "base", "ref"))
        .attribute("merged", Json.text(pr, "merged"))
        .attribute("draft", Json.text(pr, "draft"));
  }

  static WebhookEvent.Builder issue(Delivery delivery, String id, JsonNode root) {
    JsonNode issue = Json.requiredObject(root, "issue");
    String word = Json.required(root, "action");
    return Outcomes.action(Parsing.event(delivery, id, PROVIDER, EventTypes.ISSUE, root), Outcomes.issueAction(word), word)
        .subject(Json.text(issue, "title"))
        .url(Json.text(issue, "html_url"))
        .status(Json.text(issue, "state"))
        .severity(Severity.INFO)
        .occurredAt(Times.parse(Json.text(issue, "updated_at")))
        .attribute("number", Json.text(issue, "number"))
        .attribute("title", Json.text(issue, "title"));
  }

  static WebhookEvent.Builder release(Delivery delivery, String id, JsonNode root) {
    JsonNode release = Json.requiredObject(root, "release");
    String word = Json.required(root, "action");
    return Outcomes.action(Parsing.event(delivery, id, PROVIDER, EventTypes.RELEASE, root),
            Outcomes.releaseAction(word), word)
        .subject(Json.first(Json.text(release, "name"), Json.text(release, "tag_name")))
        .tag(Json.text(release, "tag_name"))
        .url(Json.text(release, "html_url"))
        .severity(Severity.INFO)
        .occurredAt(Json.first(Times.parse(Json.text(release, "published_at")),
            Times.parse(Json.text(release, "created_at"))))
        .attribute("name", Json.text(release, "name"))
        .attribute("target_commitish", Json.text(release, "target_commitish"))
        .attribute("draft", Json.text(release, "draft"))
        .attribute("prerelease", Json.text(release, "prerelease"));
  }

  /**
   * What workflow runs, workflow jobs and check suites share: head branch and commit, the
   * conclusion (else the status) and the action that follows from it.
   */
  private static WebhookEvent.Builder ciRun(Delivery delivery, String id, JsonNode root, JsonNode run, String type) {
    String status = Json.first(Json.text(run, "conclusion"), Json.text(run, "status"));
    String action = runAction(Json.required(root, "action"), status);
    return Parsing.event(delivery, id, PROVIDER, type, root)
        .action(action)
        .branch(Json.text(run, "head_branch"))
        .commit(Json.text(run, "head_sha"))
        .status(status)
        .severity(Outcomes.ciSeverity(action, status))
        .attribute("conclusion", Json.text(run, "conclusion"));
  }

  private static WebhookEvent.Builder workflowRun(Delivery delivery, String id, JsonNode root) {
    JsonNode run = Json.requiredObject(root, "workflow_run");
    return ciRun(delivery, id, root, run, EventTypes.CI_PIPELINE)
        .url(Json.text(run, "html_url"))
        .subject(Json.first(Json.text(run, "name"), Json.text(root, "workflow", "name")))
        .occurredAt(Json.first(Times.parse(Json.text(run, "updated_at")), Times.parse(Json.text(run, "created_at"))))
        .attribute("run_id", Json.text(run, "id"))
        .attribute("run_number", Json.text(run, "run_number"))
        .attribute("run_attempt", Json.text(run, "run_attempt"))
        .attribute("trigger", Json.text(run, "event"));
  }

  private static WebhookEvent.Builder workflowJob(Delivery delivery, String id, JsonNode root) {
    JsonNode job = Json.requiredObject(root, "workflow_job");
    return ciRun(delivery, id, root, job, EventTypes.CI_JOB)
        .url(Json.text(job, "html_url"))
        .subject(Json.text(job, "name"))
        .occurredAt(Json.first(Times.parse(Json.text(job, "completed_at")), Times.parse(Json.text(job, "started_at"))))
        .attribute("job_id", Json.text(job, "id"))
        .attribute("run_id", Json.text(job, "run_id"))
        .attribute("workflow_name", Json.text(job, "workflow_name"))
        .attribute("runner_name", Json.text(job, "runner_name"));
  }

  private static WebhookEvent.Builder checkSuite(Delivery delivery, String id, JsonNode root) {
    JsonNode suite = Json.requiredObject(root, "check_suite");
    return ciRun(delivery, id, root, suite, EventTypes.CI_PIPELINE)
        .subject(Json.text(suite, "app", "name"))
        .occurredAt(Times.parse(Json.text(suite, "updated_at")))
        .attribute("check_suite_id", Json.text(suite, "id"));
  }

  private static WebhookEvent.Builder status(Delivery delivery, String id, JsonNode root) {
    String state = Json.required(root, "state");
    String action = Outcomes.ciAction(state);
    JsonNode branches = root.path("branches");
    return Parsing.event(delivery, id, PROVIDER, EventTypes.COMMIT_STATUS, root)
        .action(action)
        .commit(Json.text(root, "sha"))
        .branch(branches.isArray() && branches.size() == 1 ? Json.text(branches.get(0), "name") : null)
        .url(Json.text(root, "target_url"))
        .subject(Json.text(root, "context"))
        .status(state)
        .severity(Outcomes.ciSeverity(action))
        .occurredAt(Times.parse(Json.text(root, "updated_at")))
        .attribute("description", Json.text(root, "description"));
  }

  /** A deployment requested: queued until its statuses say more. */
  private static WebhookEvent.Builder deployment(Delivery delivery, String id, JsonNode root) {
    JsonNode d = Json.requiredObject(root, "deployment");
    return deploymentFields(Parsing.event(delivery, id, PROVIDER, EventTypes.DEPLOYMENT, root), d)
        .action(EventActions.QUEUED)
        // a new deployment has no state yet: GitHub's word for what happened is the action
        .status(Json.text(root, "action"))
        .severity(Severity.INFO)
        .occurredAt(Times.parse(Json.text(d, "created_at")));
  }

  /** A deployment's new state: pending, queued, in_progress, success, failure, error, inactive. */
  private static WebhookEvent.Builder deploymentStatus(Delivery delivery, String id, JsonNode root) {
    JsonNode st = Json.requiredObject(root, "deployment_status");
    String state = Json.required(st, "state");
    // inactive: a later deployment to the environment replaced this one
    String action = "inactive".equals(state) ? EventActions.CANCELLED : Outcomes.ciAction(state);
    if (action == null) {
      throw new ParseFailure("unknown deployment_status.state " + state);
    }
    return deploymentFields(Parsing.event(delivery, id, PROVIDER, EventTypes.DEPLOYMENT, root), root.path("deployment"))
        .action(action)
        .status(state)
        .severity(Outcomes.ciSeverity(action))
        .url(Json.first(Json.text(st, "environment_url"), Json.text(st, "log_url"), Json.text(st, "target_url")))
        .occurredAt(Json.first(Times.parse(Json.text(st, "updated_at")), Times.parse(Json.text(st, "created_at"))))
        .attribute("description", Json.text(st, "description"));
  }

  private static WebhookEvent.Builder deploymentFields(WebhookEvent.Builder b, JsonNode d) {
    String ref = Json.text(d, "ref");
    return b.subject(Json.text(d, "environment"))
        .commit(Json.text(d, "sha"))
        .branch(ref == null ? null : Json.first(Outcomes.branchOf(ref), ref.startsWith("refs/") ? null : ref))
        .attribute("deployment_id", Json.text(d, "id"))
        .attribute("environment", Json.text(d, "environment"))
        .attribute("task", Json.text(d, "task"))
        .attribute("ref", ref);
  }

  /** requested/in_progress/completed plus the conclusion, as one normalized action. */
  private static @Nullable String runAction(String action, @Nullable String status) {
    switch (action) {
      case "requested", "queued", "waiting", "rerequested", "pending":
        return EventActions.QUEUED;
      case "in_progress":
        return EventActions.STARTED;
      case "completed":
        return Outcomes.ciAction(status);
      default:
        return Outcomes.ciAction(action);
    }
  }
}
