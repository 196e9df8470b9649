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
import org.jspecify.annotations.Nullable;

/**
 * Parses Bitbucket Cloud and Bitbucket Server / Data Center webhooks; both have provider key
 * {@code bitbucket} and are told apart by the event key ({@code X-Event-Key}, else the body's
 * {@code eventKey}): Cloud sends {@code repo:push} and {@code pullrequest:*} with the id in
 * {@code X-Request-UUID}; Server sends {@code repo:refs_changed} and {@code pr:*} with the id in
 * {@code X-Request-Id}. Attribute {@code edition} says which: {@code cloud} or {@code server}.
 *
 * <p>A push may change several refs; the event describes the first change and attribute {@code
 * change_count} says how many there were (all are in the payload).
 *
 * <table>
 *   <caption>Normalization</caption>
 *   <tr><th>event key</th><th>type</th><th>action</th></tr>
 *   <tr><td>repo:push, repo:refs_changed</td><td>push, or tag for a tag</td><td>created, deleted,
 *       forced (Cloud), else absent</td></tr>
 *   <tr><td>pullrequest:created, pr:opened</td><td>pull_request</td><td>opened</td></tr>
 *   <tr><td>pullrequest:fulfilled, pr:merged</td><td>pull_request</td><td>merged</td></tr>
 *   <tr><td>pullrequest:rejected, pr:declined, pr:deleted</td><td>pull_request</td><td>closed</td></tr>
 *   <tr><td>pullrequest:approved, pr:reviewer:approved</td><td>pull_request</td><td>approved</td></tr>
 *   <tr><td>any other pullrequest:*, pr:* (updated, modified, comments, reviews)</td><td>pull_request</td><td>updated</td></tr>
 *   <tr><td>any other</td><td>custom</td><td>the part after the first colon</td></tr>
 * </table>
 *
 * <p>The part of the event key after {@code pullrequest:} or {@code pr:} is kept in attribute
 * {@code source_action} where it differs from the action. The subject of a pull request is its
 * title; of a Cloud push, the first line of the new head commit's message (Server's {@code
 * repo:refs_changed} carries no commit message, so its pushes have no subject).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent e = new BitbucketPayloadParser().parse(delivery).event();
 * }</pre>
 */
