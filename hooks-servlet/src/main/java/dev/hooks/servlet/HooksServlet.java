package dev.hooks.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.Hooks;
import dev.hooks.ingress.IngressResult;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Serves a {@link Hooks} instance over HTTP in any Jakarta Servlet 6 container. It translates
 * and decides nothing: every webhook answer, the 404 of an unknown endpoint and the 405 of a
 * wrong method included, comes from {@link dev.hooks.ingress.Ingress}.
 *
 * <table>
 *   <caption>Routes, relative to where the servlet is mounted</caption>
 *   <tr><td>{@code POST /hooks/{endpoint}}</td><td>a webhook; the answer of
 *       {@link dev.hooks.ingress.IngressResult} with its JSON body, {@code Retry-After} and
 *       {@code Allow}</td></tr>
 *   <tr><td>{@code GET /health}</td><td>{@code {"status":"up","journal":"reachable"}} with 200,
 *       or {@code {"status":"down","journal":"unreachable"}} with 503</td></tr>
 *   <tr><td>{@code GET /status}</td><td>the counters of {@link Hooks#status()} as JSON</td></tr>
 * </table>
 *
 * <p>Any other path answers 404 with {@code {"error":"not_found"}}. Mount it at {@code /*} or
 * {@code /}, or under a prefix such as {@code /webhooks/*}; the routes above are then read from
 * the path after the prefix. A body that cannot be read (a client that hangs up, a broken chunked
 * encoding) is answered 400 {@code bad_body}, never 5xx.
 *
 * <p>Thread-safe, as a servlet must be. The servlet does not start or close {@code hooks}; its
 * owner does.
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler();
 * context.addServlet(new ServletHolder(new HooksServlet(hooks)), "/*");
 * }</pre>
 */
public class HooksServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final String JSON_TYPE = "application/json";
  private static final String HOOKS_PREFIX = "/hooks/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final transient Hooks hooks;

  /**
   * @throws NullPointerException if {@code hooks} is null
   */
  public HooksServlet(Hooks hooks) {
    this.hooks = Objects.requireNonNull(hooks, "hooks");
  }

  /**
   * Routes every method itself, so that a GET or PUT to a webhook endpoint reaches ingress and
   * gets its 405, rather than the container's default answer.
   */
  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = pathOf(req);
    if (path.startsWith(HOOKS_PREFIX) && path.indexOf('/', HOOKS_PREFIX.length()) < 0 && path.length() > HOOKS_PREFIX.length()) {
      webhook(path.substring(HOOKS_PREFIX.length()), req, resp);
    } else if (path.equals("/health")) {
      readOnly(req, resp, this::health);
    } else if (path.equals("/status")) {
      readOnly(req, resp, this::status);
    } else {
      write(resp, 404, JSON.writeValueAsBytes(Map.of("error", "not_found")), !"HEAD".equals(req.getMethod()));
    }
  }

  private void webhook(String endpointId, HttpServletRequest req, HttpServletResponse resp) throws IOException {
    ServletInboundRequest inbound = new ServletInboundRequest(endpointId, req);
    IngressResult result = hooks.ingress().accept(inbound);
    if (!inbound.bodyConsumed()) {
      resp.setHeader("Connection", "close");
    }
    if (result.retryAfterSeconds() > 0) {
      resp.setHeader("Retry-After", Integer.toString(result.retryAfterSeconds()));
    }
    result.allow().ifPresent(allow -> resp.setHeader("Allow", allow));
    write(resp, result.status(), result.body(), !"HEAD".equals(req.getMethod()));
  }

  private void health(HttpServletResponse resp, boolean withBody) throws IOException {
    boolean up = hooks.isHealthy();
    Map<String, String> body = new LinkedHashMap<>();
    body.put("status", up ? "up" : "down");
    body.put("journal", up ? "reachable" : "unreachable");
    write(resp, up ? 200 : 503, JSON.writeValueAsBytes(body), withBody);
  }

  private void status(HttpServletResponse resp, boolean withBody) throws IOException {
    write(resp, 200, JSON.writeValueAsBytes(hooks.status()), withBody);
  }

  private interface Page {
    void render(HttpServletResponse resp, boolean withBody) throws IOException;
  }

  private static void readOnly(HttpServletRequest req, HttpServletResponse resp, Page page) throws IOException {
    String method = req.getMethod();
    if ("GET".equals(method) || "HEAD".equals(method)) {
      page.render(resp, "GET".equals(method));
    } else {
      resp.setHeader("Allow", "GET, HEAD");
      write(resp, 405, JSON.writeValueAsBytes(Map.of("error", "method_not_allowed")), true);
    }
  }

  private static void write(HttpServletResponse resp, int status, byte[] body, boolean withBody) throws IOException {
    resp.setStatus(status);
    resp.setContentType(JSON_TYPE);
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(body.length);
    if (withBody) {
      try (OutputStream out = resp.getOutputStream()) {
        out.write(body);
      }
    }
  }

  /**
   * The path after the servlet's mapping: the path info when mapped with a wildcard such as
   * {@code /*}, else the servlet path (the whole path when mapped as the default servlet {@code /}).
   */
  private static String pathOf(HttpServletRequest req) {
    String info = req.getPathInfo();
    String path = info != null ? info : req.getServletPath();
    return path == null ? "" : path;
  }
}
