package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.hooks.parsers.internal.ParseFailure;
import dev.hooks.parsers.internal.Parsing;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses supervisor process-state events into events of provider {@code supervisor}, type {@code
 * process}. These bodies are read (every format hooks-supervisor's listener sends):
 *
 * <ul>
 *   <li>the form superhooks posts ({@code application/x-www-form-urlencoded}): {@code event_name},
 *       {@code process_name} ({@code group:name}), {@code from_state}, {@code pheaders_all} (the
 *       event's {@code key:value} headers separated by spaces) and any extra fields configured
 *       with {@code -d};
 *   <li>JSON with the same fields, or supervisor's own names ({@code eventname}, {@code
 *       processname}, {@code groupname}, {@code from_state}, {@code pid}, {@code expected});
 *   <li>the text supervisord writes to an event listener ({@code text/plain}, or any body that
 *       starts with {@code ver:}): the header line, a newline and the payload, read by {@link
 *       SupervisorListenerEvent}; the payload is then one JSON object of the header line's and the
 *       payload's tokens (and {@code data}).
 * </ul>
 *
 * <p>The payload is the form as a JSON object (every field, {@code pheaders_all} as sent). Action:
 * the state after {@code PROCESS_STATE_} in lower case ({@code starting}, {@code running}, {@code
 * backoff}, {@code stopping}, {@code exited}, {@code stopped}, {@code fatal}, {@code unknown});
 * absent for events that are not a process state ({@code TICK_60}, {@code PROCESS_LOG_STDOUT}).
 * Severity: FATAL is CRITICAL, an unexpected EXITED ({@code expected:0}) ERROR, BACKOFF and UNKNOWN
 * WARNING, RUNNING OK, the rest INFO. Subject: the process name. Status and source event: the
 * event name. Attributes: {@code process_name} ({@code group:name}), {@code group}, {@code
 * from_state}, {@code pid}, {@code expected}, {@code tries}. The id is the content hash.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent e = new SupervisorPayloadParser().parse(delivery).event();
 * if (e.action().orElse("").equals("fatal")) alert(e.subject().orElseThrow());
 * }</pre>
 */
