package dev.hooks.deploy.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.deploy.DeployWebhooks;
import dev.hooks.deploy.Deployer;
import dev.hooks.deploy.Deployment;
import dev.hooks.deploy.ServiceState;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The deploy admin API of a {@link Deployer}, mounted such as at {@code /admin/deploy/*} (by
 * hooks-server and the Spring Boot starter); every request needs
 * {@code Authorization: Bearer <admin token>} (compared in constant time), else 401. Needs the
 * Jakarta Servlet API, which hooks-deploy does not bring: the application's container does.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>GET /services</td><td>every service: status and current deployment</td></tr>
 *   <tr><td>GET /services/{s}</td><td>{@code service}, {@code status} and {@code commit} of the current deployment,
 *       {@code service_status}, {@code current}, {@code previous}, {@code in_progress}</td></tr>
 *   <tr><td>GET /services/{s}/deployments</td><td>history, newest first, each step with its duration and outcome</td></tr>
 *   <tr><td>GET /services/{s}/deployments/{id}</td><td>one deployment with its build log</td></tr>
 *   <tr><td>POST /services/{s}/deploy</td><td>{@code {"commit": "<40 hex>"}} or no body (branch head) → 202</td></tr>
 *   <tr><td>POST /services/{s}/rollback</td><td>{@code {"deployment": "<id>"}}, default the previous → 202</td></tr>
 *   <tr><td>POST /services/{s}/cancel</td><td>cancels the queued deployment and a build in progress</td></tr>
 *   <tr><td>GET /services/{s}/webhook-url?provider=github</td><td>{@code webhookUrl}, generated {@code secret}, {@code provider},
 *       {@code instructions}; the same secret on every call</td></tr>
 *   <tr><td>POST /services/{s}/webhook-url/rotate?provider=github</td><td>as above with a new secret; the previous one stops
 *       verifying</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public final class DeployAdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 16 * 1024;

  private final transient Deployer deployer;
  private final transient @Nullable DeployWebhooks webhooks;
  private final @Nullable String publicUrl;
  private final byte[] token;

  /**
   * @param webhooks where the generated webhook secrets are kept; null serves no
   *     {@code webhook-url} routes (404)
   * @param publicUrl the URL senders reach the server at, for the webhook URLs shown; null takes
   *     the request's scheme, host and port
   * @param adminToken at least 16 characters
   * @throws IllegalArgumentException if {@code adminToken} is shorter
   */
  public DeployAdminServlet(Deployer deployer, @Nullable DeployWebhooks webhooks, @Nullable String publicUrl, String adminToken) {
    this.deployer = java.util.Objects.requireNonNull(deployer, "deployer");
    this.webhooks = webhooks;
    this.publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.strip().replaceAll("/+$", "");
    if (adminToken == null || adminToken.strip().length() < 16) {
      throw new IllegalArgumentException("the deploy admin API needs an admin token of at least 16 characters");
    }
    this.token = adminToken.strip().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!authorized(req.getHeader("Authorization"))) {
      resp.setHeader("WWW-Authenticate", "Bearer");
      error(resp, 401, "unauthorized", "send Authorization: Bearer <admin token>");
      return;
    }
    String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
    String[] p = path.replaceAll("^/+|/+$", "").split("/+");
    String method = req.getMethod();
    try {
      if (p.length == 1 && p[0].equals("services")) {
        if (!allow(method, "GET", resp)) {
          return;
        }
        ArrayNode out = JSON.createArrayNode();
        for (String s : deployer.services()) {
          out.add(summary(deployer, s));
        }
        write(resp, 200, out);
        return;
      }
      if (p.length < 2 || !p[0].equals("services")) {
        error(resp, 404, "not_found", "no route " + path + "; see GET /admin/deploy/services");
        return;
      }
      String service = p[1];
      if (deployer.service(service).isEmpty()) {
        error(resp, 404, "unknown_service", "no service '" + service + "'");
        return;
      }
      String action = p.length > 2 ? p[2] : "";
      switch (action) {
        case "" -> {
          if (allow(method, "GET", resp)) {
            write(resp, 200, summary(deployer, service));
          }
        }
        case "deployments" -> {
          if (!allow(method, "GET", resp)) {
            return;
          }
          if (p.length == 4) {
            Optional<Deployment> d = deployer.find(service, p[3]);
            if (d.isEmpty()) {
              error(resp, 404, "unknown_deployment", "service " + service + " has no deployment '" + p[3] + "'");
            } else {
              write(resp, 200, JSON.readTree(d.get().toJson()));
            }
            return;
          }
          ArrayNode out = JSON.createArrayNode();
          for (Deployment d : deployer.history(service)) {
            ObjectNode n = (ObjectNode) JSON.readTree(d.toJson());
            n.remove("build_log");
            out.add(n);
          }
          write(resp, 200, out);
        }
        case "deploy" -> {
          if (!allow(method, "POST", resp)) {
            return;
          }
          JsonNode body = body(req, resp);
          if (body == null) {
            return;
          }
          String commit = body.path("commit").isTextual() ? body.path("commit").asText() : null;
          try {
            write(resp, 202, JSON.readTree(deployer.deploy(service, commit).toJson()));
          } catch (IllegalArgumentException e) {
            error(resp, 400, "bad_commit", e.getMessage());
          }
        }
        case "rollback" -> {
          if (!allow(method, "POST", resp)) {
            return;
          }
          JsonNode body = body(req, resp);
          if (body == null) {
            return;
          }
          String to = body.path("deployment").isTextual() ? body.path("deployment").asText() : deployer.state(service).previous().orElse(null);
          if (to == null) {
            error(resp, 409, "no_previous", "service " + service + " has no previous deployment; name one: {\"deployment\": \"<id>\"}");
            return;
          }
          try {
            write(resp, 202, JSON.readTree(deployer.rollback(service, to).toJson()));
          } catch (IllegalArgumentException e) {
            error(resp, 400, "bad_deployment", e.getMessage());
          }
        }
        case "cancel" -> {
          if (allow(method, "POST", resp)) {
            ObjectNode out = JSON.createObjectNode().put("service", service).put("cancelled", deployer.cancel(service));
            write(resp, 200, out);
          }
        }
        case "webhook-url" -> {
          String provider = req.getParameter("provider") == null ? "github" : req.getParameter("provider").strip().toLowerCase(java.util.Locale.ROOT);
          if (webhooks == null) {
            error(resp, 404, "not_found", "this server generates no webhook URLs");
            return;
          }
          if (!DeployWebhooks.PROVIDERS.contains(provider)) {
            error(resp, 400, "unknown_provider", "provider must be one of " + DeployWebhooks.PROVIDERS);
            return;
          }
          boolean rotate = p.length == 4 && p[3].equals("rotate");
          if (p.length > 4 || (p.length == 4 && !rotate)) {
            error(resp, 404, "not_found", "no route " + path);
            return;
          }
          if (!allow(method, rotate ? "POST" : "GET", resp)) {
            return;
          }
          String base = publicUrl != null ? publicUrl : req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort();
          String actor = "admin@" + req.getRemoteAddr();
          String secret;
          try {
            secret = rotate ? webhooks.rotate(actor, service, provider) : webhooks.secret(actor, service, provider);
          } catch (IllegalStateException e) {
            error(resp, 409, "conflict", e.getMessage());
            return;
          }
          ObjectNode out = JSON.createObjectNode()
              .put("webhookUrl", base + "/hooks/" + DeployWebhooks.endpointId(service, provider))
              .put("secret", secret)
              .put("provider", provider)
              .put("instructions", instructions(provider));
          resp.setHeader("Cache-Control", "no-store");
          write(resp, 200, out);
        }
        default -> error(resp, 404, "not_found", "no route " + path);
      }
    } catch (JsonProcessingException e) {
      error(resp, 500, "internal", "could not write the answer");
    }
  }

  private static ObjectNode summary(Deployer deployer, String service) throws JsonProcessingException {
    ServiceState st = deployer.state(service);
    ObjectNode out = JSON.createObjectNode().put("service", service);
    Optional<Deployment> current = deployer.current(service);
    out.put("status", current.map(d -> d.status().wireName()).orElse(st.status()));
    out.put("commit", current.flatMap(Deployment::commit).orElse(null));
    out.put("service_status", st.status());
    st.reason().ifPresent(r -> out.put("reason", r));
    if (current.isPresent()) {
      ObjectNode c = (ObjectNode) JSON.readTree(current.get().toJson());
      c.remove("build_log");
      out.set("current", c);
    }
    st.previous().ifPresent(p -> out.put("previous", p));
    List<Deployment> history = deployer.history(service);
    for (Deployment d : history) {
      if (!d.status().isTerminal()) {
        ObjectNode n = (ObjectNode) JSON.readTree(d.toJson());
        n.remove("build_log");
        out.set("in_progress", n);
        break;
      }
    }
    return out;
  }

  private static String instructions(String provider) {
    return switch (provider) {
      case "github" -> "In the repository's Settings > Webhooks > Add webhook: set Payload URL to webhookUrl, Content type to"
          + " application/json, Secret to secret, and choose Just the push event.";
      case "gitlab" -> "In the project's Settings > Webhooks: set URL to webhookUrl, Secret token to secret, and check Push events only.";
      case "bitbucket" -> "In the repository's Repository settings > Webhooks > Add webhook: set URL to webhookUrl, Secret to secret,"
          + " and choose the Repository push trigger.";
      default -> "In the repository's Settings > Webhooks > Add webhook: set Target URL to webhookUrl, Secret to secret,"
          + " and choose Push events.";
    };
  }

  private boolean authorized(@Nullable String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  private static boolean allow(String method, String allowed, HttpServletResponse resp) throws IOException {
    if (allowed.equals(method)) {
      return true;
    }
    resp.setHeader("Allow", allowed);
    error(resp, 405, "method_not_allowed", "use " + allowed);
    return false;
  }

  /** The JSON object body, {@code {}} when empty; null after answering 400 or 413. */
  private static @Nullable JsonNode body(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (req.getContentLengthLong() > MAX_BODY) {
      error(resp, 413, "body_too_large", "the body may be at most " + MAX_BODY + " bytes");
      return null;
    }
    byte[] bytes;
    try (InputStream in = req.getInputStream()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      error(resp, 413, "body_too_large", "the body may be at most " + MAX_BODY + " bytes");
      return null;
    }
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject()) {
        error(resp, 400, "bad_json", "the body must be a JSON object");
        return null;
      }
      return n;
    } catch (IOException e) {
      error(resp, 400, "bad_json", "the body is not JSON");
      return null;
    }
  }

  private static void write(HttpServletResponse resp, int status, JsonNode body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.getOutputStream().write(JSON.writeValueAsBytes(body));
  }

  private static void error(HttpServletResponse resp, int status, String code, String message) throws IOException {
    write(resp, status, JSON.createObjectNode().put("error", code).put("message", message));
  }
}
