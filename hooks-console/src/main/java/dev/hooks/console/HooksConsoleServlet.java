package dev.hooks.console;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.console.internal.AuthorizedRequest;
import dev.hooks.console.internal.ConsoleSessions;
import dev.hooks.ingress.IngressObservation;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.JournalCounts;
import dev.hooks.servlet.admin.AdminGuard;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The web console for operators: a single page (HTML, ES modules and CSS bundled in this jar, no
 * CDN) that logs in with an admin token and then calls the admin routes served in the same
 * servlet context (such as {@code HooksAdminServlet} at {@code /admin/*}) through
 * {@code <console>/api/<route>}, forwarded in-process with the session's admin token. The
 * browser never holds the token after login: only an HttpOnly, {@code SameSite=Strict} session
 * cookie ({@code Secure} when the request came over TLS) and a CSRF token that every
 * state-changing call must send as {@code X-CSRF-Token} (403 {@code csrf} without it).
 *
 * <table>
 *   <caption>Routes, relative to where the servlet is mounted (such as {@code /console/*})</caption>
 *   <tr><td>{@code GET /}, {@code GET /assets/<file>}</td><td>the page and its scripts and styles</td></tr>
 *   <tr><td>{@code POST /login}</td><td>JSON {@code {"token":"..."}}: 200 {@code {"identity","csrf","features"}} and the
 *       cookie; 401 {@code unauthorized}; 415 unless {@code application/json}; 429 after too many wrong tokens</td></tr>
 *   <tr><td>{@code GET /session}</td><td>{@code {"identity","csrf"}} of the cookie's session, or 401</td></tr>
 *   <tr><td>{@code POST /logout}</td><td>204; ends the session</td></tr>
 *   <tr><td>{@code GET /summary}</td><td>{@code {"journal":{"pending","done","dead"}}} when a journal is given</td></tr>
 *   <tr><td>{@code GET /feed}</td><td>{@code text/event-stream}: one {@code delivery} event per item of the
 *       {@link ConsoleFeed}; 429 {@code too_many_watchers} past its limit</td></tr>
 *   <tr><td>{@code /api/<route>}</td><td>forwarded to {@code /<route>} when it starts with one of the
 *       allowed prefixes (default {@code /admin/}), else 404</td></tr>
 * </table>
 *
 * <p>Every answer carries a Content-Security-Policy without inline scripts ({@code script-src 'self'}),
 * {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} and
 * {@code frame-ancestors 'none'}; the page builds its DOM with {@code textContent} only. The
 * {@link AdminGuard} applies to every route: a client outside its trusted ranges answers 403, one
 * that sent too many wrong tokens 429. Thread-safe.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new HooksAdminServlet(hub, journal, clock, token, guard)), "/admin/*");
 * context.addServlet(new ServletHolder(HooksConsoleServlet.builder().token(token).guard(guard).journal(journal).build()), "/console/*");
 * }</pre>
 */
public final class HooksConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COOKIE = "hooks_console";
  private static final String CSRF_HEADER = "X-CSRF-Token";
  private static final int MAX_LOGIN_BODY = 4096;
  private static final Duration HEARTBEAT = Duration.ofSeconds(10);
  private static final Pattern ASSET = Pattern.compile("[a-z0-9-]{1,64}\\.(js|css|svg|png)");
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final transient Map<String, byte[]> tokenDigests;
  private final transient Map<String, String> tokens;
  private final transient AdminGuard guard;
  private final transient @Nullable EventJournal journal;
  private final transient ConsoleFeed feed;
  private final transient ConsoleSessions sessions;
  private final List<String> routes;
  private final List<String> features;

  private HooksConsoleServlet(Builder b) {
    if (b.tokens.isEmpty()) {
      throw new IllegalArgumentException("the console needs at least one admin token to log in with");
    }
    Map<String, byte[]> digests = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(b.tokens).entrySet()) {
      digests.put(e.getKey(), sha256(e.getValue()));
    }
    this.tokenDigests = Map.copyOf(digests);
    this.tokens = Map.copyOf(b.tokens);
    this.guard = b.guard;
    this.journal = b.journal;
    this.feed = b.feed;
    this.sessions = new ConsoleSessions(b.clock, b.sessionIdle, b.maxSessions);
    this.routes = List.copyOf(b.routes);
    this.features = List.copyOf(b.features);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The feed the dashboard shows; register it with {@code Ingress.addListener}. */
  public ConsoleFeed feed() {
    return feed;
  }

  @Override
  public void destroy() {
    feed.close();
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
    securityHeaders(resp);
    String client = req.getRemoteAddr();
    switch (guard.check(client)) {
      case FORBIDDEN -> {
        error(resp, 403, "forbidden", "the console is not served to this address");
        return;
      }
      case THROTTLED -> {
        resp.setHeader("Retry-After", Integer.toString(guard.retryAfterSeconds(client)));
        error(resp, 429, "too_many_failures", "too many wrong tokens; retry later");
        return;
      }
      case PROCEED -> { }
    }
    String path = req.getPathInfo();
    String method = req.getMethod();
    if (path == null) {
      resp.setStatus(302);
      resp.setHeader("Location", req.getRequestURI() + "/");
      return;
    }
    if (path.equals("/") || path.equals("/index.html")) {
      if (get(method, resp)) {
        asset(resp, "index.html", "text/html; charset=utf-8");
      }
      return;
    }
    if (path.startsWith("/assets/")) {
      String name = path.substring("/assets/".length());
      if (!ASSET.matcher(name).matches()) {
        error(resp, 404, "not_found", "no such asset");
      } else if (get(method, resp)) {
        asset(resp, name, contentType(name));
      }
      return;
    }
    if (path.equals("/login")) {
      if (!method.equals("POST")) {
        notAllowed(resp, "POST");
      } else {
        login(req, resp, client);
      }
      return;
    }
    resp.setHeader("Cache-Control", "no-store");
    ConsoleSessions.Session session = sessions.find(cookie(req));
    if (session == null) {
      error(resp, 401, "unauthorized", "log in first");
      return;
    }
    boolean safe = method.equals("GET") || method.equals("HEAD");
    if (!safe && !session.csrfMatches(req.getHeader(CSRF_HEADER))) {
      error(resp, 403, "csrf", "send the session's CSRF token as " + CSRF_HEADER);
      return;
    }
    switch (path) {
      case "/session" -> {
        if (get(method, resp)) {
          write(resp, 200, Map.of("identity", session.identity(), "csrf", session.csrf(), "features", features));
        }
      }
      case "/logout" -> {
        if (method.equals("POST")) {
          sessions.close(session);
          resp.addHeader("Set-Cookie", COOKIE + "=; Path=" + cookiePath(req) + "; Max-Age=0; HttpOnly; SameSite=Strict"
              + (req.isSecure() ? "; Secure" : ""));
          resp.setStatus(204);
        } else {
          notAllowed(resp, "POST");
        }
      }
      case "/summary" -> {
        if (get(method, resp)) {
          summary(resp);
        }
      }
      case "/feed" -> {
        if (get(method, resp)) {
          stream(resp, session);
        }
      }
      default -> {
        if (path.startsWith("/api/")) {
          forward(req, resp, path.substring("/api".length()), session);
        } else {
          error(resp, 404, "not_found", "no such console resource");
        }
      }
    }
  }

  private void login(HttpServletRequest req, HttpServletResponse resp, String client) throws IOException {
    String type = req.getContentType();
    // A form of another site cannot send application/json without a CORS preflight, which is refused.
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      error(resp, 415, "unsupported_media_type", "send {\"token\":\"...\"} as application/json");
      return;
    }
    byte[] body;
    try (InputStream in = req.getInputStream()) {
      body = in.readNBytes(MAX_LOGIN_BODY + 1);
    }
    if (body.length > MAX_LOGIN_BODY) {
      error(resp, 413, "too_large", "the login body is at most " + MAX_LOGIN_BODY + " bytes");
      return;
    }
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (JacksonException e) {
      error(resp, 400, "bad_json", "send {\"token\":\"...\"}");
      return;
    }
    if (n == null || !n.path("token").isTextual()) {
      error(resp, 400, "invalid", "send {\"token\":\"...\"}");
      return;
    }
    String identity = identity(n.get("token").asText());
    if (identity == null) {
      guard.failed(client);
      error(resp, 401, "unauthorized", "that is not an admin token");
      return;
    }
    ConsoleSessions.Session s = sessions.open(identity);
    resp.setHeader("Cache-Control", "no-store");
    resp.addHeader("Set-Cookie", COOKIE + "=" + s.id() + "; Path=" + cookiePath(req) + "; HttpOnly; SameSite=Strict"
        + (req.isSecure() ? "; Secure" : ""));
    write(resp, 200, Map.of("identity", identity, "csrf", s.csrf(), "features", features));
  }

  /** The identity whose token is {@code given}; every token is compared, each in constant time. */
  private @Nullable String identity(String given) {
    byte[] digest = sha256(given.strip());
    String found = null;
    for (Map.Entry<String, byte[]> e : tokenDigests.entrySet()) {
      if (MessageDigest.isEqual(digest, e.getValue()) && found == null) {
        found = e.getKey();
      }
    }
    return found;
  }

  private void forward(HttpServletRequest req, HttpServletResponse resp, String route, ConsoleSessions.Session session)
      throws IOException, ServletException {
    if (route.contains("..") || route.contains("//") || route.contains(";") || routes.stream().noneMatch(route::startsWith)) {
      error(resp, 404, "not_found", "the console does not serve " + route);
      return;
    }
    RequestDispatcher dispatcher = req.getServletContext().getRequestDispatcher(route);
    if (dispatcher == null) {
      error(resp, 404, "not_found", "no such route");
      return;
    }
    dispatcher.forward(new AuthorizedRequest(req, tokens.get(session.identity())), resp);
  }

  private void summary(HttpServletResponse resp) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    EventJournal j = journal;
    if (j != null) {
      JournalCounts c = j.counts();
      out.putObject("journal").put("pending", c.pending()).put("done", c.done()).put("dead", c.dead());
    }
    out.put("feed_dropped", feed.dropped());
    write(resp, 200, out);
  }

  private void stream(HttpServletResponse resp, ConsoleSessions.Session session) throws IOException {
    ConsoleFeed.Watcher watcher = feed.watch();
    if (watcher == null) {
      error(resp, 429, "too_many_watchers", "the live feed has as many watchers as it serves; close another console");
      return;
    }
    try (watcher) {
      resp.setStatus(200);
      resp.setContentType("text/event-stream");
      resp.setCharacterEncoding("UTF-8");
      resp.setHeader("X-Accel-Buffering", "no");
      OutputStream out = resp.getOutputStream();
      out.write(": hooks console feed\nretry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (sessions.live(session)) {
        IngressObservation item = watcher.next(HEARTBEAT);
        if (item == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        } else {
          out.write(("event: delivery\ndata: " + JSON.writeValueAsString(view(item)) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (CancellationException e) {
      // the feed closed: the server stops
    }
  }

  private static Map<String, Object> view(IngressObservation i) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("endpoint", i.endpointId());
    v.put("request_id", i.requestId());
    v.put("status", i.status());
    v.put("error", i.error());
    v.put("event_type", i.eventType());
    v.put("received_at", i.receivedAt().toString());
    v.put("millis", i.nanos() / 1_000_000.0);
    return v;
  }

  private static boolean get(String method, HttpServletResponse resp) throws IOException {
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    notAllowed(resp, "GET");
    return false;
  }

  private static void asset(HttpServletResponse resp, String name, String type) throws IOException {
    try (InputStream in = HooksConsoleServlet.class.getResourceAsStream("assets/" + name)) {
      if (in == null) {
        error(resp, 404, "not_found", "no such asset");
        return;
      }
      byte[] bytes = in.readAllBytes();
      resp.setStatus(200);
      resp.setContentType(type);
      resp.setHeader("Cache-Control", "no-cache");
      resp.setContentLength(bytes.length);
      resp.getOutputStream().write(bytes);
    }
  }

  private static String contentType(String name) {
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return name.endsWith(".svg") ? "image/svg+xml" : "image/png";
  }

  private static void securityHeaders(HttpServletResponse resp) {
    resp.setHeader("Content-Security-Policy", CSP);
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Referrer-Policy", "no-referrer");
    resp.setHeader("X-Frame-Options", "DENY");
  }

  private static String cookiePath(HttpServletRequest req) {
    String p = req.getContextPath() + req.getServletPath();
    return p.isEmpty() ? "/" : p;
  }

  private static @Nullable String cookie(HttpServletRequest req) {
    Cookie[] cookies = req.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (COOKIE.equals(c.getName())) {
        return c.getValue();
      }
    }
    return null;
  }

  private static void notAllowed(HttpServletResponse resp, String allow) throws IOException {
    resp.setHeader("Allow", allow);
    error(resp, 405, "method_not_allowed", "use " + allow);
  }

  private static void error(HttpServletResponse resp, int status, String code, String message) throws IOException {
    write(resp, status, Map.of("error", code, "message", message));
  }

  private static void write(HttpServletResponse resp, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** Not thread-safe; {@link #build} copies. */
  public static final class Builder {
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private AdminGuard guard = AdminGuard.ofDefaults();
    private @Nullable EventJournal journal;
    private ConsoleFeed feed = ConsoleFeed.ofDefaults();
    private Clock clock = Clock.systemUTC();
    private Duration sessionIdle = Duration.ofMinutes(30);
    private int maxSessions = 100;
    private final List<String> routes = new ArrayList<>(List.of("/admin/"));
    private static final List<String> FEATURES = List.of("deploy", "incidents", "maintenance", "notify", "stats");
    private final java.util.Set<String> features = new java.util.TreeSet<>();

    private Builder() {}

    /**
     * The admin token logging in as {@code admin}; the same one the admin routes accept.
     *
     * @throws IllegalArgumentException if shorter than 16 characters
     */
    public Builder token(String token) {
      return tokens(Map.of("admin", token));
    }

    /**
     * Admin tokens by identity, as given to {@code HooksAdminServlet}; a session acts with the token
     * it logged in with, so the audit log names its identity.
     *
     * @throws IllegalArgumentException if a token is shorter than 16 characters
     */
    public Builder tokens(Map<String, String> byIdentity) {
      for (Map.Entry<String, String> e : byIdentity.entrySet()) {
        String t = Objects.requireNonNull(e.getValue(), "token").strip();
        if (t.length() < 16) {
          throw new IllegalArgumentException("the console's admin token '" + e.getKey() + "' must be at least 16 characters");
        }
        tokens.put(Objects.requireNonNull(e.getKey(), "identity"), t);
      }
      return this;
    }

    /** The trusted ranges and wrong-token throttle; share the admin API's. */
    public Builder guard(AdminGuard guard) {
      this.guard = Objects.requireNonNull(guard, "guard");
      return this;
    }

    /** The journal whose counts the dashboard shows; none leaves them out. */
    public Builder journal(@Nullable EventJournal journal) {
      this.journal = journal;
      return this;
    }

    public Builder feed(ConsoleFeed feed) {
      this.feed = Objects.requireNonNull(feed, "feed");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a session lives without a request (default 30 minutes), and how many live at once
     * (default 100; past it the least recently used ends).
     *
     * @throws IllegalArgumentException if {@code idle} is not positive or {@code max} below 1
     */
    public Builder sessions(Duration idle, int max) {
      if (idle.isZero() || idle.isNegative() || max < 1) {
        throw new IllegalArgumentException("sessions need a positive idle time and a maximum of at least 1");
      }
      this.sessionIdle = idle;
      this.maxSessions = max;
      return this;
    }

    /**
     * Adds a path prefix of the same servlet context the console may call, such as
     * {@code /history} or {@code /api/stats}; {@code /admin/} is allowed from the start.
     *
     * @throws IllegalArgumentException unless it starts with {@code /}
     */
    public Builder route(String prefix) {
      if (!prefix.startsWith("/") || prefix.contains("..")) {
        throw new IllegalArgumentException("a console route is a path prefix starting with '/': " + prefix);
      }
      routes.add(prefix);
      return this;
    }

    /**
     * Shows a page whose routes the context serves: {@code maintenance} ({@code /admin/maintenance}
     * of hooks-server's alerts), {@code incidents} ({@code /admin/incidents} of the same),
     * {@code stats} (per-day counts of {@code /api/stats}, which {@link #route} must allow),
     * {@code deploy} (deployments and rollback, {@code /admin/deploy/services*}) or {@code notify}
     * (notification targets and routes, {@code /admin/notify}).
     *
     * @throws IllegalArgumentException for another name
     */
    public Builder feature(String name) {
      if (!FEATURES.contains(name)) {
        throw new IllegalArgumentException("console features are " + FEATURES + ", not '" + name + "'");
      }
      features.add(name);
      return this;
    }

    public HooksConsoleServlet build() {
      return new HooksConsoleServlet(this);
    }
  }
}
