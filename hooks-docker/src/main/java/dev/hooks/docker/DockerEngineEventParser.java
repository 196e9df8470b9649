package dev.hooks.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.Delivery;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.DockerEventPayloadParser;
import java.io.IOException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Reads the deliveries a {@link DockerEngineSource} journals: one Engine event as {@code GET
 * /events} emits it ({@code Type}, {@code Action}, {@code Actor}, {@code timeNano}), plus a
 * {@code Container} object the source adds from inspecting the container and reading its logs.
 * Events are of provider {@code docker}, with the types and actions of the hooks-parsers Docker
 * event parser (the vocabulary's {@code container} and {@code image}), so a route written for
 * forwarded Docker events matches these too.
 *
 * <table>
 *   <caption>Fields of the event</caption>
 *   <tr><th>field</th><th>value</th></tr>
 *   <tr><td>id</td><td>{@code <timeNano>-<actor id>-<Action>}: the delivery id the journal deduplicates on</td></tr>
 *   <tr><td>type</td><td>{@code container}, {@code image}, else {@code custom}</td></tr>
 *   <tr><td>action</td><td>died, oom, unhealthy, healthy, started, stopped, restarted, killed, pulled, tagged...</td></tr>
 *   <tr><td>subject</td><td>the compose service, else the container (or image) name</td></tr>
 *   <tr><td>severity</td><td>ERROR for a non-zero death and unhealthy, CRITICAL for oom, OK for healthy, else INFO</td></tr>
 *   <tr><td>attributes</td><td>{@code container_name}, {@code container_id}, {@code image}, {@code exit_code},
 *       {@code uptime} (such as {@code 2h 15m 3s}), {@code uptime_seconds}, {@code logs} (the last lines, one
 *       per line), {@code oom_killed}, {@code health}, {@code compose_project}, {@code compose_service}</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 */
public final class DockerEngineEventParser implements PayloadParser {
  /** The provider of the events. */
  public static final String PROVIDER = "docker";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public ParseResult parse(Delivery delivery) {
    JsonNode root;
    try {
      root = JSON.readTree(delivery.body());
    } catch (IOException e) {
      return ParseResult.failed("body is not JSON");
    }
    if (root == null || !root.isObject()) {
      return ParseResult.failed("body is not a JSON object");
    }
    String raw = text(root, "Action");
    if (raw == null) {
      return ParseResult.failed("missing field Action");
    }
    JsonNode nanos = root.path("timeNano");
    if (!nanos.isIntegralNumber()) {
      return ParseResult.failed("missing field timeNano");
    }
    long timeNano = nanos.asLong();
    String engineType = text(root, "Type");
    String type = DockerEventPayloadParser.typeOf(engineType == null ? "container" : engineType);
    JsonNode attrs = root.path("Actor").path("Attributes");
    String actorId = text(root.path("Actor"), "ID");
    if (actorId == null) {
      return ParseResult.failed("missing field Actor.ID");
    }
    JsonNode container = root.path("Container");
    String verb = verbOf(raw);
    String action = DockerEventPayloadParser.actionOf(type, raw);
    String exitCode = first(text(attrs, "exitCode"), text(container, "ExitCode"));
    String service = text(attrs, "com.docker.compose.service");
    String name = text(attrs, "name");
    boolean isContainer = "container".equals(type);
    WebhookEvent.Builder b = WebhookEvent.builder(deliveryId(timeNano, actorId, raw), PROVIDER, type)
        .endpointId(delivery.endpointId())
        .receivedAt(delivery.receivedAt())
        .payload(root)
        .action(action)
        .sourceEvent(verb)
        .subject("image".equals(type) ? DockerEventPayloadParser.imageSubject(actorId, name) : first(service, name, actorId))
        .status(raw.startsWith("health_status") ? raw : verb)
        .severity(severityOf(action, exitCode))
        .occurredAt(Instant.ofEpochSecond(Math.floorDiv(timeNano, 1_000_000_000L), Math.floorMod(timeNano, 1_000_000_000L)))
        .attribute("compose_project", text(attrs, "com.docker.compose.project"))
        .attribute("compose_service", service)
        .attribute("container_name", isContainer ? name : null)
        .attribute("container_id", isContainer ? actorId : null)
        .attribute("image", isContainer ? first(text(attrs, "image"), text(container, "Image"))
            : DockerEventPayloadParser.imageSubject(actorId, name))
        .attribute("exit_code", exitCode)
        .attribute("signal", text(attrs, "signal"))
        .attribute("health", text(container, "Health"))
        .attribute("oom_killed", text(container, "OOMKilled"));
    JsonNode uptime = container.path("UptimeSeconds");
    if (uptime.isIntegralNumber()) {
      b.attribute("uptime_seconds", Long.toString(uptime.asLong())).attribute("uptime", humanDuration(uptime.asLong()));
    }
    JsonNode logs = container.path("Logs");
    if (logs.isArray() && !logs.isEmpty()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode line : logs) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(line.asText());
      }
      b.attribute("logs", text.toString());
    }
    return ParseResult.ok(b.build());
  }

  /** The delivery id of an Engine event: its time, actor and action, unique per event. */
  static String deliveryId(long timeNano, String actorId, String action) {
    return timeNano + "-" + actorId + "-" + action;
  }

  /** {@code 8115} → {@code 2h 15m 15s}; {@code 42} → {@code 42s}; days shown past 24 hours. */
  static String humanDuration(long seconds) {
    long s = Math.max(0, seconds);
    long days = s / 86_400;
    long hours = s / 3_600 % 24;
    long minutes = s / 60 % 60;
    long rest = s % 60;
    StringBuilder out = new StringBuilder();
    if (days > 0) {
      out.append(days).append("d ");
    }
    if (days > 0 || hours > 0) {
      out.append(hours).append("h ");
    }
    if (days > 0 || hours > 0 || minutes > 0) {
      out.append(minutes).append("m ");
    }
    return out.append(rest).append('s').toString();
  }

  @Override
  public String toString() {
    return "DockerEngineEventParser";
  }

  private static String verbOf(String raw) {
    int colon = raw.indexOf(':');
    return colon < 0 ? raw.trim() : raw.substring(0, colon).trim();
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

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull() || v.isContainerNode()) {
      return null;
    }
    String s = v.asText();
    return s.isBlank() ? null : s;
  }

  private static @Nullable String first(@Nullable String... values) {
    for (String v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
