package dev.hooks.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hooks.event.WebhookEvent;
import dev.hooks.notify.DiscordMessage;
import dev.hooks.notify.DiscordNotifier;
import dev.hooks.notify.NotificationRoute;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.NotifyHandler;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.notify.OutboxSender;
import dev.hooks.notify.RenderedMessage;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.outbox.OutboxMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Notifications through the outbox to a loopback server that behaves like Discord's webhook
 * endpoint and enforces a per-webhook bucket ({@code limit} requests per {@code windowMillis},
 * announced in {@code X-RateLimit-*} headers, 429 past it), and a digest of 1,000 events.
 *
 * <p>{@code drainToRateLimitedDiscord} is wall time: {@code messages} notifications from a
 * filled outbox until the last is delivered, by a started {@link OutboxSender}. The floor is
 * {@code (messages / limit - 1) * windowMillis}; the tear-down prints the ratio and the 429s
 * drawn (only the first request of a run can, before the bucket is learnt). Discord's documented
 * webhook bucket is 5 per 2 s, where 10,000 messages take 67 minutes: the default parameters
 * keep its shape with time scaled by 1/10, 5 per 200 ms.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar NotifyBenchmark</pre>
 */
@State(Scope.Benchmark)
@Fork(1)
public class NotifyBenchmark {

  /** Notifications sent in one run. */
  @Param({"10000"})
  public int messages;

  /** Requests per window the server allows per webhook. */
  @Param({"5"})
  public int limit;

  /** The server's bucket window in milliseconds. */
  @Param({"200"})
  public int windowMillis;

  private DiscordLikeServer server;
  private InMemoryNotificationOutbox outbox;
  private NotifierRegistry notifiers;
  private long started;

