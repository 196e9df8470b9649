package dev.hooks.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.Hooks;
import dev.hooks.ingress.Endpoint;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.journal.JournalCounts;
import dev.hooks.route.Route;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every row of DESIGN's "Answers over HTTP" table, each by a real request to a real Jetty. */
class HooksServletTest {
  private static final String SECRET = "It's a Secret to Everybody";
  private static final int LIMIT = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final BlockingQueue<String> handled = new LinkedBlockingQueue<>();
  private InMemoryEventJournal journal;
  private Hooks hooks;
  private JettyHarness jetty;

  @BeforeEach
  void start() throws Exception {
    journal = new InMemoryEventJournal();
    hooks = Hooks.builder()
        .endpoint(endpoint("test").build())
        .endpoint(endpoint("office").allowCidr("203.0.113.0/24").build())
        .journal(journal)
        .route(Route.builder("record").handler(e -> handled.add(e.id())).build())
        .build()
        .start();
    jetty = new JettyHarness(hooks, "/*");
  }

  @AfterEach
  void stop() throws Exception {
    jetty.close();
    hooks.close();
  }

  private static Endpoint.Builder endpoint(String id) {
    return Endpoint.builder(id)
        .provider("test")
        .verifier(TestEndpoints.hmacVerifier(SECRET))
        .parser(TestEndpoints.jsonParser())
        .maxBodyBytes(LIMIT);
  }

