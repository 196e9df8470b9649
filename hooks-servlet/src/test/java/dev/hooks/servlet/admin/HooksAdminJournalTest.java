package dev.hooks.servlet.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.Hooks;
import dev.hooks.dispatch.PermanentFailureException;
import dev.hooks.event.WebhookEvent;
import dev.hooks.ingress.Endpoint;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.route.Route;
import dev.hooks.servlet.HooksServlet;
import dev.hooks.verify.SignatureVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal routes of the admin API on a real Jetty beside {@link HooksServlet}, over one
 * {@link Hooks} instance: a delivery whose handler refuses it is dead-lettered, listed, replayed
 * by its request id and then handled.
 */
class HooksAdminJournalTest {
  private static final String TOKEN = "admin-token-0123456789abcdef";
  private static final String AUTH = "Bearer " + TOKEN;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger calls = new AtomicInteger();
  private final InMemoryEventJournal journal = new InMemoryEventJournal();
  private Hooks hooks;
  private Server server;
  private ServerConnector connector;

  @BeforeEach
  void start() throws Exception {
    hooks = Hooks.builder()
        .endpoint(Endpoint.builder("ci").provider("generic").verifier(SignatureVerifier.none())
            .parser(d -> ParseResult.ok(WebhookEvent.builder(DeliveryIds.contentHash(d), "generic", "custom")
                .endpointId(d.endpointId()).receivedAt(d.receivedAt()).build()))
            .build())
        .journal(journal)
        .route(Route.builder("refuse-first").handler(e -> {
          if (calls.incrementAndGet() == 1) {
            throw new PermanentFailureException("target answered 404");
          }
        }).build())
        .dispatcher(d -> d.pollInterval(Duration.ofMillis(50)))
        .build()
        .start();
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HooksAdminServlet(new HooksAdminServletTest.MapAdmin(), journal, Clock.systemUTC(), TOKEN)), "/admin/*");
    context.addServlet(new ServletHolder(new HooksServlet(hooks)), "/*");
    server.setHandler(context);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    hooks.close();
  }

  @Test
  void deadLetterIsListedThenReplayedAndHandled() throws Exception {
    HttpResponse<String> accepted = send("POST", "/hooks/ci", null, "{\"build\":42}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    String requestId = json(accepted).path("request_id").asText();
    await().atMost(5, TimeUnit.SECONDS).until(() -> statusOf(requestId).equals("dead"));

    JsonNode dead = json(send("GET", "/admin/dead-letters", AUTH, null)).path("dead_letters");
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).path("request_id").asText()).isEqualTo(requestId);
    assertThat(dead.get(0).path("endpoint").asText()).isEqualTo("ci");
    assertThat(dead.get(0).path("last_error").asText()).contains("target answered 404");
    assertThat(dead.get(0).has("body")).isFalse();

    HttpResponse<String> replay = send("POST", "/admin/deliveries/" + requestId + "/replay", AUTH, null);
    assertThat(replay.statusCode()).isEqualTo(202);
    assertThat(json(replay).path("status").asText()).isEqualTo("pending");

    await().atMost(5, TimeUnit.SECONDS).until(() -> statusOf(requestId).equals("done"));
    assertThat(calls).hasValue(2);
    assertThat(json(send("GET", "/admin/dead-letters", AUTH, null)).path("dead_letters")).isEmpty();
  }

  @Test
  void deliveriesAreListedNewestFirstByPageAndFilterAndShownWithSecretsMasked() throws Exception {
    String first = json(send("POST", "/hooks/ci", null, "{\"build\":1,\"api_key\":\"sk-live-123\",\"nested\":{\"password\":\"hunter2\"}}"))
        .path("request_id").asText();
    await().atMost(5, TimeUnit.SECONDS).until(() -> statusOf(first).equals("dead"));
    String second = json(send("POST", "/hooks/ci", null, "{\"build\":2}")).path("request_id").asText();
    await().atMost(5, TimeUnit.SECONDS).until(() -> statusOf(second).equals("done"));

    JsonNode all = json(send("GET", "/admin/deliveries?limit=1", AUTH, null));
    assertThat(all.path("deliveries")).extracting(d -> d.path("request_id").asText()).containsExactly(second);
    assertThat(all.path("deliveries").get(0).has("body")).isFalse();
    JsonNode next = json(send("GET", "/admin/deliveries?limit=1&before=" + all.path("next").asText(), AUTH, null));
    assertThat(next.path("deliveries")).extracting(d -> d.path("request_id").asText()).containsExactly(first);
    assertThat(next.path("next").isNull()).isTrue();
    assertThat(json(send("GET", "/admin/deliveries?status=dead&endpoint=ci", AUTH, null)).path("deliveries"))
        .extracting(d -> d.path("request_id").asText()).containsExactly(first);
    assertThat(json(send("GET", "/admin/deliveries?endpoint=other", AUTH, null)).path("deliveries")).isEmpty();
    assertThat(json(send("GET", "/admin/deliveries?since=2999-01-01T00:00:00Z", AUTH, null)).path("deliveries")).isEmpty();

    HttpResponse<String> detail = send("GET", "/admin/deliveries/" + first + "?detail=true", AUTH, null);
    assertThat(detail.body()).doesNotContain("sk-live-123").doesNotContain("hunter2");
    JsonNode body = JSON.readTree(json(detail).path("body").asText());
    assertThat(body.path("api_key").asText()).isEqualTo("****");
    assertThat(body.path("nested").path("password").asText()).isEqualTo("****");
    assertThat(body.path("build").asInt()).isEqualTo(1);
    assertThat(json(detail).path("headers")).isNotEmpty();

    assertThat(send("GET", "/admin/deliveries?status=lost", AUTH, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/admin/deliveries?since=yesterday", AUTH, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/admin/deliveries?limit=5000", AUTH, null).statusCode()).isEqualTo(400);
    assertThat(send("DELETE", "/admin/deliveries", AUTH, null).statusCode()).isEqualTo(405);
    assertThat(send("GET", "/admin/deliveries", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void unknownDeliveriesBadLimitsAndWrongMethodsAre4xx() throws Exception {
    HttpResponse<String> unknown = send("POST", "/admin/deliveries/nope/replay", AUTH, null);
    HttpResponse<String> missing = send("GET", "/admin/deliveries/nope", AUTH, null);
    HttpResponse<String> badLimit = send("GET", "/admin/dead-letters?limit=0", AUTH, null);
    HttpResponse<String> getReplay = send("GET", "/admin/deliveries/nope/replay", AUTH, null);
    HttpResponse<String> other = send("POST", "/admin/deliveries/nope/delete", AUTH, null);
    HttpResponse<String> noToken = send("POST", "/admin/deliveries/nope/replay", null, null);

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).path("message").asText()).isEqualTo("no delivery 'nope'");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(getReplay.statusCode()).isEqualTo(405);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(noToken.statusCode()).isEqualTo(401);
  }

  private String statusOf(String requestId) throws Exception {
    return json(send("GET", "/admin/deliveries/" + requestId, AUTH, null)).path("status").asText();
  }

  private HttpResponse<String> send(String method, String path, @Nullable String auth, @Nullable String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }
}
