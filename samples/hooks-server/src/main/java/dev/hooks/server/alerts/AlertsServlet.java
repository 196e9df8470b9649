package dev.hooks.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.Hooks;
import dev.hooks.alerts.AlertEndpoints;
import dev.hooks.alerts.AlertRouter;
import dev.hooks.alerts.ConnectWiseBoards;
import dev.hooks.alerts.SinkException;
import dev.hooks.alerts.HistoryEntry;
import dev.hooks.alerts.MaintenanceWindow;
import dev.hooks.alerts.Silence;
import dev.hooks.internal.LogSafe;
import dev.hooks.servlet.HooksServlet;
import dev.hooks.servlet.admin.AdminGuard;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HookWise's routes: {@code POST /webhook/{id}} is handed to ingress as {@code /hooks/{id}}
 * (bearer token checked, body journaled, 202 {@code {"request_id":...}}; 401 bad token, 404
 * unknown id); behind {@code alerts.admin-token} and {@code alerts.trusted-cidrs}: {@code
 * GET|POST /admin/maintenance}, {@code GET /admin/incidents?status=open|closed}, {@code GET|POST /admin/alerts/endpoints}, {@code
 * GET|PATCH|DELETE /admin/alerts/endpoints/{id}}, {@code GET /admin/alerts/audit}, {@code GET
 * /history}, {@code POST /history/replay/{id}}, {@code GET /api/stats}, {@code GET /api/cw/boards}
 * (ConnectWise's boards, cached), {@code GET /health/services}. A maintenance change is logged with the client
 * and the time. Adapts, decides nothing; thread-safe.
 */
final class AlertsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AlertsServlet.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ADMIN_BODY = 16 * 1024;

  private final transient HooksServlet ingress;
  private final transient AlertRouter router;
  private final transient AlertEndpoints runtime;
  private final transient @Nullable ConnectWiseBoards boards;
  private final byte @Nullable [] adminToken;
  private final transient AdminGuard guard;
  private final Duration retention;
  private final transient Clock clock;

  AlertsServlet(Hooks hooks, AlertRouter router, AlertEndpoints runtime, @Nullable ConnectWiseBoards boards, @Nullable String adminToken,
      AdminGuard guard, Duration retention, Clock clock) {
    this.ingress = new HooksServlet(hooks);
    this.router = router;
    this.runtime = runtime;
    this.boards = boards;
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    this.guard = guard;
    this.retention = retention;
    this.clock = clock;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = (req.getServletPath() == null ? "" : req.getServletPath()) + (req.getPathInfo() == null ? "" : req.getPathInfo());
    if (path.startsWith("/webhook/")) {
      String id = path.substring("/webhook/".length());
      if (id.isEmpty() || id.indexOf('/') >= 0) {
        write(resp, 404, error("not_found"));
        return;
      }
      try {
        ingress.service(new AsHooksPath(req, AlertsWiring.internalId(id)), resp);
      } catch (jakarta.servlet.ServletException e) {
        throw new IOException(e);
      }
      return;
    }
    if (!admitted(req, resp)) {
      return;
    }
    router.history().purge(clock.instant().minus(retention));
    String method = req.getMethod();
    if (path.startsWith("/admin/alerts/")) {
      alertEndpoints(req, resp, path.substring("/admin/alerts/".length()), method);
      return;
    }
    switch (path) {
      case "/api/cw/boards" -> {
        if (!method.equals("GET")) {
          notAllowed(resp, "GET");
          return;
        }
        boards(resp);
      }
      case "/admin/maintenance" -> {
        if (method.equals("POST")) {
          maintenance(req, resp);
        } else if (method.equals("GET")) {
          write(resp, 200, maintenanceState());
        } else {
          notAllowed(resp, "GET, POST");
        }
      }
      case "/history" -> {
        if (!method.equals("GET")) {
          notAllowed(resp, "GET");
          return;
        }
        int limit = 100;
        String l = req.getParameter("limit");
        if (l != null) {
          try {
            limit = Math.max(1, Math.min(1000, Integer.parseInt(l)));
          } catch (NumberFormatException e) {
            write(resp, 400, error("bad_limit").put("message", "limit is a number from 1 to 1000"));
            return;
          }
        }
        ArrayNode out = JSON.createArrayNode();
        router.history().recent(limit).forEach(h -> out.add(json(h)));
        write(resp, 200, JSON.createObjectNode().set("entries", out));
      }
      case "/admin/incidents" -> {
        if (!method.equals("GET")) {
          notAllowed(resp, "GET");
          return;
        }
        incidents(req, resp);
      }
      case "/api/stats" -> {
        if (!method.equals("GET")) {
          notAllowed(resp, "GET");
          return;
        }
        write(resp, 200, JSON.valueToTree(Map.of("days", router.history().stats())));
      }
      case "/health/services" -> {
        if (!method.equals("GET")) {
          notAllowed(resp, "GET");
          return;
        }
        Map<String, Object> h = router.health();
        write(resp, "up".equals(h.get("incident_store")) ? 200 : 503, JSON.valueToTree(h));
      }
      default -> {
        if (path.startsWith("/history/replay/") && path.length() > "/history/replay/".length()) {
          if (!method.equals("POST")) {
            notAllowed(resp, "POST");
            return;
          }
          replay(path.substring("/history/replay/".length()), resp);
        } else {
          write(resp, 404, error("not_found"));
        }
      }
    }
  }

  private boolean admitted(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (adminToken == null) {
      write(resp, 404, error("not_found"));
      return false;
    }
    String client = req.getRemoteAddr();
    switch (guard.check(client)) {
      case FORBIDDEN -> {
        write(resp, 403, error("forbidden"));
        return false;
      }
      case THROTTLED -> {
        resp.setHeader("Retry-After", Integer.toString(guard.retryAfterSeconds(client)));
        write(resp, 429, error("too_many_failures"));
        return false;
      }
      default -> {
        // compared below
      }
    }
    String header = req.getHeader("Authorization");
    byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
    // MessageDigest.isEqual takes the same time whatever the first differing byte
    if (!MessageDigest.isEqual(given, adminToken)) {
      guard.failed(client);
      resp.setHeader("WWW-Authenticate", "Bearer");
      write(resp, 401, error("unauthorized").put("message", "send Authorization: Bearer <admin token>"));
      return false;
    }
    return true;
  }

  /** HookWise's cached proxy of ConnectWise's boards: its body as it is, or 502 with ConnectWise's reason. */
  /** {@code GET /admin/incidents?status=open|closed}: the incident store's incidents, newest opened first, with their sink tickets. */
  private void incidents(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String status = req.getParameter("status");
    if (status != null && !status.equals("open") && !status.equals("closed")) {
      write(resp, 400, error("bad_status").put("message", "status is open or closed"));
      return;
    }
    ArrayNode out = JSON.createArrayNode();
    router.store().list().stream()
        .filter(i -> status == null || i.open() == status.equals("open"))
        .sorted(java.util.Comparator.comparing(dev.hooks.alerts.Incident::openedAt).reversed())
        .forEach(i -> {
          ObjectNode n = out.addObject()
              .put("fingerprint", i.fingerprint())
              .put("sink", i.sink())
              .put("ticket", i.ticket())
              .put("status", i.open() ? "open" : "closed")
              .put("opened_at", i.openedAt().toString())
              .put("updates", i.updates());
          n.put("closed_at", i.closedAt() == null ? null : i.closedAt().toString());
        });
    write(resp, 200, JSON.createObjectNode().set("incidents", out));
  }

  private void boards(HttpServletResponse resp) throws IOException {
    if (boards == null) {
      write(resp, 404, error("no_connectwise_sink").put("message", "no connectwise sink is configured under alerts.sinks"));
      return;
    }
    String body;
    try {
      body = boards.boards();
    } catch (SinkException e) {
      LOG.warn("GET /api/cw/boards: {}", e.getMessage());
      write(resp, 502, error("connectwise_error").put("message", e.getMessage()));
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    resp.setStatus(200);
    resp.setContentType("application/json");
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(bytes.length);
    try (OutputStream out = resp.getOutputStream()) {
      out.write(bytes);
    }
  }

  /**
   * {@code /admin/alerts/endpoints}: GET lists (no secrets), POST creates (201, token shown once);
   * {@code /admin/alerts/endpoints/{id}}: GET, PATCH {@code {"enabled": false}}, DELETE (204);
   * {@code /admin/alerts/audit}: the registry's audit log.
   */
  private void alertEndpoints(HttpServletRequest req, HttpServletResponse resp, String rest, String method) throws IOException {
    String actor = "alerts-admin@" + req.getRemoteAddr();
    try {
      if (rest.equals("audit")) {
        if (!method.equals("GET")) {
          notAllowed(resp, "GET");
          return;
        }
        write(resp, 200, JSON.createObjectNode().set("entries", JSON.valueToTree(runtime.audit(500))));
        return;
      }
      if (rest.equals("endpoints")) {
        if (method.equals("GET")) {
          write(resp, 200, JSON.createObjectNode().set("endpoints", JSON.valueToTree(runtime.list())));
        } else if (method.equals("POST")) {
          JsonNode body = adminBody(req, resp);
          if (body == null) {
            return;
          }
          Map<String, Object> options = JSON.convertValue(body, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
          write(resp, 201, JSON.valueToTree(runtime.create(actor, options)));
        } else {
          notAllowed(resp, "GET, POST");
        }
        return;
      }
      if (!rest.startsWith("endpoints/") || rest.length() == "endpoints/".length() || rest.indexOf('/', "endpoints/".length()) >= 0) {
        write(resp, 404, error("not_found"));
        return;
      }
      String id = rest.substring("endpoints/".length());
      switch (method) {
        case "GET" -> write(resp, 200, JSON.valueToTree(runtime.get(id)));
        case "DELETE" -> {
          runtime.delete(actor, id);
          resp.setStatus(204);
        }
        case "PATCH" -> {
          JsonNode body = adminBody(req, resp);
          if (body == null) {
            return;
          }
          if (!body.path("enabled").isBoolean() || body.size() != 1) {
            write(resp, 400, error("bad_request").put("message", "send {\"enabled\": true} or {\"enabled\": false}"));
            return;
          }
          write(resp, 200, JSON.valueToTree(runtime.enabled(actor, id, body.get("enabled").booleanValue())));
        }
        default -> notAllowed(resp, "GET, PATCH, DELETE");
      }
    } catch (dev.hooks.admin.AdminException e) {
      write(resp, e.status(), error(e.code()).put("message", e.getMessage()));
    }
  }

  /** The JSON object body of an admin request; null after answering 400 or 413. */
  private static @Nullable JsonNode adminBody(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    byte[] body;
    try (InputStream in = req.getInputStream()) {
      body = in.readNBytes(MAX_ADMIN_BODY + 1);
    }
    if (body.length > MAX_ADMIN_BODY) {
      write(resp, 413, error("body_too_large"));
      return null;
    }
    if (new String(body, StandardCharsets.UTF_8).isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || !n.isObject()) {
        write(resp, 400, error("bad_json").put("message", "the body must be a JSON object"));
        return null;
      }
      return n;
    } catch (IOException e) {
      write(resp, 400, error("bad_json").put("message", "the body is not JSON"));
      return null;
    }
  }

  private void maintenance(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    byte[] body;
    try (InputStream in = req.getInputStream()) {
      body = in.readNBytes(MAX_ADMIN_BODY + 1);
    }
    if (body.length > MAX_ADMIN_BODY) {
      write(resp, 413, error("body_too_large"));
      return;
    }
    boolean on;
    if (new String(body, StandardCharsets.UTF_8).isBlank()) {
      // HookWise's button: a toggle
      on = !router.maintenance().global();
    } else {
      JsonNode n;
      try {
        n = JSON.readTree(body);
      } catch (IOException e) {
        write(resp, 400, error("bad_json").put("message", "send {\"enabled\": true} or {\"enabled\": false}, or no body to toggle"));
        return;
      }
      if (n == null || !n.path("enabled").isBoolean()) {
        write(resp, 400, error("bad_request").put("message", "send {\"enabled\": true} or {\"enabled\": false}, or no body to toggle"));
        return;
      }
      on = n.get("enabled").booleanValue();
    }
    router.maintenance().global(on);
    LOG.info("global maintenance turned {} by {} at {}", on ? "on" : "off", LogSafe.of(req.getRemoteAddr()), clock.instant());
    write(resp, 200, maintenanceState());
  }

  private ObjectNode maintenanceState() {
    ObjectNode out = JSON.createObjectNode().put("maintenance", router.maintenance().global());
    ArrayNode w = out.putArray("windows");
    for (MaintenanceWindow x : router.maintenance().windows()) {
      w.add(x.toString());
    }
    ArrayNode s = out.putArray("silences");
    for (Silence x : router.maintenance().silences(clock.instant())) {
      s.addObject().put("id", x.id()).put("expires_at", x.expiresAt().toString()).set("matchers", JSON.valueToTree(x.matchers()));
    }
    return out;
  }

  private void replay(String id, HttpServletResponse resp) throws IOException {
    Optional<List<HistoryEntry>> done;
    try {
      done = router.replay(id);
    } catch (RuntimeException e) {
      // the failure is in history with the sink's reason
      List<HistoryEntry> recent = router.history().recent(50).stream().filter(h -> h.requestId().startsWith(id + ":replay-")).toList();
      ArrayNode out = JSON.createArrayNode();
      recent.forEach(h -> out.add(json(h)));
      write(resp, 200, JSON.createObjectNode().put("replayed", id).set("entries", out));
      return;
    }
    if (done.isEmpty()) {
      write(resp, 404, error("not_found").put("message", "no delivery " + id + " in history"));
      return;
    }
    ArrayNode out = JSON.createArrayNode();
    done.get().forEach(h -> out.add(json(h)));
    write(resp, 200, JSON.createObjectNode().put("replayed", id).set("entries", out));
  }

  private static ObjectNode json(HistoryEntry h) {
    ObjectNode o = JSON.createObjectNode().put("id", h.id()).put("endpoint", h.endpointId()).put("request_id", h.requestId())
        .put("at", h.at().toString()).put("outcome", h.outcome().name().toLowerCase(java.util.Locale.ROOT)).put("reason", h.reason())
        .put("fingerprint", h.fingerprint()).put("summary", h.summary()).put("sink", h.sink()).put("ticket", h.ticket())
        .put("company_rule", h.companyRule());
    o.set("company_candidates", JSON.valueToTree(h.companyCandidates()));
    o.set("matched_rules", JSON.valueToTree(h.matchedRules()));
    try {
      o.set("payload", JSON.readTree(h.payload()));
    } catch (IOException e) {
      o.put("payload", h.payload());
    }
    return o;
  }

  private static ObjectNode error(String code) {
    return JSON.createObjectNode().put("error", code);
  }

  private static void notAllowed(HttpServletResponse resp, String allow) throws IOException {
    resp.setHeader("Allow", allow);
    write(resp, 405, error("method_not_allowed"));
  }

  private static void write(HttpServletResponse resp, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(bytes.length);
    try (OutputStream out = resp.getOutputStream()) {
      out.write(bytes);
    }
  }

  /** The request as {@link HooksServlet} reads a webhook: path {@code /hooks/{id}}. */
  private static final class AsHooksPath extends HttpServletRequestWrapper {
    private final String id;

    AsHooksPath(HttpServletRequest req, String id) {
      super(req);
      this.id = id;
    }

    @Override
    public String getPathInfo() {
      return "/hooks/" + id;
    }

    @Override
    public String getServletPath() {
      return "";
    }
  }
}