  @Test
  void signedDeliveryAnswers202WithRequestIdAndIsDispatched() throws Exception {
    HttpResponse<String> r = post("/hooks/test", "d-1", "{\"repo\":\"a/b\"}");

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("request_id").asText()).isNotEmpty();
    assertThat(body.has("error")).isFalse();
    assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo("d-1");
    assertThat(journal.find(body.path("request_id").asText())).isPresent();
  }

  @Test
  void redeliveryAnswers200WithTheFirstRequestIdAndDispatchesOnce() throws Exception {
    HttpResponse<String> first = post("/hooks/test", "d-1", "{\"repo\":\"a/b\"}");
    HttpResponse<String> again = post("/hooks/test", "d-1", "{\"repo\":\"a/b\"}");
    // Same ordering key: once d-2 is handled, anything queued before it has been too.
    HttpResponse<String> next = post("/hooks/test", "d-2", "{\"repo\":\"a/b\"}");

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).path("request_id").asText())
        .isEqualTo(JSON.readTree(first.body()).path("request_id").asText());
    assertThat(next.statusCode()).isEqualTo(202);
    assertThat(List.of(handled.poll(10, TimeUnit.SECONDS), handled.poll(10, TimeUnit.SECONDS))).containsExactly("d-1", "d-2");
    assertThat(handled).isEmpty();
  }

  @Test
  void unknownEndpointAnswers404() throws Exception {
    HttpResponse<String> r = post("/hooks/nope", "d-1", "{}");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unknown_endpoint");
  }

  @Test
  void getAndPutOnAWebhookEndpointAnswer405WithAllowPost() throws Exception {
    HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(jetty.url("/hooks/test"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> put = client.send(signed("/hooks/test", "d-1", "{}").PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());

    for (HttpResponse<String> r : List.of(get, put)) {
      assertThat(r.statusCode()).isEqualTo(405);
      assertThat(r.headers().firstValue("allow")).hasValue("POST");
      assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("method_not_allowed");
    }
  }

  @Test
  void declaredBodyOverTheLimitAnswers413BeforeAnyOfItIsSent() throws Exception {
    RawHttp.Answer a = RawHttp.exchange(jetty.port(),
        "POST /hooks/test HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 10000000\n\n", new byte[0], s -> {});

    assertThat(a.status()).isEqualTo(413);
    assertThat(a.text()).contains("\"error\":\"body_too_large\"");
  }

  @Test
  void chunkedBodyOverTheLimitAnswers413() throws Exception {
    byte[] big = ("{\"pad\":\"" + "x".repeat(LIMIT * 4) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(jetty.url("/hooks/test")))
        .header("Content-Type", "application/json")
        .header(TestEndpoints.SIGNATURE, TestEndpoints.sign(SECRET, big))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
        .build();

    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("body_too_large");
  }

  @Test
  void missingGarbledOrWrongSignatureAnswers401() throws Exception {
    String body = "{}";
    HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(jetty.url("/hooks/test")))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    HttpResponse<String> garbled = send(HttpRequest.newBuilder(URI.create(jetty.url("/hooks/test")))
        .header("Content-Type", "application/json").header(TestEndpoints.SIGNATURE, "sha256=zz-not-hex")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(jetty.url("/hooks/test")))
        .header("Content-Type", "application/json")
        .header(TestEndpoints.SIGNATURE, TestEndpoints.sign("another secret", body.getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(body)));

    for (HttpResponse<String> r : List.of(missing, garbled, wrong)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unauthorized");
      assertThat(r.body()).doesNotContain(SECRET);
    }
  }

  @Test
  void clientOutsideTheAllowedRangesAnswers403() throws Exception {
    HttpResponse<String> r = post("/hooks/office", "d-1", "{}");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("forbidden");
  }

  @Test
  void authenticButMalformedJsonAnswers400WithAReason() throws Exception {
    HttpResponse<String> r = post("/hooks/test", "d-1", "{\"repo\": ");

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("error").asText()).isEqualTo("unparseable");
    assertThat(body.path("message").asText()).isEqualTo("body is not JSON");
  }

  @Test
  void bodyShorterThanItsContentLengthAnswers400() throws Exception {
    byte[] part = "{\"repo\":".getBytes(StandardCharsets.UTF_8);
    RawHttp.Answer a = RawHttp.exchange(jetty.port(),
        "POST /hooks/test HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 100\n\n", part, RawHttp::halfClose);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.text()).contains("\"error\":\"bad_body\"");
    assertThat(a.text()).contains("\"error\":\"bad_body\"");
  }

  @Test
  void brokenChunkedEncodingAnswers400() throws Exception {
    byte[] broken = "8\r\n{\"repo\":\r\nzz\r\nnot a chunk\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    RawHttp.Answer a = RawHttp.exchange(jetty.port(),
        "POST /hooks/test HTTP/1.1\nHost: x\nContent-Type: application/json\nTransfer-Encoding: chunked\n\n", broken, s -> {});

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.text()).contains("\"error\":\"bad_body\"");
  }

  @Test
  void chunkedBodyCutOffByTheClientAnswers400() throws Exception {
    byte[] cut = "8\r\n{\"repo\":\r\n20\r\n\"a/b\"".getBytes(StandardCharsets.UTF_8);
    RawHttp.Answer a = RawHttp.exchange(jetty.port(),
        "POST /hooks/test HTTP/1.1\nHost: x\nContent-Type: application/json\nTransfer-Encoding: chunked\n\n", cut, RawHttp::halfClose);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.text()).contains("\"error\":\"bad_body\"");
  }

  @Test
  void clientThatHangsUpMidBodyLeavesNothingJournaledAndTheServerServing() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", jetty.port())) {
      socket.getOutputStream().write(("POST /hooks/test HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"repo\":").getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      socket.setSoLinger(true, 0);
    }

    await().atMost(Duration.ofSeconds(10))
        .until(() -> JSON.readTree(get("/status").body()).path("rejected").path("bad_body").asLong() == 1);
    assertThat(total(journal.counts())).isZero();
    assertThat(post("/hooks/test", "d-1", "{}").statusCode()).isEqualTo(202);
  }

  @Test
  void wrongContentTypeAnswers415() throws Exception {
    String body = "repo=a/b";
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(jetty.url("/hooks/test")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(TestEndpoints.SIGNATURE, TestEndpoints.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(body)));

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unsupported_media_type");
  }

  @Test
  void fullDispatcherAnswers429WithRetryAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    InMemoryEventJournal small = new InMemoryEventJournal();
    Hooks busy = Hooks.builder()
        .endpoint(endpoint("test").build())
        .journal(small)
        .route(Route.builder("slow").handler(e -> {
          entered.countDown();
          release.await();
        }).build())
        .dispatcher(d -> d.capacity(1))
        .build()
        .start();
    try (JettyHarness busyJetty = new JettyHarness(busy, "/*")) {
      HttpResponse<String> first = post(busyJetty, "/hooks/test", "d-1", "{}");
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      HttpResponse<String> second = post(busyJetty, "/hooks/test", "d-2", "{}");

      assertThat(first.statusCode()).isEqualTo(202);
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.headers().firstValue("retry-after")).hasValue("1");
      assertThat(JSON.readTree(second.body()).path("error").asText()).isEqualTo("queue_full");
      assertThat(total(small.counts())).isEqualTo(1);
    } finally {
      release.countDown();
      busy.close();
    }
  }

  @Test
  void closedJournalAnswers503AndHealthSaysDown() throws Exception {
    journal.close();

    HttpResponse<String> r = post("/hooks/test", "d-1", "{}");
    HttpResponse<String> health = get("/health");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("journal_unavailable");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(health.body())).isEqualTo(JSON.readTree("{\"status\":\"down\",\"journal\":\"unreachable\"}"));
    assertThat(handled).isEmpty();
  }

  @Test
  void healthSaysUpWhileTheJournalIsReachable() throws Exception {
    HttpResponse<String> health = get("/health");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(JSON.readTree(health.body())).isEqualTo(JSON.readTree("{\"status\":\"up\",\"journal\":\"reachable\"}"));
  }

  @Test
  void statusCountsWhatIngressAnswered() throws Exception {
    post("/hooks/test", "d-1", "{\"repo\":\"a/b\"}");
    post("/hooks/test", "d-1", "{\"repo\":\"a/b\"}");
    post("/hooks/nope", "d-2", "{}");
    handled.poll(10, TimeUnit.SECONDS);

    HttpResponse<String> status = get("/status");

    assertThat(status.statusCode()).isEqualTo(200);
    JsonNode s = JSON.readTree(status.body());
    assertThat(s.path("received").asLong()).isEqualTo(3);
    assertThat(s.path("accepted").asLong()).isEqualTo(1);
    assertThat(s.path("duplicates").asLong()).isEqualTo(1);
    assertThat(s.path("rejected").path("unknown_endpoint").asLong()).isEqualTo(1);
    assertThat(s.has("pending")).isTrue();
    assertThat(s.path("dead_letters").asLong()).isZero();
  }

  @Test
  void healthAndStatusRefuseWritesWith405() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(jetty.url("/health"))).POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void unknownPathsAnswer404Json() throws Exception {
    for (String path : List.of("/", "/hooks", "/hooks/", "/hooks/test/extra", "/favicon.ico")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(JSON.readTree(r.body()).path("error").asText()).as(path).isIn("not_found", "unknown_endpoint");
    }
  }

  @Test
  void badInputIsAnswered4xxAndNothingIsJournaled() throws Exception {
    String ok = "{}";
    List<Integer> statuses = new ArrayList<>();
    statuses.add(post("/hooks/test", "b-1", "{not json").statusCode());
    statuses.add(post("/hooks/nope", "b-2", ok).statusCode());
    statuses.add(send(HttpRequest.newBuilder(URI.create(jetty.url("/hooks/test")))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ok))).statusCode());
    statuses.add(send(HttpRequest.newBuilder(URI.create(jetty.url("/hooks/test")))
        .header("Content-Type", "application/json").header(TestEndpoints.SIGNATURE, "md5 what")
        .POST(HttpRequest.BodyPublishers.ofString(ok))).statusCode());
    statuses.add(send(HttpRequest.newBuilder(URI.create(jetty.url("/hooks/test")))
        .header("Content-Type", "text/plain").header(TestEndpoints.SIGNATURE, TestEndpoints.sign(SECRET, ok.getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(ok))).statusCode());
    statuses.add(get("/hooks/test").statusCode());
    statuses.add(send(signed("/hooks/test", "b-3", ok).PUT(HttpRequest.BodyPublishers.ofString(ok))).statusCode());
    statuses.add(RawHttp.exchange(jetty.port(),
        "POST /hooks/test HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 5000\n\n", new byte[0], s -> {}).status());
    statuses.add(RawHttp.exchange(jetty.port(),
        "POST /hooks/test HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 50\n\n{}", new byte[0], RawHttp::halfClose).status());
    statuses.add(RawHttp.exchange(jetty.port(),
        "POST /hooks/test HTTP/1.1\nHost: x\nContent-Type: application/json\nTransfer-Encoding: chunked\n\n", "2\r\n{}\r\nQ\r\n".getBytes(StandardCharsets.UTF_8), RawHttp::halfClose).status());

    assertThat(statuses).allSatisfy(s -> assertThat(s).isBetween(400, 499));
    assertThat(total(journal.counts())).isZero();
    assertThat(JSON.readTree(get("/status").body()).path("accepted").asLong()).isZero();
  }

  @Test
  void anAnswerThatLeavesTheBodyUnreadClosesTheConnectionAndSaysSo() throws Exception {
    RawHttp.Answer unread = RawHttp.exchange(jetty.port(),
        "PUT /hooks/test HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 2\n\n", "{}".getBytes(StandardCharsets.UTF_8), s -> {});
    RawHttp.Answer read = RawHttp.exchange(jetty.port(),
        "POST /hooks/test HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 2\n" + TestEndpoints.SIGNATURE + ": sha256=00\n\n",
        "{}".getBytes(StandardCharsets.UTF_8), s -> {});

    assertThat(unread.status()).isEqualTo(405);
    assertThat(unread.text().toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
    assertThat(read.status()).isEqualTo(401);
    assertThat(read.text().toLowerCase(java.util.Locale.ROOT)).doesNotContain("connection: close");
  }

  @Test
  void servletMountedUnderAPrefixServesThePathAfterIt() throws Exception {
    try (JettyHarness prefixed = new JettyHarness(hooks, "/webhooks/*")) {
      HttpResponse<String> r = post(prefixed, "/webhooks/hooks/test", "p-1", "{}");
      HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(prefixed.url("/webhooks/health"))).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  private static long total(JournalCounts c) {
    return c.pending() + c.done() + c.dead();
  }

  private HttpRequest.Builder signed(String path, String deliveryId, String body) {
    return HttpRequest.newBuilder(URI.create(jetty.url(path)))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .header(TestEndpoints.DELIVERY, deliveryId)
        .header(TestEndpoints.SIGNATURE, TestEndpoints.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> post(String path, String deliveryId, String body) throws Exception {
    return send(signed(path, deliveryId, body).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> post(JettyHarness target, String path, String deliveryId, String body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(target.url(path)))
        .header("Content-Type", "application/json")
        .header(TestEndpoints.DELIVERY, deliveryId)
        .header(TestEndpoints.SIGNATURE, TestEndpoints.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(jetty.url(path))).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
