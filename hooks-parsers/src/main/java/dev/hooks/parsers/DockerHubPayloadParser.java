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
import dev.hooks.parsers.internal.Parsing;
import dev.hooks.parsers.internal.Times;

/**
 * Parses Docker Hub repository webhooks (an image pushed) into events of provider {@code
 * dockerhub}, type {@code image} and action {@code pushed}: the tag pushed, the repository ({@code namespace/name}), the
 * pusher as actor, the image reference ({@code namespace/name:tag}) as subject and in attribute
 * {@code image}. Docker Hub sends no delivery id, so the id is the content hash. The {@code
 * callback_url} stays in the payload only: anyone holding it can mark the push as validated.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent e = new DockerHubPayloadParser().parse(delivery).event();
 * e.subject(); // Optional[y2khub/tag_game:latest]
 * }</pre>
 */
public final class DockerHubPayloadParser implements PayloadParser {
  static final String PROVIDER = "dockerhub";

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "DockerHubPayloadParser";
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    JsonNode push = Json.requiredObject(root, "push_data");
    String repo = Json.required(root, "repository", "repo_name");
    String tag = Json.text(push, "tag");
    String image = tag == null ? repo : repo + ":" + tag;
    return Parsing.event(delivery, DeliveryIds.contentHash(delivery), PROVIDER, EventTypes.IMAGE, root)
        .action(EventActions.PUSHED)
        .sourceEvent("push")
        .repository(repo)
        .tag(tag)
        .actor(Json.text(push, "pusher"))
        .url(Json.text(root, "repository", "repo_url"))
        .subject(image)
        .status(Json.text(root, "repository", "status"))
        .severity(Severity.INFO)
        .occurredAt(epochSeconds(push.path("pushed_at")))
        .attribute("image", image)
        .attribute("namespace", Json.text(root, "repository", "namespace"))
        .attribute("media_type", Json.text(push, "media_type"))
        .build();
  }

  /** Docker Hub has sent pushed_at both as an integer and as a float such as 1.417566822e+09. */
  private static java.time.@org.jspecify.annotations.Nullable Instant epochSeconds(JsonNode n) {
    if (n.isFloatingPointNumber()) {
      double s = n.asDouble();
      return Double.isFinite(s) && Math.abs(s) < 1e15 ? java.time.Instant.ofEpochSecond((long) s) : null;
    }
    return Times.epochSeconds(n);
  }
}
