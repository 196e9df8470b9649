package dev.hooks.supervisor;

import dev.hooks.parsers.SupervisorListenerEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one event is sent as.
 *
 * <ul>
 *   <li>{@link #FORM}: superhooks' body, field for field: {@code process_name} ({@code
 *       group:name}), {@code from_state}, {@code event_name}, {@code pheaders_all} (every payload
 *       token as {@code key:value} followed by a space), then the {@code -d} items; a value {@code
 *       dump_params} becomes the event name, a newline and the tokens one per line as {@code key:
 *       value}. Encoded as Python's {@code urlencode} encodes it (space as {@code +}).
 *   <li>{@link #JSON}: the same fields as a JSON object, then {@code headers} (the tokens as an
 *       object), {@code log} (the output of a log event), {@code id} and {@code received_at}.
 *   <li>{@link #DISCORD}: an execute-webhook body with one embed, its fields Process, Event, From,
 *       PID, Expected, Tries and the {@code -d} items, colored by the state.
 *   <li>{@link #SLACK}: an incoming-webhook body, {@code text} and one attachment with the same
 *       fields.
 * </ul>
 *
 * <p>hooks-parsers' {@code SupervisorPayloadParser} reads all four.
 */
public enum BodyFormat {
  FORM("application/x-www-form-urlencoded"),
  JSON("application/json"),
  DISCORD("application/json"),
  SLACK("application/json");

  private static final JsonFactory JSON_FACTORY = new JsonFactory();
  private static final int DISCORD_FIELD_VALUE = 1024;
  private static final int DISCORD_FIELDS = 25;
  private static final int LOG_EXCERPT = 1500;

  private final String contentType;

  BodyFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The {@code Content-Type} of the bodies. */
  public String contentType() {
    return contentType;
  }

  /**
   * Reads a {@code --format} value.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static BodyFormat of(String name) {
    for (BodyFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown format '" + name + "': one of form, json, discord, slack");
  }

  /**
   * The body for one event.
   *
   * @param event the event
   * @param id the event's stable id
   * @param receivedAt when the listener read it
   * @param data the {@code -d} items, in order
   */
  byte[] render(SupervisorListenerEvent event, String id, Instant receivedAt, List<Map.Entry<String, String>> data) {
    Map<String, String> fields = fields(event, data);
    return switch (this) {
      case FORM -> FormEncoding.encode(fields).getBytes(StandardCharsets.US_ASCII);
      case JSON -> json(g -> {
        g.writeStartObject();
        for (Map.Entry<String, String> f : fields.entrySet()) {
          g.writeStringField(f.getKey(), f.getValue());
        }
        if (!fields.containsKey("headers")) {
          g.writeObjectFieldStart("headers");
          for (Map.Entry<String, String> h : event.headers().entrySet()) {
            g.writeStringField(h.getKey(), h.getValue());
          }
          g.writeEndObject();
        }
        putIfAbsent(g, fields, "log", event.data().isEmpty() ? null : event.data());
        putIfAbsent(g, fields, "id", id);
        putIfAbsent(g, fields, "received_at", receivedAt.toString());
        g.writeEndObject();
      });
      case DISCORD -> json(g -> {
        g.writeStartObject();
        g.writeStringField("username", "supervisor");
        g.writeArrayFieldStart("embeds");
        g.writeStartObject();
        g.writeStringField("title", cut(title(event), 256));
        if (!event.data().isEmpty()) {
          g.writeStringField("description", "```\n" + cut(event.data(), LOG_EXCERPT).replace("```", "'''") + "\n```");
        }
        g.writeNumberField("color", color(event));
        g.writeArrayFieldStart("fields");
        int n = 0;
        for (Map.Entry<String, String> f : chatFields(event, data).entrySet()) {
          if (n++ == DISCORD_FIELDS) {
            break;
          }
          g.writeStartObject();
          g.writeStringField("name", cut(f.getKey(), 256));
          g.writeStringField("value", cut(f.getValue().isEmpty() ? "-" : f.getValue(), DISCORD_FIELD_VALUE));
          g.writeBooleanField("inline", f.getValue().length() < 40);
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("timestamp", receivedAt.toString());
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
      });
      case SLACK -> json(g -> {
        g.writeStartObject();
        g.writeStringField("text", title(event));
        g.writeArrayFieldStart("attachments");
        g.writeStartObject();
        g.writeStringField("color", String.format(Locale.ROOT, "#%06x", color(event)));
        if (!event.data().isEmpty()) {
          g.writeStringField("text", "```" + cut(event.data(), LOG_EXCERPT) + "```");
        }
        g.writeArrayFieldStart("fields");
        for (Map.Entry<String, String> f : chatFields(event, data).entrySet()) {
          g.writeStartObject();
          g.writeStringField("title", f.getKey());
          g.writeStringField("value", f.getValue());
          g.writeBooleanField("short", f.getValue().length() < 40);
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("ts", receivedAt.getEpochSecond());
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
      });
    };
  }

  /** superhooks' fields: process_name, from_state, event_name, pheaders_all, then the -d items. */
  static Map<String, String> fields(SupervisorListenerEvent event, List<Map.Entry<String, String>> data) {
    Map<String, String> fields = new LinkedHashMap<>();
    String process = event.processName();
    if (process != null) {
      fields.put("process_name", process);
    }
    String from = event.headers().get("from_state");
    if (from != null) {
      fields.put("from_state", from);
    }
    fields.put("event_name", event.eventName());
    String all = event.headersAll();
    fields.put("pheaders_all", all);
    for (Map.Entry<String, String> item : data) {
      fields.put(item.getKey(), "dump_params".equals(item.getValue()) ? dumpParams(event, all) : item.getValue());
    }
    return fields;
  }

  /** superhooks' {@code dump_params}: the event name, then every token on a line of its own. */
  static String dumpParams(SupervisorListenerEvent event, String headersAll) {
    return event.eventName() + "\n" + headersAll.replace(' ', '\n').replace(":", ": ");
  }

  /** The chat fields: Process, Event, From, PID, Expected, Tries, then the -d items. */
  private static Map<String, String> chatFields(SupervisorListenerEvent event, List<Map.Entry<String, String>> data) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> h = event.headers();
    putIfPresent(out, "Process", event.processName());
    out.put("Event", event.eventName());
    putIfPresent(out, "From", h.get("from_state"));
    putIfPresent(out, "PID", h.get("pid"));
    putIfPresent(out, "Expected", h.get("expected"));
    putIfPresent(out, "Tries", h.get("tries"));
    for (Map.Entry<String, String> item : data) {
      out.put(item.getKey(), "dump_params".equals(item.getValue()) ? dumpParams(event, event.headersAll()) : item.getValue());
    }
    return out;
  }

  /** {@code cat:meow EXITED unexpectedly (from RUNNING)}. */
  static String title(SupervisorListenerEvent event) {
    String process = event.processName();
    StringBuilder t = new StringBuilder(process == null ? "supervisor" : process).append(' ').append(event.state());
    if ("EXITED".equals(event.state()) && !event.expectedExit()) {
      t.append(" unexpectedly");
    }
    String from = event.headers().get("from_state");
    if (from != null) {
      t.append(" (from ").append(from).append(')');
    }
    return t.toString();
  }

  /** Red for FATAL, orange for an unexpected exit, amber for BACKOFF and UNKNOWN, green for RUNNING, grey otherwise. */
  static int color(SupervisorListenerEvent event) {
    return switch (event.state()) {
      case "FATAL" -> 0xd00000;
      case "EXITED" -> event.expectedExit() ? 0x95a5a6 : 0xe67e22;
      case "BACKOFF", "UNKNOWN" -> 0xf1c40f;
      case "RUNNING" -> 0x2ecc71;
      default -> 0x95a5a6;
    };
  }

  private static void putIfPresent(Map<String, String> out, String key, String value) {
    if (value != null) {
      out.put(key, value);
    }
  }

  private static void putIfAbsent(JsonGenerator g, Map<String, String> fields, String key, String value) throws IOException {
    if (value != null && !fields.containsKey(key)) {
      g.writeStringField(key, value);
    }
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] json(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory", e);
    }
    return out.toByteArray();
  }
}
