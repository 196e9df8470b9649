package dev.hooks.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.server.ServerConfig.HandlerConfig;
import dev.hooks.server.ServerConfig.NotifyTargetConfig;
import dev.hooks.server.ServerConfig.RouteConfig;
import dev.hooks.servlet.admin.AdminGuard;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /admin/notify}: the {@code notify.targets} by name and type, each URL reduced to
 * {@code scheme://host[:port]} (a Discord or Slack webhook URL holds its token in the path: the
 * path is never sent), and the routes with their handlers of type {@code notify}, their filters
 * and targets. Read-only; every request needs {@code Authorization: Bearer <admin token>} of
 * {@code admin.token(s)} (compared in constant time) from the trusted ranges, else 401/403/429.
 * Thread-safe.
 */
final class NotifyAdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] answer;
  private final List<byte[]> tokenDigests;
  private final transient AdminGuard guard;

  NotifyAdminServlet(ServerConfig config, Map<String, String> tokens, AdminGuard guard) {
    this.answer = describe(config);
    this.tokenDigests = tokens.values().stream().map(NotifyAdminServlet::sha256).toList();
    this.guard = guard;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String client = req.getRemoteAddr();
    switch (guard.check(client)) {
      case FORBIDDEN -> {
        error(resp, 403, "forbidden");
        return;
      }
      case THROTTLED -> {
        resp.setHeader("Retry-After", Integer.toString(guard.retryAfterSeconds(client)));
        error(resp, 429, "too_many_failures");
        return;
      }
      default -> {
        // compared below
      }
    }
    String header = req.getHeader("Authorization");
    byte[] given = sha256(header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "");
    boolean known = false;
    for (byte[] t : tokenDigests) {
      // every token compared, each in constant time
      known |= MessageDigest.isEqual(given, t);
    }
    if (!known) {
      guard.failed(client);
      resp.setHeader("WWW-Authenticate", "Bearer");
      error(resp, 401, "unauthorized");
      return;
    }
    String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
    if (!path.equals("/")) {
      error(resp, 404, "not_found");
      return;
    }
    if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
      resp.setHeader("Allow", "GET");
      error(resp, 405, "method_not_allowed");
      return;
    }
    resp.setStatus(200);
    resp.setContentType("application/json");
    resp.setHeader("Cache-Control", "no-store");
    resp.getOutputStream().write(answer);
  }

  /** The answer, computed once: the configuration does not change while the server runs. */
  static byte[] describe(ServerConfig config) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode targets = out.putArray("targets");
    for (Map.Entry<String, NotifyTargetConfig> t : config.notify.targets.entrySet()) {
      NotifyTargetConfig c = t.getValue();
      targets.addObject()
          .put("name", t.getKey())
          .put("type", (c.type != null ? c.type : t.getKey()).strip().toLowerCase(Locale.ROOT))
          .put("url", origin(c.url));
    }
    List<String> allTargets = new ArrayList<>(config.notify.targets.keySet());
    ArrayNode routes = out.putArray("routes");
    for (RouteConfig r : config.routes) {
      List<String> notifying = r.handlers.stream().filter(h -> {
        HandlerConfig hc = config.handlers.get(h);
        return hc != null && "notify".equals(hc.type);
      }).toList();
      if (notifying.isEmpty()) {
        continue;
      }
      ObjectNode route = routes.addObject();
      route.put("name", r.name);
      route.set("match", JSON.valueToTree(r.match));
      ArrayNode handlers = route.putArray("handlers");
      for (String h : notifying) {
        HandlerConfig hc = config.handlers.get(h);
        ObjectNode n = handlers.addObject().put("name", h);
        n.set("targets", JSON.valueToTree(hc.targets.isEmpty() ? allTargets : hc.targets));
        n.set("filter", JSON.valueToTree(hc.filter));
        if (hc.digest != null) {
          n.put("digest", hc.digest.window);
        }
        if (hc.rateLimit != null) {
          n.put("rate_limit", hc.rateLimit);
        }
      }
    }
    try {
      return JSON.writeValueAsBytes(out);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException("notify: cannot describe the targets: " + e.getMessage(), e);
    }
  }

  /** {@code scheme://host[:port]} of a webhook URL; its path, query and user info hold tokens and are dropped. */
  static String origin(@Nullable String url) {
    if (url == null) {
      return "";
    }
    try {
      URI u = URI.create(url.strip());
      if (u.getScheme() == null || u.getHost() == null) {
        return "";
      }
      return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static void error(HttpServletResponse resp, int status, String code) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.getOutputStream().write(("{\"error\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8));
  }
}
