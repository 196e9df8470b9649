package dev.hooks.server;

import dev.hooks.servlet.RawHttp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.HooksException;
import dev.hooks.dispatch.Dispatcher;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.journal.JournalCounts;
import dev.hooks.journal.JournalEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample server end to end: real Jetty on a loopback port, the real GitHub verifier and
 * parser, the H2 file journal; every row of DESIGN's "Answers over HTTP" table by a real request.
 */
class HooksServerTest {
  private static final String SECRET = "push-test-secret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG = """
      endpoints:
        - id: github
          provider: github
          verifier:
            scheme: github
            secrets: ["${TEST_GITHUB_SECRET}"]
          max-body-size: 64KB
        - id: office
          provider: github
          verifier:
            secrets: ["${TEST_GITHUB_SECRET}"]
          allowed-cidrs: [203.0.113.0/24]
        - id: docs
          provider: github
          verifier:
            secrets: ["It's a Secret to Everybody"]
      journal:
        durability: os
      dispatch:
        lease: 5s
        poll-interval: 200ms
        %s
      routes:
        - name: everything
          handlers: [record]
      """;

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final BlockingQueue<String> handled = new LinkedBlockingQueue<>();
  private HooksServer server;

  @BeforeEach
  void start() throws Exception {
    server = start("", e -> handled.add(e.id()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HooksServer start(String dispatchExtra, EventHandler record) throws Exception {
    return start(dispatchExtra, record, dir.resolve("data-" + System.nanoTime()));
  }

  private HooksServer start(String dispatchExtra, EventHandler record, Path data) throws Exception {
    Path config = dir.resolve("hooks-" + System.nanoTime() + ".yaml");
    Files.writeString(config, CONFIG.formatted(dispatchExtra));
    return HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, data),
        Map.of("TEST_GITHUB_SECRET", SECRET), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        Map.of("record", record));
  }

  @Test
  void aPortInUseFailsTheStartWithTheFixAndReleasesTheDataDirectory() throws Exception {
    Path data = dir.resolve("second");
    Path config = dir.resolve("hooks-taken.yaml");
    Files.writeString(config, CONFIG.formatted(""));
    ServerOptions taken = new ServerOptions(config, "127.0.0.1", server.port(), data);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> HooksServer.start(taken, Map.of("TEST_GITHUB_SECRET", SECRET), quiet, Map.of("record", e -> {})))
        .isInstanceOf(HooksException.class)
        .hasMessageContaining("cannot listen on 127.0.0.1:" + server.port())
        .hasMessageContaining("--port");

    try (HooksServer again = start("", e -> handled.add(e.id()), data)) {
      assertThat(again.port()).isPositive().isNotEqualTo(server.port());
    }
  }

  @Test
  void gitHubPushSignedAsGitHubDocumentsIsAcceptedJournaledAndDispatchedOnce() throws Exception {
    byte[] push = GitHubDeliveries.pushPayload();

    HttpResponse<String> r = send(GitHubDeliveries.push(uri("/hooks/github"), SECRET, "72d3162e-cc78-11e3-81ab-4c9367dc0958", push));

    assertThat(r.statusCode()).isEqualTo(202);
    String requestId = JSON.readTree(r.body()).path("request_id").asText();
    JournalEntry entry = server.hooks().journal().find(requestId).orElseThrow();
    assertThat(entry.deliveryId()).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
    assertThat(entry.delivery().body()).isEqualTo(push);
    assertThat(entry.delivery().headers().first("x-hub-signature-256")).hasValue("****");
    assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.hooks().journal().counts().done() == 1);
    assertThat(handled).isEmpty();
  }

  @Test
  void redeliveryWithTheSameDeliveryIdAnswers200AndIsNotDispatchedAgain() throws Exception {
    byte[] push = GitHubDeliveries.pushPayload();

    HttpResponse<String> first = send(GitHubDeliveries.push(uri("/hooks/github"), SECRET, "delivery-1", push));
    assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo("delivery-1");
    HttpResponse<String> again = send(GitHubDeliveries.push(uri("/hooks/github"), SECRET, "delivery-1", push));
    // Same repository, so the same ordering lane: once delivery-2 is handled, nothing is queued before it.
    HttpResponse<String> next = send(GitHubDeliveries.push(uri("/hooks/github"), SECRET, "delivery-2", push));

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).path("request_id").asText()).isEqualTo(JSON.readTree(first.body()).path("request_id").asText());
    assertThat(next.statusCode()).isEqualTo(202);
    assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo("delivery-2");
    assertThat(handled).isEmpty();
    assertThat(total(server.hooks().journal().counts())).isEqualTo(2);
  }

  @Test
  void gitHubsDocumentedSignatureVectorPassesVerification() throws Exception {
    byte[] hello = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder docs = HttpRequest.newBuilder(uri("/hooks/docs"))
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", "vector")
        .POST(HttpRequest.BodyPublishers.ofByteArray(hello));

    HttpResponse<String> right = send(docs.copy()
        .header("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
    HttpResponse<String> wrong = send(docs.copy()
        .header("X-Hub-Signature-256", "sha256=857107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));

    // Authentic but not a push payload: past verification, refused by the parser.
    assertThat(right.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(right.body()).path("error").asText()).isEqualTo("unparseable");
    assertThat(wrong.statusCode()).isEqualTo(401);
  }

  @Test
  void unknownEndpointAnswers404() throws Exception {
    HttpResponse<String> r = send(GitHubDeliveries.push(uri("/hooks/gitlab"), SECRET, "d", GitHubDeliveries.pushPayload()));

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unknown_endpoint");
  }

  @Test
  void getAndPutAnswer405() throws Exception {
    HttpResponse<String> get = send(HttpRequest.newBuilder(uri("/hooks/github")).GET());
    HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/hooks/github"))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}")));

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("allow")).hasValue("POST");
  }

  @Test
  void bodiesOverTheLimitAnswer413DeclaredOrChunked() throws Exception {
    byte[] big = ("{\"pad\":\"" + "x".repeat(100 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    RawHttp.Answer declared = RawHttp.exchange(server.port(),
        "POST /hooks/github HTTP/1.1\nHost: x\nContent-Type: application/json\nX-GitHub-Event: push\nContent-Length: 104857600\n\n",
        new byte[0], s -> {});
    HttpResponse<String> chunked = send(HttpRequest.newBuilder(uri("/hooks/github"))
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", "push")
        .header("X-Hub-Signature-256", GitHubDeliveries.signature(SECRET, big))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));

    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.text()).contains("\"error\":\"body_too_large\"");
    assertThat(chunked.statusCode()).isEqualTo(413);
  }

  @Test
  void missingGarbledOrWrongSignatureAnswers401() throws Exception {
    byte[] push = GitHubDeliveries.pushPayload();
    HttpRequest.Builder unsigned = HttpRequest.newBuilder(uri("/hooks/github"))
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", "push")
        .POST(HttpRequest.BodyPublishers.ofByteArray(push));

    List<HttpResponse<String>> answers = List.of(
        send(unsigned.copy()),
        send(unsigned.copy().header("X-Hub-Signature-256", "sha256=not-hex-at-all")),
        send(unsigned.copy().header("X-Hub-Signature-256", "md5=0123")),
        send(unsigned.copy().header("X-Hub-Signature-256", GitHubDeliveries.signature("another secret", push))));

    for (HttpResponse<String> r : answers) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unauthorized");
      assertThat(r.body()).doesNotContain(SECRET);
    }
  }

  @Test
  void clientOutsideTheAllowedRangesAnswers403() throws Exception {
    HttpResponse<String> r = send(GitHubDeliveries.push(uri("/hooks/office"), SECRET, "d", GitHubDeliveries.pushPayload()));

    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void malformedJsonAndTruncatedBodiesAnswer400() throws Exception {
    byte[] malformed = "{\"ref\": \"refs/heads/main\", ".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> bad = send(GitHubDeliveries.push(uri("/hooks/github"), SECRET, "m", malformed));
    RawHttp.Answer truncated = RawHttp.exchange(server.port(),
        "POST /hooks/github HTTP/1.1\nHost: x\nContent-Type: application/json\nX-GitHub-Event: push\nContent-Length: 8827\n\n",
        "{\"ref\":".getBytes(StandardCharsets.UTF_8), RawHttp::halfClose);

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("error").asText()).isEqualTo("unparseable");
    assertThat(truncated.status()).isEqualTo(400);
    assertThat(truncated.text()).contains("\"error\":\"bad_body\"");
  }

  @Test
  void wrongContentTypeAnswers415() throws Exception {
    byte[] push = GitHubDeliveries.pushPayload();
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/hooks/github"))
        .header("Content-Type", "text/xml")
        .header("X-GitHub-Event", "push")
        .header("X-Hub-Signature-256", GitHubDeliveries.signature(SECRET, push))
        .POST(HttpRequest.BodyPublishers.ofByteArray(push)));

    assertThat(r.statusCode()).isEqualTo(415);
  }

  @Test
  void fullDispatcherAnswers429WithRetryAfter() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HooksServer busy = start("capacity: 1", e -> {
      entered.countDown();
      release.await();
    });
    try {
      byte[] push = GitHubDeliveries.pushPayload();
      HttpResponse<String> first = send(GitHubDeliveries.push(URI.create("http://127.0.0.1:" + busy.port() + "/hooks/github"), SECRET, "b-1", push));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      HttpResponse<String> second = send(GitHubDeliveries.push(URI.create("http://127.0.0.1:" + busy.port() + "/hooks/github"), SECRET, "b-2", push));

      assertThat(first.statusCode()).isEqualTo(202);
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.headers().firstValue("retry-after")).hasValue("1");
    } finally {
      release.countDown();
      busy.close();
    }
  }

  @Test
  void unavailableJournalAnswers503AndHealthSaysDown() throws Exception {
    assertThat(send(HttpRequest.newBuilder(uri("/health")).GET()).statusCode()).isEqualTo(200);
    server.hooks().journal().close();

    HttpResponse<String> r = send(GitHubDeliveries.push(uri("/hooks/github"), SECRET, "j", GitHubDeliveries.pushPayload()));
    HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/health")).GET());

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("journal_unavailable");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(health.body()).path("journal").asText()).isEqualTo("unreachable");
    assertThat(handled).isEmpty();
  }

  @Test
  void closeLetsAHandlerInProgressFinishBeforeTheJournalCloses() throws Exception {
    Path data = dir.resolve("graceful");
    AtomicReference<HooksServer> self = new AtomicReference<>();
    CountDownLatch entered = new CountDownLatch(1);
    HooksServer graceful = start("", e -> {
      entered.countDown();
      // Returns only once shutdown has begun: the dispatcher stops taking events when closing.
      Dispatcher d = self.get().hooks().dispatcher();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        if (d.tryReserve()) {
          d.release();
          return false;
        }
        return true;
      });
    }, data);
    self.set(graceful);
    HttpResponse<String> r = send(GitHubDeliveries.push(URI.create("http://127.0.0.1:" + graceful.port() + "/hooks/github"), SECRET, "g-1",
        GitHubDeliveries.pushPayload()));
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    graceful.close();

    try (HooksServer reopened = start("", e -> handled.add(e.id()), data)) {
      JournalCounts counts = reopened.hooks().journal().counts();
      assertThat(counts.done()).isEqualTo(1);
      assertThat(counts.pending()).isZero();
    }
  }

  @Test
  void statusReportsCountersAsJson() throws Exception {
    send(GitHubDeliveries.push(uri("/hooks/github"), SECRET, "s-1", GitHubDeliveries.pushPayload()));
    send(HttpRequest.newBuilder(uri("/hooks/github")).GET());
    handled.poll(10, TimeUnit.SECONDS);

    JsonNode status = JSON.readTree(send(HttpRequest.newBuilder(uri("/status")).GET()).body());

    assertThat(status.path("accepted").asLong()).isEqualTo(1);
    assertThat(status.path("rejected").path("method_not_allowed").asLong()).isEqualTo(1);
    assertThat(status.path("journal").asText()).isEqualTo("os");
  }

  @Test
  void badInputIsAnswered4xxNever5xxAndNothingIsJournaled() throws Exception {
    byte[] push = GitHubDeliveries.pushPayload();
    List<Integer> statuses = new ArrayList<>();
    statuses.add(send(GitHubDeliveries.push(uri("/hooks/github"), SECRET, "x-1", "[1, 2,".getBytes(StandardCharsets.UTF_8))).statusCode());
    statuses.add(send(GitHubDeliveries.push(uri("/hooks/github"), SECRET, "x-2", "\"just a string\"".getBytes(StandardCharsets.UTF_8))).statusCode());
    statuses.add(send(GitHubDeliveries.push(uri("/hooks/nowhere"), SECRET, "x-3", push)).statusCode());
    statuses.add(send(HttpRequest.newBuilder(uri("/hooks/github")).header("Content-Type", "text/plain")
        .header("X-GitHub-Event", "push").header("X-Hub-Signature-256", GitHubDeliveries.signature(SECRET, push))
        .POST(HttpRequest.BodyPublishers.ofByteArray(push))).statusCode());
    statuses.add(send(HttpRequest.newBuilder(uri("/hooks/github")).header("Content-Type", "application/json")
        .header("X-GitHub-Event", "push").POST(HttpRequest.BodyPublishers.ofByteArray(push))).statusCode());
    statuses.add(send(HttpRequest.newBuilder(uri("/hooks/github")).header("Content-Type", "application/json")
        .header("X-GitHub-Event", "push").header("X-Hub-Signature-256", "sha256=")
        .POST(HttpRequest.BodyPublishers.ofByteArray(push))).statusCode());
    statuses.add(send(HttpRequest.newBuilder(uri("/hooks/github")).GET()).statusCode());
    statuses.add(send(HttpRequest.newBuilder(uri("/hooks/github")).PUT(HttpRequest.BodyPublishers.ofByteArray(push))).statusCode());
    statuses.add(RawHttp.exchange(server.port(),
        "POST /hooks/github HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 9999999\n\n", new byte[0], s -> {}).status());
    statuses.add(RawHttp.exchange(server.port(),
        "POST /hooks/github HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 100\n\n", "{}".getBytes(StandardCharsets.UTF_8),
        RawHttp::halfClose).status());
    statuses.add(RawHttp.exchange(server.port(),
        "POST /hooks/github HTTP/1.1\nHost: x\nContent-Type: application/json\nTransfer-Encoding: chunked\n\n",
        "5\r\n{\"a\":\r\nXYZ\r\n".getBytes(StandardCharsets.UTF_8), RawHttp::halfClose).status());

    assertThat(statuses).hasSize(11).allSatisfy(s -> assertThat(s).isBetween(400, 499));
    assertThat(total(server.hooks().journal().counts())).isZero();
    assertThat(handled).isEmpty();
  }

  private static long total(JournalCounts c) {
    return c.pending() + c.done() + c.dead();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return send(request.timeout(Duration.ofSeconds(30)).build());
  }
}
