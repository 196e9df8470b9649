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
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Parses one Docker Engine event, as {@code GET /events} (and {@code docker events --format
 * '{{json .}}'}) emits it, into an event of provider {@code docker}. Use it for events read from
 * the engine and for deliveries from tools that forward them unchanged.
 *
 * <table>
 *   <caption>Normalization of container events</caption>
 *   <tr><th>Action</th><th>action</th><th>severity</th></tr>
 *   <tr><td>health_status: unhealthy</td><td>unhealthy</td><td>ERROR</td></tr>
 *   <tr><td>health_status: healthy</td><td>healthy</td><td>OK</td></tr>
 *   <tr><td>die</td><td>died</td><td>ERROR, or INFO when exitCode is 0</td></tr>
 *   <tr><td>oom</td><td>oom</td><td>CRITICAL</td></tr>
 *   <tr><td>kill</td><td>killed</td><td>WARNING</td></tr>
 *   <tr><td>start, stop, restart, create, destroy, pause, unpause</td><td>started, stopped,
 *       restarted, created, destroyed, paused, unpaused</td><td>INFO</td></tr>
 *   <tr><td>any other (exec_start: cmd, attach, rename...)</td><td>updated; attribute {@code
 *       source_action} the verb alone (the arguments may hold secrets and are dropped)</td><td>INFO</td></tr>
 * </table>
 *
 * <p>The type is {@code container} or {@code image} after the event's {@code Type}; other objects
 * (network, volume, plugin...) are {@code custom} with the verb as action and attribute {@code
 * engine_type}. Image actions: pushed, pulled, tagged, untagged, deleted, else updated; an image
 * event's subject and attribute {@code image} are the reference with its tag ({@code
 * alpine:latest}). The subject of a container event is the compose service ({@code
 * com.docker.compose.service} label) when present, else the container name. Attributes: {@code compose_project}, {@code compose_service}, {@code
 * container_name}, {@code container_id}, {@code image}, {@code exit_code}, {@code signal}. The
 * status is the engine's own action word ({@code health_status: unhealthy}, {@code die}). The id
 * is the content hash: the engine's nanosecond time makes each event's bytes unique.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent e = new DockerEventPayloadParser().parse(delivery).event();
 * if (e.action().orElse("").equals("unhealthy")) restart(e.subject().orElseThrow());
 * }</pre>
 */
