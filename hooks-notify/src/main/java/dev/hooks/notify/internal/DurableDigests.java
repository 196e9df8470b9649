package dev.hooks.notify.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.event.WebhookEvent;
import dev.hooks.state.StateStore;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Digest windows kept in a {@link StateStore}, so that a window's events survive a restart: one
 * key per open window ({@code digest-window/<route>/<group>} → its start), one key per event in
 * it ({@code digest-event/<route>/<group>/<start>/<event id>} → the fields a summary counts). An
 * event handled twice writes its key once, so a redelivery is not counted twice. A window is
 * finished by summarizing its events, then deleting the event keys, then the window key: a crash
 * between them leaves the window to be summarized again, under the same window id, which the
 * outbox's idempotency key turns into one message. Not thread-safe; the owner locks. Not API.
 */
public final class DurableDigests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WINDOWS = "digest-window/";
  private static final String EVENTS = "digest-event/";

  private final StateStore state;

  public DurableDigests(StateStore state) {
    this.state = state;
  }

  /** An open window as stored. */
  public record Open(String route, String group, Instant start, long version) {
    /** The id that makes the window's summary one message however often it is enqueued. */
    public String windowId() {
      return "digest:" + route + ":" + (group.isEmpty() ? "" : group + ":") + start.toEpochMilli();
    }
  }

  /** The open window of {@code route} and {@code group}, if any. */
  public Optional<Open> open(String route, String group) {
    return state.get(windowKey(route, group)).map(v -> new Open(route, group, Instant.ofEpochMilli(Long.parseLong(v.value())), v.version()));
  }

  /** Opens a window starting {@code now}, or returns the one another writer opened first. */
  public Open openAt(String route, String group, Instant now) {
    String key = windowKey(route, group);
    if (state.compareAndSet(key, 0, Long.toString(now.toEpochMilli())).isPresent()) {
      return open(route, group).orElseThrow();
    }
    return open(route, group).orElseThrow(() -> new IllegalStateException("digest window " + key + " vanished while opening"));
  }

  /**
   * Records {@code event} in {@code window}.
   *
   * @return the number of events in the window now
   */
  public int add(Open window, WebhookEvent event, Instant now) {
    ObjectNode v = JSON.createObjectNode();
    v.put("at", now.toEpochMilli());
    v.put("id", event.id());
    v.put("provider", event.provider());
    v.put("type", event.type());
    event.action().ifPresent(a -> v.put("action", a));
    event.branch().ifPresent(a -> v.put("branch", a));
    event.tag().ifPresent(a -> v.put("tag", a));
    event.subject().ifPresent(a -> v.put("subject", a));
    state.compareAndSet(eventPrefix(window) + enc(event.id()), 0, v.toString());
    return state.list(eventPrefix(window)).size();
  }

  /** Every open window, of every route and group. */
  public List<Open> all() {
    List<Open> out = new ArrayList<>();
    for (Map.Entry<String, StateStore.Versioned> e : state.list(WINDOWS).entrySet()) {
      String[] parts = e.getKey().substring(WINDOWS.length()).split("/", -1);
      if (parts.length == 2) {
        out.add(new Open(dec(parts[0]), dec(parts[1]), Instant.ofEpochMilli(Long.parseLong(e.getValue().value())), e.getValue().version()));
      }
    }
    return out;
  }

  /** The window's events, summarized, in the order they were recorded. */
  public DigestWindow window(Open open, Duration length) {
    DigestWindow w = new DigestWindow(open.start(), length);
    List<JsonNode> events = new ArrayList<>();
    for (StateStore.Versioned v : state.list(eventPrefix(open)).values()) {
      try {
        events.add(JSON.readTree(v.value()));
      } catch (IOException e) {
        // a value this class did not write: not an event of the window
      }
    }
    events.sort(Comparator.<JsonNode>comparingLong(n -> n.path("at").asLong()).thenComparing(n -> n.path("id").asText()));
    for (JsonNode n : events) {
      w.add(WebhookEvent.builder(n.path("id").asText(), n.path("provider").asText(), n.path("type").asText())
          .action(text(n, "action")).branch(text(n, "branch")).tag(text(n, "tag")).subject(text(n, "subject")).build());
    }
    return w;
  }

  /** Removes the window's events, then the window; call once its summary is enqueued. */
  public void finish(Open open) {
    for (Map.Entry<String, StateStore.Versioned> e : state.list(eventPrefix(open)).entrySet()) {
      state.delete(e.getKey(), e.getValue().version());
    }
    state.delete(windowKey(open.route(), open.group()), open.version());
  }

  private static @Nullable String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }

  private static String windowKey(String route, String group) {
    return WINDOWS + enc(route) + "/" + enc(group);
  }

  private static String eventPrefix(Open w) {
    return EVENTS + enc(w.route()) + "/" + enc(w.group()) + "/" + w.start().toEpochMilli() + "/";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
