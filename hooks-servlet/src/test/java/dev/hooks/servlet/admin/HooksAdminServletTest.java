package dev.hooks.servlet.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.HooksException;
import dev.hooks.admin.AdminException;
import dev.hooks.admin.EndpointAdmin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin servlet on a real Jetty over a small map-backed {@link EndpointAdmin}: routing,
 * authentication and error answers. The hub itself is tested end to end in hooks-notify.
 */
class HooksAdminServletTest {
  private static final String TOKEN = "admin-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MapAdmin admin = new MapAdmin();
  private final HttpClient http = HttpClient.newHttpClient();
  private Server server;
  private ServerConnector connector;

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HooksAdminServlet(admin, TOKEN)), "/admin/*");
    server.setHandler(context);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void missingOrWrongTokenAnswers401AndReachesNothing() throws Exception {
    HttpResponse<String> none = send("GET", "/admin/endpoints", null, null);
    HttpResponse<String> wrong = send("GET", "/admin/endpoints", "Bearer " + TOKEN + "x", null);
    HttpResponse<String> basic = send("POST", "/admin/endpoints", "Basic " + TOKEN, "{\"kind\":\"github\"}");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(json(none).path("error").asText()).isEqualTo("unauthorized");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(admin.calls).isEmpty();
  }

  private void restart(AdminGuard guard) throws Exception {
    server.stop();
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HooksAdminServlet(admin, null, java.time.Clock.systemUTC(), TOKEN, guard)), "/admin/*");
    server.setHandler(context);
    server.start();
  }

  @Test
  void repeatedWrongTokensAreAnswered429WithRetryAfterAndTheTokenIsNotTriedMeanwhile() throws Exception {
    restart(AdminGuard.builder().failures(3, java.time.Duration.ofMinutes(1)).build());
    for (int i = 0; i < 3; i++) {
      assertThat(send("GET", "/admin/endpoints", "Bearer guess-" + i, null).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> throttled = send("GET", "/admin/endpoints", "Bearer " + TOKEN, null);

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(json(throttled).path("error").asText()).isEqualTo("too_many_failures");
    assertThat(throttled.headers().firstValue("Retry-After")).get().satisfies(v -> assertThat(Integer.parseInt(v)).isBetween(1, 61));
    assertThat(admin.calls).isEmpty();
  }

  @Test
  void defaultGuardThrottlesAfterTenWrongTokens() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(send("GET", "/admin/endpoints", "Bearer guess-" + i, null).statusCode()).isEqualTo(401);
    }
    assertThat(send("GET", "/admin/endpoints", "Bearer guess-10", null).statusCode()).isEqualTo(429);
  }

  @Test
  void clientOutsideTheTrustedRangesIsAnswered403EvenWithTheToken() throws Exception {
    restart(AdminGuard.builder().trustedCidrs(List.of("10.0.0.0/8", "192.168.0.0/16")).build());
    HttpResponse<String> outside = send("GET", "/admin/endpoints", "Bearer " + TOKEN, null);
    assertThat(outside.statusCode()).isEqualTo(403);
    assertThat(json(outside).path("error").asText()).isEqualTo("forbidden");

    restart(AdminGuard.builder().trustedCidrs(List.of("127.0.0.0/8")).build());
    assertThat(send("GET", "/admin/endpoints", "Bearer " + TOKEN, null).statusCode()).isEqualTo(200);
  }

  @Test
  void createAnswers201WithLocationAndTheOptionsWithoutKind() throws Exception {
    HttpResponse<String> r = send("POST", "/admin/endpoints", "Bearer " + TOKEN, "{\"kind\":\"github\",\"branch\":\"main\"}");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location")).hasValue("/admin/endpoints/hook_001");
    assertThat(json(r).path("id").asText()).isEqualTo("hook_001");
    assertThat(admin.calls).containsExactly("create github {branch=main}");
  }

  @Test
  void everyRouteReachesItsOperation() throws Exception {
    send("POST", "/admin/endpoints", "Bearer " + TOKEN, "{\"kind\":\"custom\"}");
    String auth = "Bearer " + TOKEN;

    assertThat(send("GET", "/admin/endpoints", auth, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/admin/endpoints/hook_001", auth, null).statusCode()).isEqualTo(200);
    assertThat(send("POST", "/admin/endpoints/hook_001/disable", auth, null).statusCode()).isEqualTo(200);
    assertThat(send("POST", "/admin/endpoints/hook_001/enable", auth, null).statusCode()).isEqualTo(200);
    assertThat(send("PUT", "/admin/endpoints/hook_001/filters", auth, "{\"events\":[\"push\"]}").statusCode()).isEqualTo(200);
    assertThat(send("PUT", "/admin/endpoints/hook_001/template", auth, "{\"template\":\"{{event}}\"}").statusCode()).isEqualTo(200);
    assertThat(send("PUT", "/admin/endpoints/hook_001/template", auth, "{\"template\":null}").statusCode()).isEqualTo(200);
    assertThat(send("POST", "/admin/endpoints/hook_001/test", auth, null).statusCode()).isEqualTo(200);
    assertThat(send("DELETE", "/admin/endpoints/hook_001", auth, null).statusCode()).isEqualTo(204);

    assertThat(admin.calls).containsExactly("create custom {}", "list", "get hook_001", "enabled hook_001 false",
        "enabled hook_001 true", "filters hook_001 {events=[push]}", "template hook_001 {{event}}", "template hook_001 null",
        "test hook_001", "delete hook_001");
  }

  @Test
  void badJsonAnswers400WithItsReason() throws Exception {
    String auth = "Bearer " + TOKEN;
    HttpResponse<String> broken = send("POST", "/admin/endpoints", auth, "{\"kind\":");
    HttpResponse<String> array = send("POST", "/admin/endpoints", auth, "[1,2]");
    HttpResponse<String> noKind = send("POST", "/admin/endpoints", auth, "{}");
    HttpResponse<String> numberTemplate = send("PUT", "/admin/endpoints/x/template", auth, "{\"template\":3}");

    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(json(broken).path("error").asText()).isEqualTo("bad_json");
    assertThat(json(array).path("error").asText()).isEqualTo("bad_json");
    assertThat(noKind.statusCode()).isEqualTo(400);
    assertThat(json(noKind).path("error").asText()).isEqualTo("invalid");
    assertThat(numberTemplate.statusCode()).isEqualTo(400);
    assertThat(admin.calls).isEmpty();
  }

  @Test
  void adminErrorsKeepTheirStatusAndStoreFailuresAnswer503() throws Exception {
    String auth = "Bearer " + TOKEN;
    HttpResponse<String> missing = send("GET", "/admin/endpoints/nope", auth, null);
    admin.storeDown = true;
    HttpResponse<String> down = send("GET", "/admin/endpoints", auth, null);

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("error").asText()).isEqualTo("not_found");
    assertThat(json(missing).path("message").asText()).isEqualTo("no endpoint 'nope'");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(json(down).path("error").asText()).isEqualTo("unavailable");
  }

  @Test
  void wrongMethodsAndUnknownPathsAnswer405And404() throws Exception {
    String auth = "Bearer " + TOKEN;
    HttpResponse<String> put = send("PUT", "/admin/endpoints", auth, "{}");
    HttpResponse<String> getTest = send("GET", "/admin/endpoints/a/test", auth, null);
    HttpResponse<String> other = send("GET", "/admin/secrets", auth, null);
    HttpResponse<String> deep = send("GET", "/admin/endpoints/a/b/c", auth, null);

    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
    assertThat(getTest.statusCode()).isEqualTo(405);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(deep.statusCode()).isEqualTo(404);
  }

  @Test
  void aShortAdminTokenIsRefusedAtConstruction() {
    assertThatThrownBy(() -> new HooksAdminServlet(admin, "short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 characters");
  }

  private HttpResponse<String> send(String method, String path, @Nullable String auth, @Nullable String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  /** Records each call and keeps endpoints in a map. */
  static final class MapAdmin implements EndpointAdmin {
    final List<String> calls = new ArrayList<>();
    final Map<String, Map<String, Object>> endpoints = new TreeMap<>();
    volatile boolean storeDown;

    @Override
    public synchronized Map<String, Object> create(String kind, Map<String, Object> options) {
      calls.add("create " + kind + " " + options);
      String id = String.format("hook_%03d", endpoints.size() + 1);
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("id", id);
      view.put("kind", kind);
      endpoints.put(id, view);
      return view;
    }

    @Override
    public synchronized List<Map<String, Object>> list() {
      if (storeDown) {
        throw new HooksException("state store unreachable");
      }
      calls.add("list");
      return List.copyOf(endpoints.values());
    }

    @Override
    public synchronized Map<String, Object> get(String id) {
      calls.add("get " + id);
      return find(id);
    }

    @Override
    public synchronized void delete(String id) {
      calls.add("delete " + id);
      endpoints.remove(find(id).get("id"));
    }

    @Override
    public synchronized Map<String, Object> enabled(String id, boolean enabled) {
      calls.add("enabled " + id + " " + enabled);
      return find(id);
    }

    @Override
    public synchronized Map<String, Object> filters(String id, Map<String, Object> filters) {
      calls.add("filters " + id + " " + filters);
      return find(id);
    }

    @Override
    public synchronized Map<String, Object> template(String id, @Nullable String template) {
      calls.add("template " + id + " " + template);
      return find(id);
    }

    @Override
    public synchronized Map<String, Object> test(String id) {
      calls.add("test " + id);
      return Map.of("id", id, "status", 202);
    }

    private Map<String, Object> find(String id) {
      Map<String, Object> v = endpoints.get(id);
      if (v == null) {
        throw AdminException.notFound(id);
      }
      return v;
    }
  }
}
