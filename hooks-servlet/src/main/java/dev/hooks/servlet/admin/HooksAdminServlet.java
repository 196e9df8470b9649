package dev.hooks.servlet.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.HooksException;
import dev.hooks.admin.AdminException;
import dev.hooks.admin.EndpointAdmin;
import dev.hooks.internal.LogSafe;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.HistoryPage;
import dev.hooks.journal.HistoryQuery;
import dev.hooks.journal.JournalEntry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an {@link EndpointAdmin} (such as hooks-endpoints' {@code NotificationHub}) as a JSON
 * HTTP API, for the {@code !hook} commands of a chat bot or for {@code curl}. Every request needs
 * {@code Authorization: Bearer <admin token>}, compared in constant time; a missing or wrong
 * token answers 401 {@code {"error":"unauthorized"}}. An {@link AdminGuard} comes first: a client
 * outside its trusted ranges answers 403, one that sent too many wrong tokens 429 with
 * {@code Retry-After}.
 *
 * <table>
 *   <caption>Routes, relative to where the servlet is mounted (such as {@code /admin/*})</caption>
 *   <tr><td>{@code POST /endpoints}</td><td>body {@code {"kind":"github", ...options}}: 201 with the
 *       endpoint's view, its {@code url} and its {@code secret} (shown this once)</td></tr>
 *   <tr><td>{@code GET /endpoints}</td><td>{@code {"endpoints":[...]}}, without secrets</td></tr>
 *   <tr><td>{@code GET /endpoints/{id}}</td><td>one endpoint's view</td></tr>
 *   <tr><td>{@code DELETE /endpoints/{id}}</td><td>204</td></tr>
 *   <tr><td>{@code POST /endpoints/{id}/enable}, {@code /disable}</td><td>the view</td></tr>
 *   <tr><td>{@code PUT /endpoints/{id}/filters}</td><td>body {@code {"events":["push"],"branch":"main"}}: the view</td></tr>
 *   <tr><td>{@code PUT /endpoints/{id}/template}</td><td>body {@code {"template":"🔔 {{event}}: {{message}}"}}
 *       ({@code null} restores the default): the view</td></tr>
 *   <tr><td>{@code PATCH /endpoints/{id}}</td><td>body with any of {@code target}, {@code filters}
 *       (an object), {@code template} and {@code enabled}: one change, checked whole; the view</td></tr>
 *   <tr><td>{@code GET /audit?limit=N}</td><td>{@code {"audit":[...]}}: the latest {@code N} changes
 *       (default 100, at most 1000), oldest first, each with {@code at}, {@code actor} ({@code token:<identity>}),
 *       {@code action}, {@code endpoint} and {@code changes}</td></tr>
 *   <tr><td>{@code POST /endpoints/{id}/test}</td><td>{@code {"status":202,"request_id":"..."}}</td></tr>
 *   <tr><td>{@code GET /dead-letters?limit=N}</td><td>{@code {"dead_letters":[...]}}, oldest first, at most
 *       {@code N} (default 100, at most 1000); needs a journal</td></tr>
 *   <tr><td>{@code GET /deliveries?endpoint=&status=&since=&before=&limit=N}</td><td>{@code {"deliveries":[...],"next":...}}:
 *       journaled deliveries newest first, of one endpoint, status ({@code pending}, {@code done},
 *       {@code dead}) and received at or after {@code since} (an ISO-8601 instant) when given; at
 *       most {@code N} (default 100, at most 1000); {@code next} is the {@code before} of the
 *       following page, null on the last</td></tr>
 *   <tr><td>{@code GET /deliveries/{request_id}}</td><td>one journaled delivery: endpoint, delivery id,
 *       status, attempts, last error, times; with {@code ?detail=true} also its headers (redacted
 *       at ingress) and its body as text, JSON and form fields named like secrets masked</td></tr>
 *   <tr><td>{@code POST /deliveries/{request_id}/replay}</td><td>202: the delivery is pending again and is
 *       dispatched once the dispatcher next claims work (within its poll interval)</td></tr>
 * </table>
 *
 * <p>Errors are JSON {@code {"error":"<code>","message":"..."}}: 400 {@code bad_json} or
 * {@code invalid}, 401, 404 {@code not_found}, 405 {@code method_not_allowed}, 409
 * {@code conflict}, 413 {@code too_large} past 64 KiB, 503 {@code unavailable} when the state
 * store fails. Messages name the bad input, never a secret.
 *
 * <p>Thread-safe. Mount it apart from {@code HooksServlet}, on a path that only operators reach.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new HooksAdminServlet(hub, System.getenv("HOOKS_ADMIN_TOKEN"))), "/admin/*");
 * }</pre>
 */
public class HooksAdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(HooksAdminServlet.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;
  private static final int MIN_TOKEN_LENGTH = 16;
  private static final String PREFIX = "/endpoints";
  /** The identity of the token given to the single-token constructors. */
  public static final String DEFAULT_IDENTITY = "admin";

  private static final String DELIVERIES = "/deliveries/";
  private static final int MAX_DEAD_LETTERS = 1000;

  private final transient EndpointAdmin admin;
  private final transient @Nullable EventJournal journal;
  private final transient Clock clock;
  private final Map<String, byte[]> tokens;
  private final transient AdminGuard guard;

  /**
   * @param token the admin token clients send as {@code Authorization: Bearer <token>}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code token} is shorter than 16 characters
   */
  public HooksAdminServlet(EndpointAdmin admin, String token) {
    this(admin, null, Clock.systemUTC(), token);
  }

  /**
   * An admin API that also serves the journal: dead letters, one delivery, and replay by request
   * id.
   *
   * @param journal the journal of the {@code Hooks} instance whose dispatcher will re-dispatch
   *     replayed deliveries
   * @throws NullPointerException if {@code admin}, {@code clock} or {@code token} is null
   * @throws IllegalArgumentException if {@code token} is shorter than 16 characters
   */
  public HooksAdminServlet(EndpointAdmin admin, @Nullable EventJournal journal, Clock clock, String token) {
    this(admin, journal, clock, token, AdminGuard.ofDefaults());
  }

  /**
   * An admin API whose {@code guard} decides, before the token is compared, whether a client may
   * try: trusted ranges (403 {@code forbidden}) and the throttle of wrong tokens (429
   * {@code too_many_failures} with {@code Retry-After}).
   *
   * @throws NullPointerException if {@code admin}, {@code clock}, {@code token} or {@code guard} is null
   * @throws IllegalArgumentException if {@code token} is shorter than 16 characters
   */
  public HooksAdminServlet(EndpointAdmin admin, @Nullable EventJournal journal, Clock clock, String token, AdminGuard guard) {
    this(admin, journal, clock, Map.of(DEFAULT_IDENTITY, Objects.requireNonNull(token, "token")), guard);
  }

  /**
   * An admin API with one token per identity, such as {@code {"ops": "...", "ci": "..."}}: the
   * identity of the token a request sends is the actor of its changes in the audit log
   * ({@code token:ops}). The single-token constructors name their token {@value #DEFAULT_IDENTITY}.
   *
   * @throws NullPointerException if an argument but {@code journal} is null
   * @throws IllegalArgumentException if there is no token, a token is shorter than 16 characters,
   *     two identities share a token, or an identity is not 1 to 64 letters, digits, {@code .},
   *     {@code _} or {@code -}
   */
  public HooksAdminServlet(EndpointAdmin admin, @Nullable EventJournal journal, Clock clock, Map<String, String> tokensByIdentity,
      AdminGuard guard) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.admin = Objects.requireNonNull(admin, "admin");
    this.journal = journal;
    this.clock = Objects.requireNonNull(clock, "clock");
    if (tokensByIdentity.isEmpty()) {
      throw new IllegalArgumentException("the admin API needs at least one token");
    }
    Map<String, byte[]> byIdentity = new LinkedHashMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(tokensByIdentity).entrySet()) {
      String identity = Objects.requireNonNull(e.getKey(), "identity");
      String token = Objects.requireNonNull(e.getValue(), "token").strip();
      if (!identity.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException("admin token identity '" + LogSafe.of(identity)
            + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
      }
      if (token.length() < MIN_TOKEN_LENGTH) {
        throw new IllegalArgumentException("the admin token must be at least " + MIN_TOKEN_LENGTH
            + " characters; set a long random one, e.g. `openssl rand -hex 32`");
      }
      if (!seen.add(token)) {
        throw new IllegalArgumentException("two admin identities share one token; give '" + identity + "' its own");
      }
      byIdentity.put(identity, token.getBytes(StandardCharsets.UTF_8));
    }
    this.tokens = Map.copyOf(byIdentity);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String client = req.getRemoteAddr();
    switch (guard.check(client)) {
      case FORBIDDEN -> {
        error(resp, 403, "forbidden", "the admin API is not served to this address");
        return;
      }
      case THROTTLED -> {
        resp.setHeader("Retry-After", Integer.toString(guard.retryAfterSeconds(client)));
        error(resp, 429, "too_many_failures", "too many requests without the admin token; retry later");
        return;
      }
      case PROCEED -> { }
    }
    String identity = identity(req.getHeader("Authorization"));
    if (identity == null) {
      guard.failed(client);
      resp.setHeader("WWW-Authenticate", "Bearer");
      error(resp, 401, "unauthorized", "send Authorization: Bearer <admin token>");
      return;
    }
    try {
      route(admin.as("token:" + identity), req, resp);
    } catch (AdminException e) {
      error(resp, e.status(), e.code(), e.getMessage());
    } catch (BadRequest e) {
      error(resp, e.status, e.code, e.getMessage());
    } catch (IllegalArgumentException e) {
      error(resp, 400, "invalid", e.getMessage());
    } catch (HooksException e) {
      LOG.warn("admin request {} {} failed: {}", LogSafe.of(req.getMethod()), LogSafe.of(pathOf(req)), LogSafe.of(e.getMessage()));
      error(resp, 503, "unavailable", "the hub's state cannot be read or written now; retry");
    }
  }

  private void route(EndpointAdmin admin, HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = pathOf(req);
    String method = req.getMethod();
    if (path.equals("/audit")) {
      if (!"GET".equals(method)) {
        notAllowed(resp, "GET");
      } else {
        write(resp, 200, Map.of("audit", admin.audit(limit(req.getParameter("limit")))));
      }
      return;
    }
    if (path.equals("/dead-letters") || path.startsWith(DELIVERIES) || path.equals("/deliveries")) {
      journalRoute(path, method, req, resp);
      return;
    }
    if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
      switch (method) {
        case "GET" -> write(resp, 200, Map.of("endpoints", admin.list()));
        case "POST" -> {
          Map<String, Object> body = new LinkedHashMap<>(object(req));
          Object kind = body.remove("kind");
          if (!(kind instanceof String k) || k.isBlank()) {
            throw new BadRequest(400, "invalid", "'kind' is required: github, gitlab, docker, ci or custom");
          }
          Map<String, Object> created = admin.create(k, body);
          resp.setHeader("Location", req.getRequestURI().replaceAll("/+$", "") + "/" + created.get("id"));
          write(resp, 201, created);
        }
        default -> notAllowed(resp, "GET, POST");
      }
      return;
    }
    if (!path.startsWith(PREFIX + "/")) {
      error(resp, 404, "not_found", "no such admin resource; see /endpoints");
      return;
    }
    String[] parts = path.substring(PREFIX.length() + 1).split("/", -1);
    String id = parts[0];
    if (id.isEmpty() || parts.length > 2) {
      error(resp, 404, "not_found", "no such admin resource");
      return;
    }
    if (parts.length == 1) {
      switch (method) {
        case "GET" -> write(resp, 200, admin.get(id));
        case "DELETE" -> {
          admin.delete(id);
          resp.setStatus(204);
          resp.setHeader("Cache-Control", "no-store");
        }
        case "PATCH" -> write(resp, 200, admin.update(id, object(req)));
        default -> notAllowed(resp, "GET, PATCH, DELETE");
      }
      return;
    }
    switch (parts[1]) {
      case "enable", "disable" -> {
        if (!method.equals("POST")) {
          notAllowed(resp, "POST");
        } else {
          write(resp, 200, admin.enabled(id, parts[1].equals("enable")));
        }
      }
      case "test" -> {
        if (!method.equals("POST")) {
          notAllowed(resp, "POST");
        } else {
          write(resp, 200, admin.test(id));
        }
      }
      case "filters" -> {
        if (!method.equals("PUT")) {
          notAllowed(resp, "PUT");
        } else {
          write(resp, 200, admin.filters(id, object(req)));
        }
      }
      case "template" -> {
        if (!method.equals("PUT")) {
          notAllowed(resp, "PUT");
        } else {
          Map<String, Object> body = object(req);
          if (!body.containsKey("template")) {
            throw new BadRequest(400, "invalid", "send {\"template\": \"...\"}, or null for the default templates");
          }
          Object t = body.get("template");
          if (t != null && !(t instanceof String)) {
            throw new BadRequest(400, "invalid", "'template' must be a string or null");
          }
          write(resp, 200, admin.template(id, (String) t));
        }
      }
      default -> error(resp, 404, "not_found", "no such admin resource");
    }
  }

  private void journalRoute(String path, String method, HttpServletRequest req, HttpServletResponse resp) throws IOException {
    EventJournal j = journal;
    if (j == null) {
      error(resp, 404, "not_found", "this admin API serves no journal");
      return;
    }
    if (path.equals("/dead-letters")) {
      if (!"GET".equals(method)) {
        notAllowed(resp, "GET");
        return;
      }
      int limit = limit(req.getParameter("limit"));
      write(resp, 200, Map.of("dead_letters", j.deadLetters(limit).stream().map(HooksAdminServlet::view).toList()));
      return;
    }
    if (path.equals("/deliveries") || path.equals(DELIVERIES)) {
      if (!"GET".equals(method)) {
        notAllowed(resp, "GET");
        return;
      }
      HistoryPage page = j.history(historyQuery(req));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("deliveries", page.entries().stream().map(HooksAdminServlet::view).toList());
      body.put("next", page.next());
      write(resp, 200, body);
      return;
    }
    String[] parts = path.substring(DELIVERIES.length()).split("/", -1);
    String requestId = parts[0];
    if (requestId.isEmpty() || parts.length > 2 || (parts.length == 2 && !parts[1].equals("replay"))) {
      error(resp, 404, "not_found", "no such admin resource");
      return;
    }
    if (parts.length == 1) {
      if (!"GET".equals(method)) {
        notAllowed(resp, "GET");
        return;
      }
      JournalEntry e = j.find(requestId).orElseThrow(() -> noDelivery(requestId));
      write(resp, 200, "true".equals(req.getParameter("detail")) ? DeliveryDetail.of(e, view(e)) : view(e));
      return;
    }
    if (!"POST".equals(method)) {
      notAllowed(resp, "POST");
      return;
    }
    if (!j.replay(requestId, clock.instant())) {
      throw noDelivery(requestId);
    }
    LOG.info("delivery {} replayed by the admin API", LogSafe.of(requestId));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("request_id", requestId);
    body.put("status", "pending");
    write(resp, 202, body);
  }

  private static HistoryQuery historyQuery(HttpServletRequest req) {
    String status = req.getParameter("status");
    JournalEntry.Status st = null;
    if (status != null && !status.isBlank()) {
      try {
        st = JournalEntry.Status.valueOf(status.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadRequest(400, "invalid", "'status' must be pending, done or dead");
      }
    }
    Instant since = null;
    String sinceParam = req.getParameter("since");
    if (sinceParam != null && !sinceParam.isBlank()) {
      try {
        since = Instant.parse(sinceParam.strip());
      } catch (DateTimeParseException e) {
        throw new BadRequest(400, "invalid", "'since' must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
      }
    }
    return new HistoryQuery(blankToNull(req.getParameter("endpoint")), st, since, blankToNull(req.getParameter("before")),
        limit(req.getParameter("limit")));
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static BadRequest noDelivery(String requestId) {
    return new BadRequest(404, "not_found", "no delivery '" + requestId + "'");
  }

  private static int limit(@Nullable String value) {
    if (value == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1 && n <= MAX_DEAD_LETTERS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequest(400, "invalid", "'limit' must be a whole number from 1 to " + MAX_DEAD_LETTERS);
  }

  /** What an operator needs to judge a delivery; never its headers or body. */
  private static Map<String, Object> view(JournalEntry e) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("request_id", e.requestId());
    v.put("endpoint", e.endpointId());
    v.put("delivery_id", e.deliveryId());
    v.put("status", e.status().name().toLowerCase(Locale.ROOT));
    v.put("attempts", e.attempts());
    v.put("received_at", e.receivedAt().toString());
    v.put("next_attempt_at", e.nextAttemptAt().toString());
    v.put("last_error", e.lastError());
    v.put("body_bytes", e.delivery().body().length);
    return v;
  }

  /** The identity whose token the header carries, or null. */
  private @Nullable String identity(@Nullable String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    String found = null;
    // every token is compared, and MessageDigest.isEqual takes the same time whatever the first
    // differing byte, so the time taken tells nothing about which token came close
    for (Map.Entry<String, byte[]> e : tokens.entrySet()) {
      if (MessageDigest.isEqual(given, e.getValue())) {
        found = e.getKey();
      }
    }
    return found;
  }

  private static Map<String, Object> object(HttpServletRequest req) throws IOException {
    byte[] bytes;
    try (InputStream in = req.getInputStream()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    } catch (IOException e) {
      throw new BadRequest(400, "bad_body", "the body could not be read");
    }
    if (bytes.length > MAX_BODY) {
      throw new BadRequest(413, "too_large", "the body is larger than " + MAX_BODY + " bytes");
    }
    if (bytes.length == 0) {
      return Map.of();
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JacksonException e) {
      throw new BadRequest(400, "bad_json", "the body is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new BadRequest(400, "bad_json", "the body must be a JSON object");
    }
    return JSON.convertValue(node, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  private static void notAllowed(HttpServletResponse resp, String allow) throws IOException {
    resp.setHeader("Allow", allow);
    error(resp, 405, "method_not_allowed", "use " + allow);
  }

  private static void error(HttpServletResponse resp, int status, String code, @Nullable String message) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    if (message != null) {
      body.put("message", message);
    }
    write(resp, status, body);
  }

  private static void write(HttpServletResponse resp, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(bytes.length);
    try (OutputStream out = resp.getOutputStream()) {
      out.write(bytes);
    }
  }

  private static String pathOf(HttpServletRequest req) {
    String info = req.getPathInfo();
    String path = info != null ? info : req.getServletPath();
    return path == null ? "" : path;
  }

  /** A request the servlet itself refuses before the admin sees it. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    BadRequest(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }
}
