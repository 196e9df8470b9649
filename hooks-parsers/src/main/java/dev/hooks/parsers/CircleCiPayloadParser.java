package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
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
import dev.hooks.parsers.internal.Repositories;
import dev.hooks.parsers.internal.Times;
import org.jspecify.annotations.Nullable;

/**
 * Parses CircleCI outbound webhooks ({@code workflow-completed}, {@code job-completed}, {@code
 * ping}) into events of provider {@code circleci}: type {@code ci.pipeline} (a workflow) or {@code
 * ci.job} (ping: {@code ping}); action from the status ({@code success} → succeeded, {@code
 * failed}/{@code error}/{@code unauthorized} → failed, {@code canceled} → cancelled, {@code
 * on_hold} → queued), the status as CircleCI writes it; subject the workflow or job name; branch,
 * tag, commit, repository ({@code owner/name}) and actor from {@code pipeline.vcs} for projects on
 * GitHub OAuth and Bitbucket Cloud, and from {@code pipeline.trigger_parameters} ({@code git}, and
 * {@code gitlab}, {@code github_app} or {@code bitbucket}) for projects on GitLab, the GitHub App or
 * Bitbucket Data Center, whose project slug is opaque; url the workflow's page;
 * occurredAt {@code happened_at}. The id is the body's own event {@code id} (CircleCI sends it
 * again on a redelivery), else the content hash. Attributes: {@code pipeline_number}, {@code
 * project_slug}, {@code workflow_id}, {@code job_number}, {@code vcs_provider}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent e = new CircleCiPayloadParser().parse(delivery).event();
 * }</pre>
 */
public final class CircleCiPayloadParser implements PayloadParser {
  static final String PROVIDER = "circleci";

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "CircleCiPayloadParser";
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    String kind = Json.first(Parsing.header(delivery, "Circleci-Event-Type"), Json.text(root, "type"));
    if (kind == null) {
      throw new ParseFailure("missing field type");
    }
    String type = switch (kind) {
      case "workflow-completed" -> EventTypes.CI_PIPELINE;
      case "job-completed" -> EventTypes.CI_JOB;
      case "ping" -> EventTypes.PING;
      default -> EventTypes.CUSTOM;
    };
    JsonNode subjectNode = type.equals(EventTypes.CI_JOB) ? root.path("job") : root.path("workflow");
    String status = Json.text(subjectNode, "status");
    String action = type.equals(EventTypes.PING) ? null : Outcomes.ciAction(status);
    if (action == null && (type.equals(EventTypes.CI_PIPELINE) || type.equals(EventTypes.CI_JOB))) {
      throw new ParseFailure(status == null ? "missing field " + (type.equals(EventTypes.CI_JOB) ? "job" : "workflow")
          + ".status" : "unknown status " + status);
    }
    JsonNode pipeline = root.path("pipeline");
    JsonNode vcs = pipeline.path("vcs");
    // projects on GitLab, Bitbucket Data Center or the GitHub App have no vcs block: the
    // trigger's parameters say where the code came from
    JsonNode params = pipeline.path("trigger_parameters");
    JsonNode git = params.path("git");
    JsonNode host = firstObject(params.path("gitlab"), params.path("github_app"), params.path("bitbucket"));
    String gitRef = Json.text(git, "ref");
    String id = Json.text(root, "id");
    return Parsing.event(delivery, id != null ? id : DeliveryIds.contentHash(delivery), PROVIDER, type, root)
        .action(action)
        .sourceEvent(kind)
        .subject(Json.text(subjectNode, "name"))
        .branch(Json.first(Json.text(vcs, "branch"), Json.text(git, "branch"), Outcomes.branchOf(gitRef)))
        .tag(Json.first(Json.text(vcs, "tag"), Json.text(git, "tag"), Outcomes.tagOf(gitRef)))
        .commit(Json.first(Json.text(vcs, "revision"), Json.text(git, "checkout_sha"), Json.text(host, "checkout_sha"),
            Json.text(host, "commit_sha")))
        .repository(Json.first(repositoryOf(Json.text(vcs, "origin_repository_url")),
            Repositories.fromGitUrl(Json.text(host, "web_url")), Repositories.fromGitUrl(Json.text(git, "checkout_url")),
            Repositories.fromGitUrl(Json.text(host, "repo_url")), repositoryOf(Json.text(root, "project", "slug"))))
        .actor(Json.first(Json.text(vcs, "commit", "author", "name"), Json.text(host, "user_username"),
            Json.text(host, "commit_author_name"), Json.text(host, "user_name")))
        .url(Json.text(root, "workflow", "url"))
        .status(status)
        .severity(action == null ? Severity.INFO : Outcomes.ciSeverity(action))
        .occurredAt(Times.parse(Json.text(root, "happened_at")))
        .attribute("pipeline_number", Json.text(pipeline, "number"))
        .attribute("project_slug", Json.text(root, "project", "slug"))
        .attribute("workflow_id", Json.text(root, "workflow", "id"))
        .attribute("job_number", Json.text(root, "job", "number"))
        .attribute("vcs_provider", Json.first(Json.text(vcs, "provider_name"), Json.text(pipeline, "trigger", "type")))
        .attribute("commit_title", Json.first(Json.text(vcs, "commit", "subject"), Json.text(host, "commit_title")))
        .build();
  }

  private static JsonNode firstObject(JsonNode... nodes) {
    for (JsonNode n : nodes) {
      if (n.isObject()) {
        return n;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /**
   * {@code https://github.com/o/r} or the slug {@code github/o/r} → {@code o/r}: the last two
   * path segments.
   */
  private static @Nullable String repositoryOf(@Nullable String urlOrSlug) {
    if (urlOrSlug == null) {
      return null;
    }
    String s = urlOrSlug.endsWith(".git") ? urlOrSlug.substring(0, urlOrSlug.length() - 4) : urlOrSlug;
    int last = s.lastIndexOf('/');
    int prev = last <= 0 ? -1 : s.lastIndexOf('/', last - 1);
    return last <= 0 || last == s.length() - 1 ? null : s.substring(prev + 1);
  }
}
