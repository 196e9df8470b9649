package dev.hooks.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.alerts.internal.Http;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * PagerDuty Events API v2 ({@code POST /v2/enqueue}): {@code trigger} opens, a repeat is a
 * {@code trigger} again (PagerDuty folds it into the alert by {@code dedup_key}), {@code
 * resolve} closes; the dedup key is the incident's fingerprint. Thread-safe. Never printed with
 * its routing key.
 */
public final class PagerDutySink implements IncidentSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String name;
  private final String url;
  private final String routingKey;
  private final Http http = new Http(Duration.ofSeconds(10));

  /** @param url the Events API base, {@code https://events.pagerduty.com} */
  public PagerDutySink(String name, String url, String routingKey) {
    this.name = Objects.requireNonNull(name, "name");
    this.url = Objects.requireNonNull(url, "url");
    if (routingKey == null || routingKey.isBlank()) {
      throw new IllegalArgumentException("pagerduty sink '" + name + "': routing-key is empty; set it to the integration key");
    }
    this.routingKey = routingKey;
  }

  @Override
  public String name() {
    return name;
  }

  private void send(String action, String dedupKey, Ticket t) throws SinkException {
    ObjectNode body = JSON.createObjectNode();
    body.put("routing_key", routingKey);
    body.put("event_action", action);
    body.put("dedup_key", dedupKey);
    if (action.equals("trigger")) {
      ObjectNode p = body.putObject("payload");
      p.put("summary", t.summary());
      p.put("source", t.company() != null ? t.company() : "hooks-alerts");
      p.put("severity", severity(t.severity()));
      p.putObject("custom_details").put("description", t.description());
    }
    http.send(HttpRequest.newBuilder(Http.uri(url, "/v2/enqueue")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())), "PagerDuty " + action);
  }

  // PagerDuty accepts only critical, error, warning and info
  private static String severity(String s) {
    String v = s.toLowerCase(Locale.ROOT);
    if (v.contains("crit") || v.contains("disaster") || v.equals("high") || v.equals("p1")) {
      return "critical";
    }
    if (v.contains("err") || v.contains("major")) {
      return "error";
    }
    if (v.contains("warn") || v.contains("average") || v.equals("p2") || v.equals("p3")) {
      return "warning";
    }
    return v.contains("info") ? "info" : "error";
  }

  @Override
  public String open(Ticket t) throws SinkException {
    send("trigger", t.fingerprint(), t);
    return t.fingerprint();
  }

  @Override
  public void note(String ref, Ticket t, String text) throws SinkException {
    send("trigger", ref, t);
  }

  @Override
  public void close(String ref, Ticket t) throws SinkException {
    send("resolve", ref, t);
  }

  @Override
  public void reopen(String ref, Ticket t) throws SinkException {
    send("trigger", ref, t);
  }

  /** Acknowledges the alert {@code ref}. */
  public void acknowledge(String ref, Ticket t) throws SinkException {
    send("acknowledge", ref, t);
  }

  @Override
  public String toString() {
    return "PagerDutySink[" + name + "]";
  }
}