public final class BitbucketPayloadParser implements PayloadParser {
  static final String PROVIDER = "bitbucket";

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "BitbucketPayloadParser";
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    String key = Json.first(Parsing.header(delivery, "X-Event-Key"), Json.text(root, "eventKey"));
    if (key == null) {
      throw new ParseFailure("missing header X-Event-Key");
    }
    boolean server = key.startsWith("pr:") || key.startsWith("repo:refs_changed") || root.has("eventKey")
        || delivery.headers().contains("X-Request-Id") && !delivery.headers().contains("X-Request-UUID");
    String id = DeliveryIds.fromHeaderOrHash(delivery, server ? "X-Request-Id" : "X-Request-UUID");
    WebhookEvent.Builder b;
    if (key.equals("repo:push")) {
      b = cloudPush(delivery, id, root);
    } else if (key.startsWith("pullrequest:")) {
      b = cloudPullRequest(delivery, id, root, key.substring("pullrequest:".length()));
    } else if (key.equals("repo:refs_changed")) {
      b = serverPush(delivery, id, root);
    } else if (key.startsWith("pr:")) {
      b = serverPullRequest(delivery, id, root, key.substring("pr:".length()));
    } else {
      int colon = key.indexOf(':');
      b = Parsing.event(delivery, id, PROVIDER, "custom", root)
          .action(colon < 0 ? null : key.substring(colon + 1))
          .severity(Severity.INFO)
          .repository(server ? serverRepository(root.path("repository")) : Json.text(root, "repository", "full_name"))
          .actor(server ? Json.text(root, "actor", "name") : cloudActor(root));
    }
    return b.sourceEvent(key).attribute("edition", server ? "server" : "cloud").build();
  }

  private static WebhookEvent.Builder cloudPush(Delivery delivery, String id, JsonNode root) {
    JsonNode changes = root.path("push").path("changes");
    if (!changes.isArray() || changes.isEmpty()) {
      throw new ParseFailure("missing field push.changes");
    }
    JsonNode change = changes.get(0);
    JsonNode now = change.path("new");
    JsonNode old = change.path("old");
    JsonNode ref = now.isObject() ? now : old;
    boolean created = Json.isTrue(change, "created");
    boolean deleted = Json.isTrue(change, "closed");
    boolean forced = Json.isTrue(change, "forced");
    boolean isTag = "tag".equals(Json.text(ref, "type"));
    String name = Json.required(ref, "name");
    String after = Json.text(now, "target", "hash");
    JsonNode commits = change.path("commits");
    return Parsing.event(delivery, id, PROVIDER, isTag ? "tag" : "push", root)
        .action(deleted ? "deleted" : created ? "created" : forced ? "forced" : null)
        .branch(isTag ? null : name)
        .tag(isTag ? name : null)
        .commit(after)
        .repository(Json.text(root, "repository", "full_name"))
        .actor(cloudActor(root))
        .url(Json.text(change, "links", "html", "href"))
        .subject(Outcomes.firstLine(Json.text(now, "target", "message")))
        .severity(Severity.INFO)
        .occurredAt(Times.parse(Json.text(now, "target", "date")))
        .attribute("created", Boolean.toString(created))
        .attribute("deleted", Boolean.toString(deleted))
        .attribute("forced", Boolean.toString(forced))
        .attribute("commit_count", Integer.toString(commits.isArray() ? commits.size() : 0))
        .attribute("commits_truncated", Json.text(change, "truncated"))
        .attribute("before", Json.text(old, "target", "hash"))
        .attribute("after", after)
        .attribute("change_count", Integer.toString(changes.size()));
  }

  private static WebhookEvent.Builder cloudPullRequest(Delivery delivery, String id, JsonNode root, String what) {
    JsonNode pr = Json.requiredObject(root, "pullrequest");
    return Outcomes.action(Parsing.event(delivery, id, PROVIDER, EventTypes.PULL_REQUEST, root),
            Outcomes.pullRequestAction(what), what)
        .subject(Json.text(pr, "title"))
        .branch(Json.text(pr, "source", "branch", "name"))
        .commit(Json.text(pr, "source", "commit", "hash"))
        .repository(Json.first(Json.text(root, "repository", "full_name"),
            Json.text(pr, "destination", "repository", "full_name")))
        .actor(cloudActor(root))
        .url(Json.text(pr, "links", "html", "href"))
        .status(Json.text(pr, "state"))
        .severity(Severity.INFO)
        .occurredAt(Times.parse(Json.text(pr, "updated_on")))
        .attribute("number", Json.text(pr, "id"))
        .attribute("title", Json.text(pr, "title"))
        .attribute("base_branch", Json.text(pr, "destination", "branch", "name"))
        .attribute("merge_commit", Json.text(pr, "merge_commit", "hash"));
  }

  private static WebhookEvent.Builder serverPush(Delivery delivery, String id, JsonNode root) {
    JsonNode changes = root.path("changes");
    if (!changes.isArray() || changes.isEmpty()) {
      throw new ParseFailure("missing field changes");
    }
    JsonNode change = changes.get(0);
    String refId = Json.first(Json.text(change, "refId"), Json.text(change, "ref", "id"));
    String name = Json.first(Json.text(change, "ref", "displayId"), refId);
    if (name == null) {
      throw new ParseFailure("missing field changes[0].ref");
    }
    boolean isTag = "TAG".equals(Json.text(change, "ref", "type")) || Outcomes.tagOf(refId) != null;
    String kind = Json.text(change, "type");
    boolean created = "ADD".equals(kind);
    boolean deleted = "DELETE".equals(kind);
    String after = Json.text(change, "toHash");
    return Parsing.event(delivery, id, PROVIDER, isTag ? "tag" : "push", root)
        .action(deleted ? "deleted" : created ? "created" : null)
        .branch(isTag ? null : name)
        .tag(isTag ? name : null)
        .commit(deleted || Outcomes.isZeroSha(after) ? null : after)
        .repository(serverRepository(root.path("repository")))
        .actor(Json.text(root, "actor", "name"))
        .url(Json.text(root.path("repository").path("links").path("self").path(0), "href"))
        .severity(Severity.INFO)
        .occurredAt(Times.parse(Json.text(root, "date")))
        .attribute("ref", refId)
        .attribute("created", Boolean.toString(created))
        .attribute("deleted", Boolean.toString(deleted))
        .attribute("before", Json.text(change, "fromHash"))
        .attribute("after", after)
        .attribute("change_count", Integer.toString(changes.size()));
  }

  private static WebhookEvent.Builder serverPullRequest(Delivery delivery, String id, JsonNode root, String what) {
    JsonNode pr = Json.requiredObject(root, "pullRequest");
    String action = "reviewer:approved".equals(what) ? EventActions.APPROVED : Outcomes.pullRequestAction(what);
    return Outcomes.action(Parsing.event(delivery, id, PROVIDER, EventTypes.PULL_REQUEST, root), action, what)
        .subject(Json.text(pr, "title"))
        .branch(Json.text(pr, "fromRef", "displayId"))
        .commit(Json.text(pr, "fromRef", "latestCommit"))
        .repository(serverRepository(pr.path("toRef").path("repository")))
        .actor(Json.text(root, "actor", "name"))
        .url(Json.text(pr.path("links").path("self").path(0), "href"))
        .status(Json.text(pr, "state"))
        .severity(Severity.INFO)
        .occurredAt(Times.parse(Json.text(root, "date")))
        .attribute("number", Json.text(pr, "id"))
        .attribute("title", Json.text(pr, "title"))
        .attribute("base_branch", Json.text(pr, "toRef", "displayId"));
  }

  /** {@code PROJECT/slug}, the way Bitbucket Server names a repository in its URLs. */
  private static @Nullable String serverRepository(JsonNode repo) {
    String slug = Json.text(repo, "slug");
    String project = Json.text(repo, "project", "key");
    return slug == null ? null : project == null ? slug : project + "/" + slug;
  }

  private static @Nullable String cloudActor(JsonNode root) {
    return Json.first(Json.text(root, "actor", "nickname"), Json.text(root, "actor", "username"),
        Json.text(root, "actor", "display_name"));
  }
}
