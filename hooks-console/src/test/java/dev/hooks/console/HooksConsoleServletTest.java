package dev.hooks.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.servlet.admin.AdminGuard;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import dev.hooks.ingress.IngressObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console servlet on a real Jetty, next to a servlet at {@code /admin/*} that records what
 * it receives as the admin API would: login, the session cookie, CSRF, forwarding with the
 * session's token, the allowed routes, the feed and the guard.
 */
class HooksConsoleServletTest {
  private static final String TOKEN = "console-token-0123456789abcdef";
  private static final String OPS = "ops-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> adminCalls = new CopyOnWriteArrayList<>();
  private Server server;
  private HooksConsoleServlet console;

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  private void start(AdminGuard guard) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
        adminCalls.add(req.getMethod() + " " + req.getPathInfo() + " " + req.getHeader("Authorization") + " cookie=" + req.getHeader("Cookie"));
        resp.setStatus(200);
        resp.setContentType("application/json");
        resp.getWriter().write("{\"ok\":true}");
      }
    }), "/admin/*");
    console = HooksConsoleServlet.builder().tokens(Map.of("admin", TOKEN, "ops", OPS)).guard(guard).build();
    context.addServlet(new ServletHolder(console), "/console/*");
    server.setHandler(context);
    server.start();
  }

  private String url(String path) {
    return server.getURI().resolve(path).toString();
  }

  private HttpResponse<String> login(String token, String type) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url("/console/login"))).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(type.startsWith("application/json") ? "{\"token\":\"" + token + "\"}" : "token=" + token)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String cookie(HttpResponse<?> login) {
    String set = login.headers().firstValue("Set-Cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  @Test
  void aWrongTokenAnswers401AndAnAdminTokenOpensASessionWithAnHttpOnlyStrictCookie() throws Exception {
    start(AdminGuard.ofDefaults());
    HttpResponse<String> wrong = login(TOKEN + "x", "application/json");
    HttpResponse<String> right = login(OPS, "application/json");

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(right.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(right.body());
    assertThat(body.path("identity").asText()).isEqualTo("ops");
    assertThat(body.path("csrf").asText()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(right.body()).doesNotContain(OPS);
    assertThat(right.headers().firstValue("Set-Cookie")).get().asString()
        .startsWith("hooks_console=").contains("; Path=/console").contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");
  }

  @Test
  void aLoginPostedAsAFormIsRefused415() throws Exception {
    start(AdminGuard.ofDefaults());
    HttpResponse<String> form = login(TOKEN, "application/x-www-form-urlencoded");
    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(form.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void forwardedCallsCarryTheTokenOfTheSessionsIdentityAndNotTheBrowsersCookie() throws Exception {
    start(AdminGuard.ofDefaults());
    HttpResponse<String> login = login(OPS, "application/json");
    String csrf = JSON.readTree(login.body()).path("csrf").asText();

    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(url("/console/api/admin/endpoints?limit=5")))
        .header("Cookie", cookie(login)).header("Authorization", "Bearer forged").GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(url("/console/api/admin/endpoints/hook_001/test")))
        .header("Cookie", cookie(login)).header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(adminCalls).containsExactly("GET /endpoints Bearer " + OPS + " cookie=null", "POST /endpoints/hook_001/test Bearer " + OPS + " cookie=null");
  }

  @Test
  void aStateChangingCallWithoutTheSessionsCsrfTokenIs403AndReachesNothing() throws Exception {
    start(AdminGuard.ofDefaults());
    HttpResponse<String> login = login(TOKEN, "application/json");
    String other = JSON.readTree(login(TOKEN, "application/json").body()).path("csrf").asText();

    HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(url("/console/api/admin/endpoints/hook_001")))
        .header("Cookie", cookie(login)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> anotherSessions = http.send(HttpRequest.newBuilder(URI.create(url("/console/api/admin/endpoints/hook_001")))
        .header("Cookie", cookie(login)).header("X-CSRF-Token", other).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> noSession = http.send(HttpRequest.newBuilder(URI.create(url("/console/api/admin/endpoints")))
        .GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(none.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(none.body()).path("error").asText()).isEqualTo("csrf");
    assertThat(anotherSessions.statusCode()).isEqualTo(403);
    assertThat(noSession.statusCode()).isEqualTo(401);
    assertThat(adminCalls).isEmpty();
  }

  @Test
  void onlyTheAllowedRoutesAreForwarded() throws Exception {
    start(AdminGuard.ofDefaults());
    String cookie = cookie(login(TOKEN, "application/json"));
    for (String path : List.of("/console/api/hooks/static", "/console/api/admin/../hooks/static", "/console/api/console/login", "/console/nothing")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(path))).header("Cookie", cookie).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isIn(400, 404);
    }
    assertThat(adminCalls).isEmpty();
  }

  @Test
  void everyAnswerCarriesAPolicyWithoutInlineScriptsAndThePageLoadsItsModule() throws Exception {
    start(AdminGuard.ofDefaults());
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url("/console/"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(url("/console/assets/app.js"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> traversal = http.send(HttpRequest.newBuilder(URI.create(url("/console/assets/..%2Findex.html"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString().contains("script-src 'self'").doesNotContain("unsafe");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(script.headers().firstValue("Content-Type")).get().asString().startsWith("text/javascript");
    assertThat(script.body()).doesNotContain("innerHTML =").doesNotContain("insertAdjacentHTML").doesNotContain("eval(");
    assertThat(traversal.statusCode()).isIn(400, 404);
  }

  @Test
  void theFeedStreamsAPublishedDeliveryAsAnEvent() throws Exception {
    start(AdminGuard.ofDefaults());
    String cookie = cookie(login(TOKEN, "application/json"));
    HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(url("/console/feed"))).header("Cookie", cookie).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
    BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
    while (!reader.readLine().isEmpty()) {
      // the opening comment and retry
    }
    console.feed().onResult(new IngressObservation("github", "req-<script>", 202, null, "push", Instant.parse("2026-12-07T11:00:00Z"), 1_500_000));

    assertThat(reader.readLine()).isEqualTo("event: delivery");
    JsonNode data = JSON.readTree(reader.readLine().substring("data: ".length()));
    assertThat(data.path("endpoint").asText()).isEqualTo("github");
    assertThat(data.path("request_id").asText()).isEqualTo("req-<script>");
    assertThat(data.path("status").asInt()).isEqualTo(202);
    assertThat(data.path("millis").asDouble()).isEqualTo(1.5);
    stream.body().close();
  }

  @Test
  void aClientOutsideTheTrustedRangesIs403EvenForThePage() throws Exception {
    start(AdminGuard.builder().trustedCidrs(List.of("10.0.0.0/8")).build());
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url("/console/"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(login(TOKEN, "application/json").statusCode()).isEqualTo(403);
  }

  @Test
  void repeatedWrongTokensAreThrottled429() throws Exception {
    start(AdminGuard.builder().failures(2, Duration.ofMinutes(1)).build());
    assertThat(login("guess-0123456789abcdef", "application/json").statusCode()).isEqualTo(401);
    assertThat(login("guess-0123456789abcdeg", "application/json").statusCode()).isEqualTo(401);
    HttpResponse<String> throttled = login(TOKEN, "application/json");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
  }
}
