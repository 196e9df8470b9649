package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The published payloads of {@code src/test/resources/payloads} (sources in its README). */
public final class Payloads {
  public static final ObjectMapper JSON = new ObjectMapper();

  private Payloads() {}

  public static String text(String name) {
    try (InputStream in = Payloads.class.getResourceAsStream("/payloads/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no payload " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode json(String name) {
    try {
      return (ObjectNode) JSON.readTree(text(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * HookWise recipe 4's nested Zabbix body, filled with the values of a Zulip Zabbix fixture
   * (no rendered delivery of that shape is published; Zabbix posts what its media type says).
   */
  public static ObjectNode zabbixNested(String fixture) {
    JsonNode z = json(fixture);
    ObjectNode b = JSON.createObjectNode();
    b.putObject("event").put("status", z.get("status").asText()).put("name", z.get("trigger").asText())
        .put("severity", z.get("severity").asText());
    b.putObject("trigger").put("description", z.get("trigger").asText()).put("url", z.get("link").asText());
    b.putObject("host").put("name", z.get("hostname").asText());
    b.putObject("item").put("name", z.get("item").asText());
    return b;
  }

  /** The ilert Datadog template with {@code $ALERT_TRANSITION}, {@code $EVENT_TITLE} and {@code $EVENT_MSG} filled. */
  public static ObjectNode datadog(String transition, String title, String message) {
    ObjectNode t = json("datadog/ilert-template.json");
    t.put("alert_transition", transition).put("title", title).put("body", message);
    return t;
  }

  /** Uptime Kuma's recipe 1 (trigger {@code $.heartbeat.status}, open 0, close 1). */
  public static AlertEndpoint.Builder kumaRecipe(String id) {
    return AlertEndpoint.builder(id)
        .trigger("$.heartbeat.status", java.util.List.of("0"), java.util.List.of("1"))
        .map("summary", "$.monitor.name")
        .map("description", "$.heartbeat.msg")
        .map("customer_id", "$.monitor.tags.CW_ID");
  }
}
