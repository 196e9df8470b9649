package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A loopback server answering as PagerDuty's Events API v2 does ({@code POST /v2/enqueue}, after
 * developer.pagerduty.com "Send an Alert Event" and "Events API v2 Overview"): 202 {@code
 * {"status":"success","message":"Event processed","dedup_key":"..."}}; an invalid event (routing
 * key not 32 characters, unknown {@code event_action}, a trigger without {@code payload.summary},
 * {@code payload.source} or a valid {@code payload.severity}) → 400 {@code {"status":"invalid
 * event","message":"Event object is invalid","errors":[...]}}; {@link #failNext} → 500. It keeps
 * each alert's state by dedup key: triggered, acknowledged, resolved.
 */
public final class PagerDutyServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

  private final Server server;
  private final Map<String, String> states = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();

  public PagerDutyServer() throws Exception {
    server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        int status;
        String answer;
        if (failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
          status = 500;
          answer = "";
        } else if (!request.getMethod().equals("POST") || !request.getHttpURI().getPath().equals("/v2/enqueue")) {
          status = 404;
          answer = "";
        } else {
          JsonNode e = JSON.readTree(body);
          String error = invalid(e);
          if (error != null) {
            status = 400;
            ObjectNode b = JSON.createObjectNode().put("status", "invalid event").put("message", "Event object is invalid");
            b.putArray("errors").add(error);
            answer = b.toString();
          } else {
            events.add(e);
            String key = e.path("dedup_key").asText();
            String action = e.path("event_action").asText();
            states.put(key, switch (action) {
              case "trigger" -> "triggered";
              case "acknowledge" -> "acknowledged";
              default -> "resolved";
            });
            status = 202;
            answer = JSON.createObjectNode().put("status", "success").put("message", "Event processed").put("dedup_key", key).toString();
          }
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, answer, callback);
        return true;
      }
    });
    server.start();
  }

  private static String invalid(JsonNode e) {
    if (e.path("routing_key").asText("").length() != 32) {
      return "Length of 'routing_key' is incorrect (should be 32 characters)";
    }
    String action = e.path("event_action").asText("");
    if (!Set.of("trigger", "acknowledge", "resolve").contains(action)) {
      return "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')";
    }
    if (!action.equals("trigger") && e.path("dedup_key").asText("").isEmpty()) {
      return "'dedup_key' is missing or blank";
    }
    if (action.equals("trigger")) {
      JsonNode p = e.path("payload");
      if (p.path("summary").asText("").isEmpty()) {
        return "'payload.summary' is missing or blank";
      }
      if (p.path("source").asText("").isEmpty()) {
        return "'payload.source' is missing or blank";
      }
      if (!SEVERITIES.contains(p.path("severity").asText(""))) {
        return "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')";
      }
    }
    return null;
  }

  /** The Events API base, as {@code https://events.pagerduty.com}. */
  public String url() {
    return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  public void failNext(int n) {
    failures.set(n);
  }

  /** The state of the alert of {@code dedupKey}: triggered, acknowledged, resolved, or null. */
  public String state(String dedupKey) {
    return states.get(dedupKey);
  }

  public List<JsonNode> events() {
    return List.copyOf(events);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
