package dev.hooks.parsers;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event in the text format supervisord writes to an event listener's stdin: the header line
 * ({@code ver}, {@code server}, {@code serial}, {@code pool}, {@code poolserial}, {@code
 * eventname}, {@code len}), a newline, then {@code len} bytes of payload, itself a line of {@code
 * key:value} tokens ({@code processname}, {@code groupname}, {@code from_state}, {@code pid},
 * {@code expected}, {@code tries}...) optionally followed by a newline and data (the output of
 * {@code PROCESS_LOG_*} and {@code PROCESS_COMMUNICATION_*} events). See supervisor's "Events"
 * documentation, "Event Listener Notification Protocol".
 *
 * <p>{@link SupervisorPayloadParser} reads deliveries in this format ({@code text/plain}); an
 * event listener reads the same format from its stdin. Both maps keep the order in which
 * supervisord wrote the tokens. Immutable and thread-safe.
 *
 * <pre>{@code
 * SupervisorListenerEvent e = SupervisorListenerEvent.parse(
 *     "ver:3.0 server:supervisor serial:21 pool:listener poolserial:10 eventname:PROCESS_STATE_STARTING len:54",
 *     "processname:sample groupname:sample from_state:STOPPED tries:0".getBytes(UTF_8));
 * e.state();        // STARTING
 * e.processName();  // sample:sample
 * }</pre>
 *
 * @param envelope the header line's tokens
 * @param headers the payload's first line's tokens
 * @param data what follows the payload's first line, decoded as UTF-8; empty when nothing does
 */
public record SupervisorListenerEvent(Map<String, String> envelope, Map<String, String> headers, String data) {

  /** Makes unmodifiable copies of the maps. */
  public SupervisorListenerEvent {
    envelope = Collections.unmodifiableMap(new LinkedHashMap<>(envelope));
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(data, "data");
  }

  /**
   * Reads one event from its header line and payload.
   *
   * @param headerLine the header line without its newline
   * @param payload the {@code len} payload bytes (UTF-8 when they are text)
   * @throws IllegalArgumentException if the header line has no {@code eventname}, or its {@code
   *     len} is not the payload's length
   */
  public static SupervisorListenerEvent parse(String headerLine, byte[] payload) {
    Map<String, String> envelope = tokens(headerLine);
    if (!envelope.containsKey("eventname")) {
      throw new IllegalArgumentException("the header line has no eventname");
    }
    String len = envelope.get("len");
    if (len != null && !len.equals(Integer.toString(payload.length))) {
      throw new IllegalArgumentException("the payload is " + payload.length + " bytes; the header line says len:"
          + (len.length() > 12 ? len.substring(0, 12) + "..." : len));
    }
    String text = new String(payload, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String first = newline < 0 ? text : text.substring(0, newline);
    String data = newline < 0 ? "" : text.substring(newline + 1);
    return new SupervisorListenerEvent(envelope, tokens(first), data);
  }

  /**
   * Reads one event as supervisord writes it to a listener: the header line, a newline, and the
   * payload.
   *
   * @throws IllegalArgumentException if there is no newline after the header line, or as {@link
   *     #parse(String, byte[])}
   */
  public static SupervisorListenerEvent parse(byte[] message) {
    int newline = -1;
    for (int i = 0; i < message.length; i++) {
      if (message[i] == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0) {
      throw new IllegalArgumentException("no newline after the header line");
    }
    String header = new String(message, 0, newline, StandardCharsets.UTF_8);
    byte[] payload = java.util.Arrays.copyOfRange(message, newline + 1, message.length);
    return parse(header, payload);
  }

  /** Whether {@code body} starts as a listener event does: a {@code ver:} header line. */
  static boolean looksLikeOne(byte[] body) {
    return body.length > 4 && body[0] == 'v' && body[1] == 'e' && body[2] == 'r' && body[3] == ':';
  }

  /** {@code PROCESS_STATE_EXITED}, {@code TICK_60}, {@code PROCESS_LOG_STDERR}... */
  public String eventName() {
    return envelope.get("eventname");
  }

  /** Whether this is one of the {@code PROCESS_STATE_*} events. */
  public boolean isProcessState() {
    return eventName().startsWith("PROCESS_STATE_");
  }

  /** {@code group:name}, as superhooks sends it in {@code process_name}; null for events of no process. */
  public @Nullable String processName() {
    String name = headers.get("processname");
    if (name == null) {
      return null;
    }
    String group = headers.get("groupname");
    return (group == null ? "" : group) + ":" + name;
  }

  /** The state after {@code PROCESS_STATE_}, e.g. {@code EXITED}; the event name for other events. */
  public String state() {
    String name = eventName();
    return name.startsWith("PROCESS_STATE_") ? name.substring("PROCESS_STATE_".length()) : name;
  }

  /**
   * The payload's tokens as superhooks' {@code pheaders_all}: {@code key:value} each followed by a
   * space, in payload order.
   */
  public String headersAll() {
    StringBuilder out = new StringBuilder();
    headers.forEach((k, v) -> out.append(k).append(':').append(v).append(' '));
    return out.toString();
  }

  /** Whether an {@code EXITED} event was an exit the program's {@code exitcodes} expected. */
  public boolean expectedExit() {
    return "1".equals(headers.get("expected"));
  }

  /** Space-separated {@code key:value} tokens; a token without a colon is skipped, as supervisor's childutils does. */
  static Map<String, String> tokens(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String token : line.trim().split(" ")) {
      int colon = token.indexOf(':');
      if (colon > 0) {
        out.put(token.substring(0, colon), token.substring(colon + 1));
      }
    }
    return out;
  }
}