  @Setup(Level.Iteration)
  public void fill() throws IOException {
    server = new DiscordLikeServer(limit, Duration.ofMillis(windowMillis), messages);
    notifiers = NotifierRegistry.of(DiscordNotifier.builder("discord", server.webhook())
        .outbound(OutboundPolicy.builder().allowHost("127.0.0.1").allowPlainHttp(true).build()).build());
    outbox = new InMemoryNotificationOutbox();
    Instant now = Instant.now();
    for (int i = 0; i < messages; i++) {
      String body = DiscordNotifier.toJson(DiscordMessage.builder().content("notification " + i).build());
      outbox.enqueue(new OutboxMessage(OutboxMessage.idempotencyKey("e" + i, "bench", "discord", 0), "e" + i, "bench", "discord",
          RenderedMessage.JSON, body, now));
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public long drainToRateLimitedDiscord() throws InterruptedException {
    started = System.nanoTime();
    try (OutboxSender sender = OutboxSender.builder(outbox, notifiers).batchSize(limit).build()) {
      sender.start();
      if (!server.delivered.await(30, TimeUnit.MINUTES)) {
        throw new IllegalStateException("not all delivered: " + server.delivered.getCount() + " left");
      }
    }
    return outbox.counts().delivered();
  }

  @TearDown(Level.Iteration)
  public void report() {
    double seconds = (System.nanoTime() - started) / 1e9;
    double floor = (Math.ceil((double) messages / limit) - 1) * windowMillis / 1000.0;
    System.out.printf("%n%d notifications, bucket %d per %d ms: %.2f s, floor %.2f s, ratio %.3f, 429s %d, delivered %d%n",
        messages, limit, windowMillis, seconds, floor, seconds / floor, server.tooMany.get(), outbox.counts().delivered());
    server.close();
  }

  /** 1,000 events into one 5-minute digest window, then the window's one summary. */
  @State(Scope.Thread)
  public static class Digest {
    NotifyHandler handler;
    InMemoryNotificationOutbox outbox;
    WebhookEvent[] events;
    final MovingClock clock = new MovingClock();

    @Setup(Level.Invocation)
    public void setUp() {
      outbox = new InMemoryNotificationOutbox();
      NotifierRegistry notifiers = NotifierRegistry.of(DiscordNotifier.builder("discord", URI.create("https://discord.com/api/webhooks/1/t")).build());
      handler = NotifyHandler.builder(outbox, notifiers).clock(clock)
          .route(NotificationRoute.builder("activity").provider("github").digest(Duration.ofMinutes(5)).to("discord").build())
          .build();
      if (events == null) {
        String[] branches = {"main", "feature-oauth", "dev"};
        String[] types = {"push", "pull_request", "issue"};
        events = new WebhookEvent[1000];
        for (int i = 0; i < events.length; i++) {
          events[i] = WebhookEvent.builder("d" + i, "github", types[i % 3]).action(i % 3 == 0 ? null : "opened")
              .branch(branches[i % 3]).repository("octo-org/hello").receivedAt(Instant.EPOCH).build();
        }
      }
    }

    @TearDown(Level.Invocation)
    public void check() {
      if (outbox.counts().pending() != 1) {
        throw new IllegalStateException("a digest of 1,000 events made " + outbox.counts().pending() + " messages");
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public int digestOfThousandEvents(Digest d) {
    d.clock.now = Instant.EPOCH;
    for (WebhookEvent e : d.events) {
      d.handler.handle(e);
    }
    d.clock.now = Instant.EPOCH.plus(Duration.ofMinutes(5));
    return d.handler.flushDigests();
  }

  /** A clock the digest benchmark sets. */
  static final class MovingClock extends Clock {
    volatile Instant now = Instant.EPOCH;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Discord's webhook endpoint on loopback: 204 within the bucket, 429 with retry_after past it. */
  static final class DiscordLikeServer implements AutoCloseable {
    final HttpServer http;
    final int limit;
    final Duration per;
    final CountDownLatch delivered;
    final AtomicInteger tooMany = new AtomicInteger();
    private Instant windowStart = Instant.EPOCH;
    private int used;

    DiscordLikeServer(int limit, Duration per, int expected) throws IOException {
      this.limit = limit;
      this.per = per;
      this.delivered = new CountDownLatch(expected);
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext("/api/webhooks/", this::handle);
      http.setExecutor(Executors.newFixedThreadPool(2));
      http.start();
    }

    URI webhook() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/api/webhooks/1/token");
    }

    private void handle(HttpExchange ex) throws IOException {
      try (ex) {
        ex.getRequestBody().readAllBytes();
        int status;
        String body = "";
        synchronized (this) {
          Instant now = Instant.now();
          if (!windowStart.plus(per).isAfter(now)) {
            windowStart = now;
            used = 0;
          }
          double resetAfter = Duration.between(now, windowStart.plus(per)).toNanos() / 1e9;
          ex.getResponseHeaders().add("X-RateLimit-Limit", Integer.toString(limit));
          ex.getResponseHeaders().add("X-RateLimit-Reset-After", String.format(java.util.Locale.ROOT, "%.3f", resetAfter));
          ex.getResponseHeaders().add("X-RateLimit-Bucket", "bench");
          if (used >= limit) {
            tooMany.incrementAndGet();
            status = 429;
            ex.getResponseHeaders().add("X-RateLimit-Remaining", "0");
            ex.getResponseHeaders().add("Content-Type", "application/json");
            body = String.format(java.util.Locale.ROOT, "{\"message\": \"You are being rate limited.\", \"retry_after\": %.3f, \"global\": false}", resetAfter);
          } else {
            used++;
            status = 204;
            ex.getResponseHeaders().add("X-RateLimit-Remaining", Integer.toString(limit - used));
          }
        }
        if (status == 204) {
          ex.sendResponseHeaders(204, -1);
          delivered.countDown();
        } else {
          byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, b.length);
          ex.getResponseBody().write(b);
        }
      }
    }

    @Override
    public void close() {
      http.stop(0);
      ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }
  }
}
