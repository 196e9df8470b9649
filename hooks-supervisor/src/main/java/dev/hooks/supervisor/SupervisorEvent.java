package dev.hooks.supervisor;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One event as supervisor sends it to a listener: the envelope (the header line: {@code ver},
 * {@code server}, {@code serial}, {@code pool}, {@code poolserial}, {@code eventname}, {@code len})
 * and the payload, itself a line of {@code key:value} tokens ({@code processname}, {@code
 * groupname}, {@code from_state}, {@code pid}, {@code expected}, {@code tries}, {@code when}...)
 * optionally followed by a newline and data (the output of {@code PROCESS_LOG_*} and {@code
 * PROCESS_COMMUNICATION_*} events).
 *
 * <p>Both maps keep the order in which supervisor wrote the tokens: superhooks' {@code
 * pheaders_all} is built in that order. Immutable.
 *
 * @param envelope the header line's tokens
 * @param headers the payload's first line's tokens
 * @param data what follows the payload's first line, decoded as UTF-8; empty when nothing does
 */
public record SupervisorEvent(Map<String, String> envelope, Map<String, String> headers, String data) {

  /** Makes unmodifiable copies of the maps. */
  public SupervisorEvent {
    envelope = Collections.unmodifiableMap(new LinkedHashMap<>(envelope));
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /**
   * Reads one event.
   *
   * @param headerLine the header line without its newline, e.g. {@code ver:3.0 server:supervisor
   *     serial:21 pool:listener poolserial:10 eventname:PROCESS_STATE_EXITED len:71}
   * @param payload the {@code len} payload bytes (UTF-8 when they are text)
   * @throws IllegalArgumentException if the header line has no {@code eventname}
   */
  public static SupervisorEvent parse(String headerLine, byte[] payload) {
    Map<String, String> envelope = tokens(headerLine);
    if (!envelope.containsKey("eventname")) {
      throw new IllegalArgumentException("the header line has no eventname");
    }
    String text = new String(payload, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String first = newline < 0 ? text : text.substring(0, newline);
    String data = newline < 0 ? "" : text.substring(newline + 1);
    return new SupervisorEvent(envelope, tokens(first), data);
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
    for (String token : line.split(" ")) {
      int colon = token.indexOf(':');
      if (colon > 0) {
        out.put(token.substring(0, colon), token.substring(colon + 1));
      }
    }
    return out;
  }
}
