package dev.hooks.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.Hooks;
import dev.hooks.HooksException;
import dev.hooks.remediation.AutohealPreset;
import dev.hooks.remediation.RemediationService;
import dev.hooks.remediation.RemediationStatus;
import dev.hooks.remediation.ServiceKey;
import dev.hooks.remediation.ServiceStatus;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoheal listener's read and reset routes under {@code hooks.remediation.servlet.path}:
 * {@code GET /health}, {@code GET /status} (step errors only with {@code X-Webhook-Token}) and
 * {@code POST /reset} ({@code X-Webhook-Token} and {@code {"service_name": ...}}), answering as
 * hooks-server's {@code autoheal} preset does. The notices themselves arrive at the hooks
 * endpoint the application configures. Thread-safe.
 */
final class HooksRemediationServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(HooksRemediationServlet.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RESET_BODY = 64 * 1024;

  private final transient Hooks hooks;
  private final transient RemediationService remediation;
  private final transient AutohealPreset preset;
  private final transient Clock clock;

  HooksRemediationServlet(Hooks hooks, RemediationService remediation, AutohealPreset preset, Clock clock) {
    this.hooks = hooks;
    this.remediation = remediation;
    this.preset = preset;
    this.clock = clock;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    String method = req.getMethod();
    switch (path) {
      case "/health" -> {
        if (readOnly(method, resp)) {
          health(resp, "GET".equals(method));
        }
      }
      case "/status" -> {
        if (readOnly(method, resp)) {
          status(resp, "GET".equals(method), preset.tokenMatches(req.getHeader(AutohealPreset.TOKEN_HEADER)));
        }
      }
      case "/reset" -> {
        if ("POST".equals(method)) {
          reset(req, resp);
        } else {
          resp.setHeader("Allow", "POST");
          write(resp, 405, Map.of("error", "method_not_allowed"), true);
        }
      }
      default -> write(resp, 404, Map.of("error", "not_found"), !"HEAD".equals(method));
    }
  }

  private void health(HttpServletResponse resp, boolean withBody) throws IOException {
    boolean up = hooks.isHealthy();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "healthy" : "unhealthy");
    body.put("service", "webhook-listener");
    body.put("timestamp", clock.instant().getEpochSecond());
    write(resp, up ? 200 : 503, body, withBody);
  }

  // Step errors hold command lines, paths and tool output: shown with the token only.
  private void status(HttpServletResponse resp, boolean withBody, boolean detailed) throws IOException {
    RemediationStatus status;
    try {
      status = remediation.status();
    } catch (HooksException e) {
      LOG.warn("remediation state unreadable: {}", e.getMessage());
      write(resp, 503, Map.of("error", "state_unavailable"), withBody);
      return;
    }
    Map<String, Object> state = new LinkedHashMap<>();
    for (ServiceStatus s : status.services()) {
      state.put(s.service().toString(), service(s, detailed));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", state);
    body.put("critical_service", preset.criticalServiceName());
    body.put("threshold", status.threshold());
    body.put("cooldown_period", status.cooldown().toSeconds());
    body.put("hooks", hooks.status());
    write(resp, 200, body, withBody);
  }

  private static Map<String, Object> service(ServiceStatus s, boolean detailed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("project", s.service().project());
    m.put("service", s.service().service());
    m.put("count", s.failures());
    m.put("state", s.phase().name());
    m.put("last_failure", seconds(s.lastFailureAt()));
    m.put("last_failure_reason", s.lastFailureReason());
    m.put("attempts", s.attempts());
    m.put("incident", s.incident());
    m.put("flapping", s.flapping());
    m.put("remediation_due_at", seconds(s.remediationDueAt()));
    m.put("verify_due_at", seconds(s.verifyDueAt()));
    m.put("failed_steps", s.stepErrors().stream().map(e -> e.indexOf(':') < 0 ? e : e.substring(0, e.indexOf(':'))).toList());
    if (detailed) {
      m.put("step_errors", s.stepErrors());
    }
    return m;
  }

  private static @Nullable Long seconds(@Nullable Instant at) {
    return at == null ? null : at.getEpochSecond();
  }

  private void reset(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!preset.tokenMatches(req.getHeader(AutohealPreset.TOKEN_HEADER))) {
      write(resp, 401, Map.of("error", "unauthorized"), true);
      return;
    }
    String name = serviceName(req);
    if (name == null) {
      write(resp, 400, Map.of("error", "bad_request", "message", "the body must be a JSON object with a non-empty string service_name"), true);
      return;
    }
    List<ServiceKey> reset;
    List<ServiceStatus> known;
    try {
      reset = remediation.reset(name);
      known = reset.isEmpty() ? remediation.status().services() : List.of();
    } catch (IllegalArgumentException e) {
      write(resp, 400, Map.of("error", "bad_request", "message", "service_name is not a service"), true);
      return;
    } catch (HooksException e) {
      LOG.warn("reset of {} failed: {}", name, e.getMessage());
      write(resp, 503, Map.of("error", "state_unavailable"), true);
      return;
    }
    if (reset.isEmpty() && known.stream().map(ServiceStatus::service)
        .noneMatch(k -> k.service().equals(name) || k.toString().equals(name))) {
      write(resp, 404, Map.of("error", "unknown_service", "service_name", name), true);
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "reset");
    body.put("service_name", name);
    body.put("reset", reset.stream().map(ServiceKey::toString).toList());
    write(resp, 200, body, true);
  }

  private static @Nullable String serviceName(HttpServletRequest req) {
    if (req.getContentLengthLong() > MAX_RESET_BODY) {
      return null;
    }
    try (InputStream in = req.getInputStream()) {
      byte[] body = in.readNBytes(MAX_RESET_BODY + 1);
      if (body.length > MAX_RESET_BODY) {
        return null;
      }
      JsonNode root = JSON.readTree(body);
      JsonNode name = root == null ? null : root.get("service_name");
      if (name == null || !name.isTextual() || name.asText().isBlank()) {
        return null;
      }
      return name.asText().strip();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean readOnly(String method, HttpServletResponse resp) throws IOException {
    if ("GET".equals(method) || "HEAD".equals(method)) {
      return true;
    }
    resp.setHeader("Allow", "GET, HEAD");
    write(resp, 405, Map.of("error", "method_not_allowed"), true);
    return false;
  }

  private static void write(HttpServletResponse resp, int status, Object body, boolean withBody) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(bytes.length);
    if (withBody) {
      try (OutputStream out = resp.getOutputStream()) {
        out.write(bytes);
      }
    }
  }
}
