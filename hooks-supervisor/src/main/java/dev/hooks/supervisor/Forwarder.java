package dev.hooks.supervisor;

import dev.hooks.parsers.SupervisorListenerEvent;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one URL's buffered events, oldest first, on a thread of its own: every flush interval
 * everything buffered, or, with a zero interval, each event as soon as it is buffered.
 *
 * <p>An event leaves the buffer only once the receiver answered 2xx (or refused it for good with
 * another 4xx, logged); a connection error, a timeout, 408, 429 or 5xx is retried with exponential
 * backoff and jitter (1 s doubling to 5 min, or the receiver's {@code Retry-After}, capped at an
 * hour), the later events waiting behind it so that order is kept. Delivery is at least once: a
 * crash between the answer and the buffer's head being written sends that event again, with the
 * same id. Each URL has its own buffer and thread: a receiver that is away delays no other.
 */
final class Forwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
  private static final int MAX_ANSWER = 4096;
  private static final String USER_AGENT = "hooks-supervisor/"
      + (Forwarder.class.getPackage().getImplementationVersion() == null ? "dev" : Forwarder.class.getPackage().getImplementationVersion());

  /** A failure worth another attempt, with the receiver's requested wait if it gave one. */
  static final class RetryableDelivery extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient @Nullable Duration retryAfter;

    RetryableDelivery(String message, @Nullable Duration retryAfter) {
      super(message, null, false, false);
      this.retryAfter = retryAfter;
    }
  }

  private final URI url;
  private final String shownUrl;
  private final DiskBuffer buffer;
  private final ListenerOptions options;
  private final @Nullable StandardWebhooksSigner signer;
  private final Supplier<HttpClient> http;
  private final Clock clock;
  private final RetryPolicy<Object> retry;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean flushRequested;
  private volatile boolean closing;

  Forwarder(URI url, DiskBuffer buffer, ListenerOptions options, @Nullable StandardWebhooksSigner signer, Supplier<HttpClient> http, Clock clock) {
    this.url = url;
    this.shownUrl = ListenerOptions.redacted(url);
    this.buffer = buffer;
    this.options = options;
    this.signer = signer;
    this.http = http;
    this.clock = clock;
    this.retry = RetryPolicy.builder()
        .handle(RetryableDelivery.class, IOException.class)
        .withMaxRetries(-1)
        .withDelayFn(ctx -> delay(ctx.getAttemptCount(), ctx.getLastException()))
        .onFailedAttempt(e -> LOG.warn("{}: delivery failed ({}), retrying", shownUrl, e.getLastException().getMessage()))
        .build();
    this.thread = new Thread(this::loop, "forward " + shownUrl);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Asks for everything buffered to be sent now (after an append, in immediate mode). */
  void flush() {
    lock.lock();
    try {
      flushRequested = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends what is buffered for up to {@code grace}, then stops; what is left stays in the buffer
   * for the next start.
   */
  void close(Duration grace) {
    closing = true;
    flush();
    try {
      thread.join(grace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  private void loop() {
    try {
      while (true) {
        awaitFlush();
        drain();
        if (closing) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the next flush time, a flush request, or the close. */
  private void awaitFlush() throws InterruptedException {
    long interval = options.flushInterval().toNanos();
    lock.lock();
    try {
      long deadline = System.nanoTime() + (interval == 0 ? Long.MAX_VALUE / 2 : interval);
      while (!flushRequested && !closing) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wake.awaitNanos(left);
      }
      flushRequested = false;
    } finally {
      lock.unlock();
    }
  }

  private void drain() throws InterruptedException {
    DiskBuffer.Entry entry;
    while ((entry = buffer.peek()) != null) {
      BufferedEvent event;
      try {
        event = BufferedEvent.decode(entry.bytes());
      } catch (IllegalArgumentException e) {
        LOG.error("{}: dropped an unreadable buffered event: {}", shownUrl, e.getMessage());
        remove(entry);
        continue;
      }
      BufferedEvent toSend = event;
      try {
        Failsafe.with(retry).run(() -> send(toSend));
      } catch (FailsafeException e) {
        if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("closing");
        }
        throw e;
      }
      remove(entry);
    }
  }

  private void remove(DiskBuffer.Entry entry) {
    try {
      buffer.remove(entry);
    } catch (IOException e) {
      LOG.error("{}: could not record a delivery in the buffer ({}); it may be sent again after a restart", shownUrl, e.toString());
    }
  }

  private HttpRequest request(BufferedEvent buffered) {
    SupervisorListenerEvent event = buffered.event();
    byte[] body = options.format().render(event, buffered.id(), buffered.receivedAt(), options.data());
    HttpRequest.Builder b = HttpRequest.newBuilder(url)
        .timeout(options.timeout())
        .header("Content-Type", options.format().contentType())
        .header("User-Agent", USER_AGENT);
    for (Map.Entry<String, String> h : options.headers()) {
      b.setHeader(h.getKey(), h.getValue());
    }
    if (signer != null) {
      long now = clock.instant().getEpochSecond();
      b.setHeader("webhook-id", buffered.id());
      b.setHeader("webhook-timestamp", Long.toString(now));
      b.setHeader("webhook-signature", signer.sign(buffered.id(), now, body));
    }
    return b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  /** One attempt; the request is built afresh, so that a retry carries a current signature timestamp. */
  private void send(BufferedEvent event) throws IOException, InterruptedException {
    HttpRequest request = request(event);
    HttpResponse<InputStream> response = http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
    String answer;
    try (InputStream in = response.body()) {
      answer = new String(in.readNBytes(MAX_ANSWER), StandardCharsets.UTF_8);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      LOG.debug("{}: {} {} delivered ({})", shownUrl, event.event().eventName(), event.id(), status);
      return;
    }
    if (status == 408 || status == 425 || status == 429 || status >= 500) {
      throw new RetryableDelivery("HTTP " + status, retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
    }
    LOG.error("{}: refused {} {} with HTTP {}: {}; it is dropped", shownUrl, event.event().eventName(), event.id(), status,
        answer.replaceAll("\\p{Cntrl}", " ").strip());
  }

  /** Exponential backoff with jitter, or the receiver's wait, clamped. */
  static Duration delay(int attempts, @Nullable Throwable last) {
    if (last instanceof RetryableDelivery r && r.retryAfter != null) {
      return r.retryAfter;
    }
    long base = FIRST_BACKOFF.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
    long capped = Math.min(base, MAX_BACKOFF.toMillis());
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Duration.ofMillis((long) (capped * jitter));
  }

  /** {@code Retry-After} in seconds or as an HTTP date; anything else, negative or huge, is clamped. */
  static @Nullable Duration retryAfter(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Duration wait;
    try {
      double seconds = Double.parseDouble(value.trim());
      if (Double.isNaN(seconds)) {
        return null;
      }
      wait = seconds >= MAX_RETRY_AFTER.toSeconds() ? MAX_RETRY_AFTER : Duration.ofMillis((long) (Math.max(seconds, 0) * 1000));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(Instant.now(), at);
      } catch (RuntimeException notADate) {
        return null;
      }
    }
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
  }

  /** For the start line. */
  static String describe(List<Forwarder> forwarders) {
    return String.join(", ", forwarders.stream().map(f -> f.shownUrl).toList());
  }
}
