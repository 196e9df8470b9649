package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
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
 * Parses CircleCI outbound webhooks ({@code workflow-completed}, {@code job-completed}, {@code
 * ping}) into events of provider {@code circleci}: type {@code workflow} or {@code job} (ping:
 * {@code ping}); action from the status ({@code success} → succeeded, {@code failed}/{@code
 * error} → failed, {@code canceled} → cancelled, {@code on_hold} → queued); subject the workflow
 * or job name; branch, tag and commit from {@code pipeline.vcs}; repository as {@code
 * owner/name} from the origin repository URL (else the project slug); url the workflow's page;
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
      case "workflow-completed" -> "workflow";
      case "job-completed" -> "job";
      case "ping" -> "ping";
      default -> "custom";
    };
    JsonNode subjectNode = type.equals("job") ? root.path("job") : root.path("workflow");
    String status = Json.text(subjectNode, "status");
    String action = type.equals("ping") ? null : Outcomes.ciAction(status);
    JsonNode vcs = root.path("pipeline").path("vcs");
    String id = Json.text(root, "id");
    return Parsing.event(delivery, id != null ? id : DeliveryIds.contentHash(delivery), PROVIDER, type, root)
        .action(action)
        .sourceEvent(kind)
        .subject(Json.text(subjectNode, "name"))
        .branch(Json.text(vcs, "branch"))
        .tag(Json.text(vcs, "tag"))
        .commit(Json.text(vcs, "revision"))
        .repository(Json.first(repositoryOf(Json.text(vcs, "origin_repository_url")),
            repositoryOf(Json.text(root, "project", "slug"))))
        .actor(Json.text(vcs, "commit", "author", "name"))
        .url(Json.text(root, "workflow", "url"))
        .status(status)
        .severity(action == null ? Severity.INFO : Outcomes.ciSeverity(action))
        .occurredAt(Times.parse(Json.text(root, "happened_at")))
        .attribute("pipeline_number", Json.text(root, "pipeline", "number"))
        .attribute("project_slug", Json.text(root, "project", "slug"))
        .attribute("workflow_id", Json.text(root, "workflow", "id"))
        .attribute("job_number", Json.text(root, "job", "number"))
        .attribute("vcs_provider", Json.text(vcs, "provider_name"))
        .build();
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