public final class SupervisorPayloadParser implements PayloadParser {
  static final String PROVIDER = "supervisor";
  private static final Set<String> MEDIA_TYPES = Set.of("application/x-www-form-urlencoded", "application/json",
      "text/plain");

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, readBody(delivery)));
  }

  @Override
  public Set<String> mediaTypes() {
    return MEDIA_TYPES;
  }

  @Override
  public String toString() {
    return "SupervisorPayloadParser";
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  /** The form as a JSON object, the listener's text as one, or the JSON body. */
  static JsonNode readBody(Delivery delivery) {
    if ("text/plain".equals(delivery.mediaType()) || SupervisorListenerEvent.looksLikeOne(delivery.body())) {
      return fromListenerText(delivery.body());
    }
    if ("application/x-www-form-urlencoded".equals(delivery.mediaType())) {
      ObjectNode form = Json.MAPPER.createObjectNode();
      Forms.decode(delivery.body()).forEach(form::put);
      return form;
    }
    return fromChat(Json.read(delivery.body()));
  }

  /**
   * supervisord's listener text ({@link SupervisorListenerEvent}) as one JSON object: the header
   * line's tokens, then the payload's ({@code processname}, {@code groupname}, {@code from_state}...),
   * and {@code data} when the payload has any.
   */
  static JsonNode fromListenerText(byte[] body) {
    SupervisorListenerEvent event;
    try {
      event = SupervisorListenerEvent.parse(body);
    } catch (IllegalArgumentException e) {
      throw new ParseFailure("not a supervisor listener event: " + e.getMessage());
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    event.envelope().forEach(out::put);
    event.headers().forEach((k, v) -> {
      if (!out.has(k)) {
        out.put(k, v);
      }
    });
    if (!event.data().isEmpty()) {
      out.put("data", event.data());
    }
    return out;
  }

  /** Chat field labels → the form's field names. */
  private static final Map<String, String> CHAT_FIELDS = Map.of(
      "process", "process_name", "event", "event_name", "from", "from_state",
      "pid", "pid", "expected", "expected", "tries", "tries");

  /**
   * A Discord body ({@code embeds[0].fields[].name/value}) or a Slack body ({@code
   * attachments[0].fields[].title/value}) as the form's fields; any other body as it is.
   */
  private static JsonNode fromChat(JsonNode root) {
    JsonNode fields = root.path("embeds").path(0).path("fields");
    String label = "name";
    if (!fields.isArray()) {
      fields = root.path("attachments").path(0).path("fields");
      label = "title";
    }
    if (!fields.isArray() || root.has("event_name") || root.has("eventname")) {
      return root;
    }
    ObjectNode form = Json.MAPPER.createObjectNode();
    for (JsonNode field : fields) {
      String name = field.path(label).asText("");
      String key = CHAT_FIELDS.getOrDefault(name.toLowerCase(Locale.ROOT), name);
      if (!key.isEmpty() && field.path("value").isTextual()) {
        form.put(key, field.path("value").asText());
      }
    }
    return form;
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    String eventName = Json.first(Json.text(root, "event_name"), Json.text(root, "eventname"));
    if (eventName == null) {
      throw new ParseFailure("missing field event_name");
    }
    Map<String, String> headers = headersOf(Json.text(root, "pheaders_all"));
    String processName = Json.text(root, "process_name");
    String group = Json.first(headers.get("groupname"), Json.text(root, "groupname"), groupOf(processName));
    String name = Json.first(headers.get("processname"), Json.text(root, "processname"), nameOf(processName));
    String state = eventName.startsWith("PROCESS_STATE_") ? eventName.substring("PROCESS_STATE_".length()) : eventName;
    String expected = Json.first(headers.get("expected"), Json.text(root, "expected"));
    String action = state.toLowerCase(Locale.ROOT);
    return Parsing.event(delivery, DeliveryIds.contentHash(delivery), PROVIDER, EventTypes.PROCESS, root)
        .action(EventActions.PROCESS.contains(action) ? action : null)
        .sourceEvent(eventName)
        .subject(name)
        .status(eventName)
        .severity(severityOf(state, expected))
        .attribute("process_name", Json.first(processName, group != null && name != null ? group + ":" + name : name))
        .attribute("group", group)
        .attribute("from_state", Json.first(Json.text(root, "from_state"), headers.get("from_state")))
        .attribute("pid", Json.first(headers.get("pid"), Json.text(root, "pid")))
        .attribute("expected", expected)
        .attribute("tries", Json.first(headers.get("tries"), Json.text(root, "tries")))
        .build();
  }

  private static Severity severityOf(String state, @Nullable String expected) {
    return switch (state) {
      case "FATAL" -> Severity.CRITICAL;
      case "EXITED" -> "1".equals(expected) ? Severity.INFO : Severity.ERROR;
      case "BACKOFF", "UNKNOWN" -> Severity.WARNING;
      case "RUNNING" -> Severity.OK;
      default -> Severity.INFO;
    };
  }

  /** {@code "processname:meow pid:25232 "} → {processname=meow, pid=25232}. */
  private static Map<String, String> headersOf(@Nullable String all) {
    Map<String, String> out = new LinkedHashMap<>();
    if (all != null) {
      for (String token : all.trim().split("\\s+")) {
        int colon = token.indexOf(':');
        if (colon > 0 && colon < token.length() - 1) {
          out.putIfAbsent(token.substring(0, colon), token.substring(colon + 1));
        }
      }
    }
    return out;
  }

  private static @Nullable String groupOf(@Nullable String processName) {
    int colon = processName == null ? -1 : processName.indexOf(':');
    return colon > 0 ? processName.substring(0, colon) : null;
  }

  private static @Nullable String nameOf(@Nullable String processName) {
    if (processName == null) {
      return null;
    }
    int colon = processName.indexOf(':');
    return colon >= 0 ? processName.substring(colon + 1) : processName;
  }
}
