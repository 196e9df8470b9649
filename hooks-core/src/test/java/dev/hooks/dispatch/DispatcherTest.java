package dev.hooks.dispatch;

import static dev.hooks.testing.TestDeliveries.jsonParser;
import static dev.hooks.testing.TestDeliveries.post;
import static dev.hooks.testing.TestDeliveries.tokenVerifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hooks.Hooks;
import dev.hooks.event.WebhookEvent;
import dev.hooks.ingress.Endpoint;
import dev.hooks.ingress.IngressResult;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.journal.JournalEntry;
import dev.hooks.journal.JournalEntry.Status;
import dev.hooks.route.Route;
import dev.hooks.testing.MutableClock;
import dev.hooks.testing.TestDeliveries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherTest {
  private final InMemoryEventJournal journal = new InMemoryEventJournal();
  private Hooks hooks;

  private Hooks start(Consumer<Hooks.Builder> setup) {
    Hooks.Builder b = Hooks.builder()
        .endpoint(Endpoint.builder("test").provider("test").verifier(tokenVerifier("t")).parser(jsonParser()).build())
        .journal(journal)
        .dispatcher(d -> d.backoff(Duration.ofMillis(5), Duration.ofMillis(40)).maxAttempts(4).pollInterval(Duration.ofMillis(20)));
    setup.accept(b);
    hooks = b.build().start();
    return hooks;
  }

  @AfterEach
  void close() {
    if (hooks != null) {
      hooks.close();
    }
  }

  private String send(String body) {
    IngressResult r = hooks.ingress().accept(post("test", body).header("X-Token", "t"));
    assertThat(r.status()).isEqualTo(202);
    return r.requestId();
  }

  private JournalEntry awaitStatus(String requestId, Status status) {
    await().atMost(5, TimeUnit.SECONDS).until(() -> journal.find(requestId).orElseThrow().status() == status);
    return journal.find(requestId).orElseThrow();
  }

  @Test
  void failingHandlerIsRetriedWithBackoffUntilItSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    start(b -> b.route(Route.builder("flaky").handler(e -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("target down");
      }
    }).build()));

    JournalEntry done = awaitStatus(send("{\"id\":\"r1\"}"), Status.DONE);

    assertThat(calls).hasValue(3);
    assertThat(done.attempts()).isEqualTo(3);
    assertThat(hooks.dispatcher().retriedCount()).isEqualTo(2);
  }

  @Test
  void handlerThatAlreadySucceededIsNotCalledAgainWhenAnotherIsRetried() {
    AtomicInteger notified = new AtomicInteger();
    AtomicInteger flaky = new AtomicInteger();
    start(b -> b.route(Route.builder("two")
        .handler(e -> notified.incrementAndGet(), e -> {
          if (flaky.incrementAndGet() == 1) {
            throw new IllegalStateException("once");
          }
        }).build()));

    awaitStatus(send("{\"id\":\"r2\"}"), Status.DONE);

    assertThat(notified).hasValue(1);
    assertThat(flaky).hasValue(2);
  }

  @Test
  void permanentFailureGoesStraightToTheDeadLettersWithTheReason() {
    AtomicInteger calls = new AtomicInteger();
    EventHandler rejecting = new EventHandler() {
      @Override
      public void handle(WebhookEvent event) {
        calls.incrementAndGet();
        throw new PermanentFailureException("target answered 404");
      }

      @Override
      public String name() {
        return "discord";
      }
    };
    start(b -> b.route(Route.builder("gone").handler(rejecting).build()));

    JournalEntry dead = awaitStatus(send("{\"id\":\"r3\"}"), Status.DEAD);

    assertThat(calls).hasValue(1);
    assertThat(dead.lastError()).isEqualTo("discord: target answered 404");
    assertThat(journal.deadLetters(10)).extracting(JournalEntry::requestId).containsExactly(dead.requestId());
  }

  @Test
  void exhaustedAttemptsGoToTheDeadLettersWithTheLastError() {
    AtomicInteger calls = new AtomicInteger();
    start(b -> b.route(Route.builder("down").handler(e -> {
      throw new IllegalStateException("connection refused " + calls.incrementAndGet());
    }).build()));

    JournalEntry dead = awaitStatus(send("{\"id\":\"r4\"}"), Status.DEAD);

    assertThat(calls).hasValue(4);
    assertThat(dead.lastError()).contains("IllegalStateException: connection refused 4");
  }

  @Test
  void eventsWithTheSameKeyRunInOrderOneAtATime() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunningOnRepoA = new AtomicInteger();
    start(b -> b.route(Route.builder("ordered").handler(e -> {
      if (e.repository().orElse("").equals("a")) {
        maxRunningOnRepoA.accumulateAndGet(running.incrementAndGet(), Math::max);
      }
      if (e.id().equals("a1")) {
        firstStarted.countDown();
        releaseFirst.await();
      }
      order.add(e.id());
      if (e.repository().orElse("").equals("a")) {
        running.decrementAndGet();
      }
    }).build()));

    send("{\"id\":\"a1\",\"repo\":\"a\"}");
    firstStarted.await(5, TimeUnit.SECONDS);
    send("{\"id\":\"a2\",\"repo\":\"a\"}");
    send("{\"id\":\"a3\",\"repo\":\"a\"}");
    send("{\"id\":\"b1\",\"repo\":\"b\"}");
    await().atMost(5, TimeUnit.SECONDS).until(() -> order.contains("b1"));
    assertThat(order).containsExactly("b1");

    releaseFirst.countDown();
    await().atMost(5, TimeUnit.SECONDS).until(() -> order.size() == 4);
    assertThat(order).containsExactly("b1", "a1", "a2", "a3");
    assertThat(maxRunningOnRepoA).hasValue(1);
  }

  @Test
  void eventsOfOneKeySentFromManyThreadsAtOnceEachRunOnceAndNeverTwoAtATime() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<String> handled = new CopyOnWriteArrayList<>();
    start(b -> b.route(Route.builder("one-repo").handler(e -> {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      Thread.sleep(1);
      handled.add(e.id());
      running.decrementAndGet();
    }).build()));

    int threads = 8;
    int perThread = 25;
    ExecutorService senders = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        sent.add(senders.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            send("{\"id\":\"e" + thread + "-" + i + "\",\"repo\":\"same\"}");
          }
        }));
      }
      for (Future<?> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      senders.shutdownNow();
    }

    await().atMost(20, TimeUnit.SECONDS).until(() -> journal.counts().done() == threads * perThread);
    assertThat(handled).hasSize(threads * perThread).doesNotHaveDuplicates();
    assertThat(maxRunning).hasValue(1);
    for (int t = 0; t < threads; t++) {
      String prefix = "e" + t + "-";
      assertThat(handled.stream().filter(id -> id.startsWith(prefix)).toList())
          .as("one sender's events in the order it sent them")
          .containsExactlyElementsOf(IntStream.range(0, perThread).mapToObj(i -> prefix + i).toList());
    }
  }

  @Test
  void lanesThatDrainAndRetireWhileEventsArriveLoseNoneAndNeverRunOneKeyTwiceAtOnce() throws Exception {
    Map<String, AtomicInteger> runningPerKey = new ConcurrentHashMap<>();
    AtomicInteger maxRunning = new AtomicInteger();
    List<String> handled = new CopyOnWriteArrayList<>();
    // A handler that returns at once, so each lane drains, retires and is replaced all the time.
    start(b -> b.route(Route.builder("fast").handler(e -> {
      AtomicInteger running = runningPerKey.computeIfAbsent(e.repository().orElseThrow(), k -> new AtomicInteger());
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      handled.add(e.id());
      running.decrementAndGet();
    }).build()));

    int threads = 8;
    int perThread = 1000;
    ExecutorService senders = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        sent.add(senders.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            send("{\"id\":\"e" + thread + "-" + i + "\",\"repo\":\"r" + (i % 3) + "\"}");
          }
        }));
      }
      for (Future<?> f : sent) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      senders.shutdownNow();
    }

    await().atMost(30, TimeUnit.SECONDS).until(() -> journal.counts().done() == threads * perThread);
    assertThat(handled).hasSize(threads * perThread).doesNotHaveDuplicates();
    assertThat(maxRunning).hasValue(1);
    for (int t = 0; t < threads; t++) {
      for (int key = 0; key < 3; key++) {
        String prefix = "e" + t + "-";
        int k = key;
        assertThat(handled.stream().filter(id -> id.startsWith(prefix) && Integer.parseInt(id.substring(prefix.length())) % 3 == k).toList())
            .as("one sender's events of one key in the order it sent them")
            .containsExactlyElementsOf(IntStream.range(0, perThread).filter(i -> i % 3 == k).mapToObj(i -> prefix + i).toList());
      }
    }
  }

  @Test
  void aLaneWaitsForAnEventsRetriesBeforeRunningTheNextOfItsKey() {
    List<String> order = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(2);
    start(b -> b.route(Route.builder("retried").handler(e -> {
      if (e.id().equals("r1") && failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("not yet");
      }
      order.add(e.id());
    }).build()));

    send("{\"id\":\"r1\",\"repo\":\"a\"}");
    send("{\"id\":\"r2\",\"repo\":\"a\"}");

    await().atMost(5, TimeUnit.SECONDS).until(() -> order.size() == 2);
    assertThat(order).containsExactly("r1", "r2");
  }

  @Test
  void entriesLeftByADeadProcessAreResumedOnceTheirLeaseEnds() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    JournalEntry orphan = JournalEntry.accepted("req-orphan", "o1",
        TestDeliveries.delivery("test", "{\"id\":\"o1\"}").toBuilder().receivedAt(clock.instant()).build(),
        "crashed-process", clock.instant().plusSeconds(30));
    journal.append(orphan);
    Map<String, Integer> handled = new ConcurrentHashMap<>();
    start(b -> b.clock(clock).route(Route.builder("count").handler(e -> handled.merge(e.id(), 1, Integer::sum)).build()));

    clock.advance(Duration.ofSeconds(29));
    await().during(200, TimeUnit.MILLISECONDS).atMost(1, TimeUnit.SECONDS).until(handled::isEmpty);

    clock.advance(Duration.ofSeconds(2));
    JournalEntry done = awaitStatus("req-orphan", Status.DONE);

    assertThat(handled).containsExactly(Map.entry("o1", 1));
    assertThat(done.fence()).isEqualTo(2);
  }

  @Test
  void entryWhoseEndpointWasRemovedIsDeadLetteredWhenResumed() {
    journal.append(JournalEntry.accepted("req-gone", "g1", TestDeliveries.delivery("removed", "{}"), "crashed", Instant.EPOCH));
    start(b -> b.route(Route.builder("any").handler(e -> {}).build()));

    JournalEntry dead = awaitStatus("req-gone", Status.DEAD);

    assertThat(dead.lastError()).contains("endpoint 'removed' no longer exists");
  }

  @Test
  void eventMatchingNoRouteIsMarkedDone() {
    start(b -> b.route(Route.builder("only-push").type("push").handler(e -> {}).build()));
    awaitStatus(send("{\"id\":\"n1\",\"type\":\"ping\"}"), Status.DONE);
  }

  @Test
  void closeWaitsForEventsInFlight() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    start(b -> b.route(Route.builder("slow").handler(e -> {
      started.countDown();
      Thread.sleep(300);
      finished.incrementAndGet();
    }).build()));
    String id = send("{\"id\":\"c1\"}");
    started.await(5, TimeUnit.SECONDS);

    hooks.close();
    hooks = null;

    assertThat(finished).hasValue(1);
    assertThat(journal.find(id).orElseThrow().status()).isEqualTo(Status.DONE);
  }
}