public final class DockerEventPayloadParser implements PayloadParser {
  static final String PROVIDER = "docker";

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "DockerEventPayloadParser";
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    // engines before API 1.22 sent only status/id/from
    String raw = Json.first(Json.text(root, "Action"), Json.text(root, "status"));
    if (raw == null) {
      throw new ParseFailure("missing field Action");
    }
    String engineType = Json.text(root, "Type");
    engineType = engineType == null ? "container" : engineType.toLowerCase(Locale.ROOT);
    // the vocabulary has containers and images; networks, volumes, plugins... are custom
    String type = typeOf(engineType);
    JsonNode attrs = root.path("Actor").path("Attributes");
    String verb = verbOf(raw);
    String action = actionOf(type, raw);
    String exitCode = Json.text(attrs, "exitCode");
    String service = Json.text(attrs, "com.docker.compose.service");
    String name = Json.text(attrs, "name");
    String id = Json.first(Json.text(root, "Actor", "ID"), Json.text(root, "id"));
    String word = verb.equals("health_status") ? raw.substring(raw.indexOf(':') + 1).trim() : verb;
    // the engine's verb is kept where the vocabulary folds it into "updated"
    return Outcomes.action(Parsing.event(delivery, DeliveryIds.contentHash(delivery), PROVIDER, type, root), action,
            EventActions.UPDATED.equals(action) ? word : null)
        .sourceEvent(verb)
        .subject(type.equals(EventTypes.IMAGE) ? imageSubject(id, name) : Json.first(service, name, id))
        .status(raw.startsWith("health_status") ? raw : verb)
        .commit(Json.text(attrs, "org.opencontainers.image.revision"))
        .severity(severityOf(action, exitCode))
        .occurredAt(timeOf(root))
        .attribute("compose_project", Json.text(attrs, "com.docker.compose.project"))
        .attribute("compose_service", service)
        .attribute("container_name", "container".equals(type) ? name : null)
        .attribute("container_id", "container".equals(type) ? id : null)
        .attribute("image", type.equals(EventTypes.IMAGE) ? imageSubject(id, name)
            : Json.first(Json.text(attrs, "image"), Json.text(root, "from")))
        .attribute("engine_type", type.equals(EventTypes.CUSTOM) ? engineType : null)
        .attribute("exit_code", exitCode)
        .attribute("signal", Json.text(attrs, "signal"))
        .build();
  }

  /**
   * The vocabulary's type of an Engine event's {@code Type}: {@code container}, {@code image},
   * else {@code custom} (networks, volumes, plugins...). Shared with hooks-docker's Engine source.
   */
  public static String typeOf(String engineType) {
    return switch (engineType.toLowerCase(Locale.ROOT)) {
      case "container" -> EventTypes.CONTAINER;
      case "image" -> EventTypes.IMAGE;
      default -> EventTypes.CUSTOM;
    };
  }

  /**
   * The vocabulary's action of an Engine event of that type ({@link #typeOf}) and raw {@code
   * Action} ({@code die}, {@code health_status: unhealthy}, {@code pull}...): {@code died}, {@code
   * unhealthy}, {@code pulled}... Shared with hooks-docker's Engine source.
   */
  public static String actionOf(String type, String rawAction) {
    String verb = verbOf(rawAction);
    return switch (type) {
      case EventTypes.CONTAINER -> containerAction(verb, rawAction);
      case EventTypes.IMAGE -> imageAction(verb);
      default -> verb;
    };
  }

  /** {@code "exec_start: sh -c x"} → {@code exec_start}; {@code "health_status: unhealthy"} kept whole. */
  private static String verbOf(String raw) {
    int colon = raw.indexOf(':');
    return colon < 0 ? raw.trim() : raw.substring(0, colon).trim();
  }

  /**
   * An image event's subject: the reference with its tag. A pull or push names it in {@code
   * Actor.ID} ({@code alpine:latest}, with {@code name} {@code alpine}); a tag names it in {@code
   * name} and the image id in {@code Actor.ID}. Shared with hooks-docker's Engine source.
   */
  public static @Nullable String imageSubject(@Nullable String id, @Nullable String name) {
    if (id != null && !id.startsWith("sha256:")) {
      return id;
    }
    return name != null && !name.startsWith("sha256:") ? name : id;
  }

  private static String imageAction(String verb) {
    return switch (verb) {
      case "push" -> EventActions.PUSHED;
      case "pull" -> EventActions.PULLED;
      case "tag" -> EventActions.TAGGED;
      case "untag" -> EventActions.UNTAGGED;
      case "delete" -> EventActions.DELETED;
      default -> EventActions.UPDATED;
    };
  }

  private static String containerAction(String verb, String raw) {
    if (verb.equals("health_status")) {
      String health = raw.substring(raw.indexOf(':') + 1).trim();
      return health.equals("healthy") ? EventActions.HEALTHY
          : health.equals("unhealthy") ? EventActions.UNHEALTHY : EventActions.UPDATED;
    }
    return switch (verb) {
      case "die" -> "died";
      case "start" -> "started";
      case "stop" -> "stopped";
      case "restart" -> "restarted";
      case "kill" -> "killed";
      case "create" -> "created";
      case "destroy" -> "destroyed";
      case "pause" -> "paused";
      case "unpause" -> "unpaused";
      case "oom" -> "oom";
      default -> EventActions.UPDATED;
    };
  }

  private static Severity severityOf(String action, @Nullable String exitCode) {
    return switch (action) {
      case "unhealthy" -> Severity.ERROR;
      case "healthy" -> Severity.OK;
      case "oom" -> Severity.CRITICAL;
      case "killed" -> Severity.WARNING;
      case "died" -> "0".equals(exitCode) ? Severity.INFO : Severity.ERROR;
      default -> Severity.INFO;
    };
  }

  private static @Nullable Instant timeOf(JsonNode root) {
    JsonNode nanos = root.path("timeNano");
    if (nanos.canConvertToLong() && nanos.isIntegralNumber()) {
      long n = nanos.asLong();
      return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }
    return Times.epochSeconds(root.path("time"));
  }
}
