package dev.hooks.ingress;

import static dev.hooks.testing.TestDeliveries.jsonParser;
import static dev.hooks.testing.TestDeliveries.post;
import static dev.hooks.testing.TestDeliveries.tokenVerifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hooks.Hooks;
import dev.hooks.event.WebhookEvent;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.journal.JournalEntry;
import dev.hooks.route.Route;
import dev.hooks.journal.JournalBusyException;
import dev.hooks.journal.JournalUnavailableException;
import dev.hooks.testing.FlakyJournal;
import dev.hooks.testing.MutableClock;
import dev.hooks.testing.TestDeliveries.Request;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngressTest {
  private final List<WebhookEvent> handled = new CopyOnWriteArrayList<>();
  private final InMemoryEventJournal journal = new InMemoryEventJournal();
  private Hooks hooks = hooks(10);

  private Hooks hooks(int capacity) {
    return Hooks.builder()
        .endpoint(Endpoint.builder("test").provider("test").verifier(tokenVerifier("s3cret")).parser(jsonParser())
            .maxBodyBytes(64).build())
        .endpoint(Endpoint.builder("office").provider("test").verifier(tokenVerifier("s3cret")).parser(jsonParser())
            .allowCidr("10.1.0.0/16", "::1").build())
        .endpoint(Endpoint.builder("off").provider("test").verifier(tokenVerifier("s3cret")).parser(jsonParser())
            .enabled(false).build())
        .journal(journal)
        .route(Route.builder("all").handler(handled::add).build())
        .dispatcher(d -> d.capacity(capacity))
        .build()
        .start();
  }

  @AfterEach
  void close() {
    hooks.close();
  }

  private static Request signed(String body) {
    return post("test", body).header("X-Token", "s3cret");
  }

  private IngressResult accept(Request r) {
    return hooks.ingress().accept(r);
  }

  private static String body(IngressResult r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void acceptedDeliveryIsJournaledAnswered202AndDispatchedOnce() {
    IngressResult r = accept(signed("{\"id\":\"d-1\",\"type\":\"push\"}"));

    assertThat(r.status()).isEqualTo(202);
    assertThat(body(r)).isEqualTo("{\"request_id\":\"" + r.requestId() + "\"}");
    assertThat(journal.find(r.requestId())).get().extracting(JournalEntry::deliveryId).isEqualTo("d-1");
    await().atMost(5, TimeUnit.SECONDS).until(() -> journal.find(r.requestId()).get().status() == JournalEntry.Status.DONE);
    assertThat(handled).extracting(WebhookEvent::id).containsExactly("d-1");
  }

  @Test
  void listenersSeeEveryAnswerWithTheEventTypeUntilRemoved() throws Exception {
    List<IngressObservation> seen = new CopyOnWriteArrayList<>();
    AutoCloseable registration = hooks.ingress().addListener(seen::add);
    hooks.ingress().addListener(o -> {
      throw new IllegalStateException("a broken listener changes nothing");
    });

    IngressResult ok = accept(signed("{\"id\":\"d-l\",\"type\":\"push\"}"));
    IngressResult again = accept(signed("{\"id\":\"d-l\",\"type\":\"push\"}"));
    IngressResult unsigned = accept(post("test", "{\"id\":\"d-x\"}"));
    registration.close();
    accept(signed("{\"id\":\"d-after\"}"));

    assertThat(ok.status()).isEqualTo(202);
    assertThat(seen).extracting(IngressObservation::status).containsExactly(202, 200, 401);
    assertThat(seen).extracting(IngressObservation::requestId).containsExactly(ok.requestId(), ok.requestId(), unsigned.requestId());
    assertThat(seen).extracting(IngressObservation::eventType).containsExactly("push", "push", null);
    assertThat(seen).extracting(IngressObservation::error).containsExactly(null, null, "unauthorized");
    assertThat(seen).allSatisfy(o -> {
      assertThat(o.endpointId()).isEqualTo("test");
      assertThat(o.nanos()).isPositive();
    });
    assertThat(again.eventType()).contains("push");
  }

  @Test
  void redeliveryAnswers200WithTheFirstIdAndDispatchesOnce() {
    IngressResult first = accept(signed("{\"id\":\"d-2\"}"));
    await().atMost(5, TimeUnit.SECONDS).until(() -> handled.size() == 1);

    IngressResult again = accept(signed("{\"id\":\"d-2\"}"));

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.requestId()).isEqualTo(first.requestId());
    assertThat(journal.counts().done() + journal.counts().pending()).isEqualTo(1);
    assertThat(hooks.status()).containsEntry("duplicates", 1L);
    assertThat(handled).hasSize(1);
  }

  @Test
  void sameBytesWithoutADeliveryIdAreADuplicateByContentHash() {
    IngressResult first = accept(signed("{\"type\":\"ping\"}"));
    IngressResult again = accept(signed("{\"type\":\"ping\"}"));

    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.requestId()).isEqualTo(first.requestId());
  }

  @Test
  void unknownAndDisabledEndpointsAnswer404() {
    assertThat(accept(post("nope", "{}").header("X-Token", "s3cret")).status()).isEqualTo(404);
    IngressResult off = accept(post("off", "{}").header("X-Token", "s3cret"));
    assertThat(off.status()).isEqualTo(404);
    assertThat(body(off)).startsWith("{\"error\":\"unknown_endpoint\"");
  }

  @Test
  void otherMethodsAnswer405WithAllowPost() {
    IngressResult r = accept(signed("{}").method("PUT"));
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.allow()).contains("POST");
  }

  @Test
  void clientOutsideTheAllowedRangesAnswers403() throws IOException {
    Request outside = post("office", "{\"id\":\"c\"}").header("X-Token", "s3cret").from("10.2.0.1");
    Request inside = post("office", "{\"id\":\"c\"}").header("X-Token", "s3cret").from("10.1.200.7");
    Request unknown = post("office", "{\"id\":\"c\"}").header("X-Token", "s3cret");

    assertThat(accept(outside).status()).isEqualTo(403);
    assertThat(accept(unknown).status()).isEqualTo(403);
    assertThat(accept(inside).status()).isEqualTo(202);
  }

  @Test
  void declaredLengthOverTheLimitAnswers413BeforeReading() {
    IngressResult r = accept(signed("{}").contentLength(65));
    assertThat(r.status()).isEqualTo(413);
    assertThat(body(r)).contains("\"error\":\"body_too_large\"").contains("64 bytes");
  }

  @Test
  void chunkedBodyOverTheLimitAnswers413AndOneAtTheLimitIsRead() {
    String atLimit = "{\"id\":\"" + "x".repeat(64 - 9) + "\"}";
    assertThat(atLimit).hasSize(64);
    assertThat(accept(signed(atLimit + " ").contentLength(-1)).status()).isEqualTo(413);
    assertThat(accept(signed(atLimit).contentLength(-1)).status()).isEqualTo(202);
  }

  @Test
  void bodyShorterThanDeclaredAnswers400() {
    IngressResult r = accept(signed("{\"id\":1}").contentLength(20));
    assertThat(r.status()).isEqualTo(400);
    assertThat(body(r)).contains("\"error\":\"bad_body\"").contains("8 of 20");
  }

  @Test
  void bodyStreamFailureAnswers400() {
    IngressResult r = accept(signed("{\"id\":1}").contentLength(-1).failing(new IOException("connection reset")));
    assertThat(r.status()).isEqualTo(400);
    assertThat(body(r)).contains("\"error\":\"bad_body\"");
  }

  @Test
  void unsupportedContentTypeAnswers415AndAMissingOneIsRead() {
    assertThat(accept(signed("{\"id\":\"t\"}").contentType("text/xml")).status()).isEqualTo(415);
    assertThat(accept(signed("{\"id\":\"t\"}").contentType("application/json; charset=UTF-8")).status()).isEqualTo(202);
    assertThat(accept(signed("{\"id\":\"u\"}").contentType(null)).status()).isEqualTo(202);
  }

  @Test
  void missingOrWrongTokenAnswers401WithoutSayingWhich() {
    IngressResult missing = accept(post("test", "{}"));
    IngressResult wrong = accept(post("test", "{}").header("X-Token", "guess"));

    assertThat(missing.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(body(wrong)).isEqualTo("{\"error\":\"unauthorized\",\"request_id\":\"" + wrong.requestId() + "\"}");
    assertThat(body(wrong)).doesNotContain("guess").doesNotContain("s3cret");
  }

  @Test
  void authenticButUnparseableAnswers400WithTheReason() {
    IngressResult r = accept(signed("{not json"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(body(r)).contains("\"error\":\"unparseable\"").contains("\"message\":\"body is not JSON\"");
  }

  @Test
  void rejectedDeliveriesAreNotJournaled() throws IOException {
    accept(post("test", "{}"));
    accept(signed("{x"));
    accept(signed("{}").contentLength(65));
    accept(signed("{}").contentType("text/plain"));
    accept(post("office", "{}").header("X-Token", "s3cret").from("192.0.2.1"));

    assertThat(journal.counts().pending() + journal.counts().done() + journal.counts().dead()).isZero();
    assertThat(hooks.status()).extractingByKey("rejected").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("unauthorized", 1L).containsEntry("unparseable", 1L).containsEntry("body_too_large", 1L)
        .containsEntry("unsupported_media_type", 1L).containsEntry("forbidden", 1L);
  }

  @Test
  void fullQueueAnswers429WithRetryAfterAndAcceptsAgainOnceDrained() throws Exception {
    hooks.close();
    CountDownLatch release = new CountDownLatch(1);
    InMemoryEventJournal journal = new InMemoryEventJournal();
    hooks = Hooks.builder()
        .endpoint(Endpoint.builder("test").provider("test").verifier(tokenVerifier("s3cret")).parser(jsonParser()).build())
        .journal(journal)
        .route(Route.builder("slow").handler(e -> release.await()).build())
        .dispatcher(d -> d.capacity(1))
        .build()
        .start();

    assertThat(accept(signed("{\"id\":\"q1\"}")).status()).isEqualTo(202);
    IngressResult full = accept(signed("{\"id\":\"q2\"}"));
    assertThat(full.status()).isEqualTo(429);
    assertThat(full.retryAfterSeconds()).isPositive();
    assertThat(journal.counts().pending()).isEqualTo(1);

    release.countDown();
    await().atMost(5, TimeUnit.SECONDS).until(() -> accept(signed("{\"id\":\"q2\"}")).status() == 202);
  }

  @Test
  void unsignedDeliveryIsAnswered401NotQueueFullWhileCapacityIsTaken() throws Exception {
    hooks.close();
    CountDownLatch release = new CountDownLatch(1);
    hooks = Hooks.builder()
        .endpoint(Endpoint.builder("test").provider("test").verifier(tokenVerifier("s3cret")).parser(jsonParser()).build())
        .journal(new InMemoryEventJournal())
        .route(Route.builder("slow").handler(e -> release.await()).build())
        .dispatcher(d -> d.capacity(1))
        .build()
        .start();
    try {
      assertThat(accept(signed("{\"id\":\"c1\"}")).status()).isEqualTo(202);

      IngressResult unsigned = accept(post("test", "{\"id\":\"c2\"}").header("X-Token", "wrong"));
      IngressResult unparseable = accept(signed("not json"));

      assertThat(unsigned.status()).isEqualTo(401);
      assertThat(unparseable.status()).isEqualTo(400);
      assertThat(unparseable.error()).contains(IngressResult.Error.UNPARSEABLE);
    } finally {
      release.countDown();
    }
  }

  @Test
  void bodyBeingReadHoldsNoCapacity() throws Exception {
    hooks.close();
    hooks = Hooks.builder()
        .endpoint(Endpoint.builder("test").provider("test").verifier(tokenVerifier("s3cret")).parser(jsonParser()).build())
        .journal(new InMemoryEventJournal())
        .route(Route.builder("all").handler(handled::add).build())
        .dispatcher(d -> d.capacity(1))
        .build()
        .start();
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Request inner = signed("{\"id\":\"slow\"}");
    InboundRequest slow = new InboundRequest() {
      @Override public String endpointId() { return inner.endpointId(); }
      @Override public String method() { return inner.method(); }
      @Override public String url() { return inner.url(); }
      @Override public dev.hooks.event.Headers headers() { return inner.headers(); }
      @Override public long contentLength() { return inner.contentLength(); }
      @Override public java.net.@org.jspecify.annotations.Nullable InetAddress remoteAddress() { return inner.remoteAddress(); }
      @Override public java.io.InputStream body() {
        java.io.InputStream in = inner.body();
        return new java.io.InputStream() {
          @Override
          public int read() throws IOException {
            reading.countDown();
            try {
              finish.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException(e);
            }
            return in.read();
          }
        };
      }
    };
    Thread client = new Thread(() -> hooks.ingress().accept(slow));
    client.start();
    try {
      assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(accept(signed("{\"id\":\"fast\"}")).status()).isEqualTo(202);
      assertThat(hooks.dispatcher().inFlight()).isLessThanOrEqualTo(1);
    } finally {
      finish.countDown();
      client.join(5000);
    }
  }

  @Test
  void unavailableJournalAnswers503AndNever202() {
    journal.close();
    IngressResult r = accept(signed("{\"id\":\"j\"}"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(hooks.isHealthy()).isFalse();
  }

  @Test
  void busyJournalAnswers429AndAFailingOne503() {
    hooks.close();
    FlakyJournal flaky = new FlakyJournal();
    hooks = Hooks.builder()
        .endpoint(Endpoint.builder("test").provider("test").verifier(tokenVerifier("s3cret")).parser(jsonParser()).build())
        .journal(flaky)
        .route(Route.builder("all").handler(handled::add).build())
        .build()
        .start();

    flaky.failAppends(() -> new JournalBusyException("write queue full"));
    IngressResult busy = accept(signed("{\"id\":\"b1\"}"));
    flaky.failAppends(() -> new JournalUnavailableException("disk full"));
    IngressResult down = accept(signed("{\"id\":\"b1\"}"));
    flaky.failAppends(null);
    IngressResult ok = accept(signed("{\"id\":\"b1\"}"));

    assertThat(busy.status()).isEqualTo(429);
    assertThat(busy.retryAfterSeconds()).isPositive();
    assertThat(down.status()).isEqualTo(503);
    assertThat(body(down)).doesNotContain("disk full");
    assertThat(ok.status()).isEqualTo(202);
    assertThat(hooks.dispatcher().inFlight()).isLessThanOrEqualTo(1);
  }

  @Test
  void acceptedEntryIsLeasedForTheDispatchersLease() {
    hooks.close();
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    InMemoryEventJournal journal = new InMemoryEventJournal();
    // Holds the handler, so that the entry is read as ingress stored it and not once it is done.
    CountDownLatch release = new CountDownLatch(1);
    hooks = Hooks.builder()
        .endpoint(Endpoint.builder("test").provider("test").verifier(tokenVerifier("s3cret")).parser(jsonParser()).build())
        .journal(journal)
        .clock(clock)
        .route(Route.builder("all").handler(e -> release.await()).build())
        .dispatcher(d -> d.lease(Duration.ofMinutes(7)))
        .build();
    try {
      IngressResult r = accept(signed("{\"id\":\"l1\"}"));

      JournalEntry e = journal.find(r.requestId()).orElseThrow();
      assertThat(e.status()).isEqualTo(JournalEntry.Status.PENDING);
      assertThat(e.leaseUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(7)));
      assertThat(e.owner()).isEqualTo(hooks.dispatcher().owner());
    } finally {
      release.countDown();
    }
  }

  @Test
  void secretHeadersAreRedactedInTheJournal() {
    IngressResult r = accept(signed("{\"id\":\"h\"}").header("X-Hub-Signature-256", "sha256=abc").header("X-GitHub-Event", "push"));
    JournalEntry e = journal.find(r.requestId()).orElseThrow();
    assertThat(e.delivery().headers().first("x-token")).contains("****");
    assertThat(e.delivery().headers().first("x-hub-signature-256")).contains("****");
    assertThat(e.delivery().headers().first("x-github-event")).contains("push");
  }
}
