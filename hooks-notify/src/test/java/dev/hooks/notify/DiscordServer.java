package dev.hooks.notify;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Behaves like Discord's webhook endpoint, as its developer documentation describes it:
 * {@code POST /api/webhooks/{id}/{token}} answers 204, or 200 with the message JSON under
 * {@code ?wait=true}; an unknown webhook answers 404 {@code {"message": "Unknown Webhook",
 * "code": 10015}}; each webhook has a bucket of 5 requests per 2 s, announced on every answer by
 * {@code X-RateLimit-Limit/Remaining/Reset-After/Bucket}; past it, 429 with a JSON body
 * {@code retry_after}/{@code global} and {@code Retry-After}. Time is the test's clock. Answers
 * can also be scripted per request.
 */
final class DiscordServer extends RecordingServer {
  private static final Pattern PATH = Pattern.compile("/api/webhooks/([^/]+)/([^/]+)");

  private final Clock clock;
  private final Set<String> webhooks = ConcurrentHashMap.newKeySet();
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Deque<Answer> scripted = new ArrayDeque<>();
  private final AtomicInteger tooMany = new AtomicInteger();
  private final AtomicInteger messageIds = new AtomicInteger(1000);
  private final int limit;
  private final Duration per;
  private volatile Instant globalUntil = Instant.EPOCH;

  private static final class Window {
    Instant start = Instant.EPOCH;
    int used;
  }

  DiscordServer(Clock clock) throws IOException {
    this(clock, 5, Duration.ofSeconds(2));
  }

  DiscordServer(Clock clock, int limit, Duration per) throws IOException {
    super(r -> Answer.of(500, ""));
    this.clock = clock;
    this.limit = limit;
    this.per = per;
    behave(this::discord);
  }

  /** Registers a webhook and returns its URL. */
  java.net.URI webhook(String id, String token) {
    webhooks.add(id + "/" + token);
    return uri("/api/webhooks/" + id + "/" + token);
  }

  void forget(String id, String token) {
    webhooks.remove(id + "/" + token);
  }

  /** The next requests get these answers, in order, before the usual behaviour. */
  synchronized void script(Answer... answers) {
    scripted.addAll(java.util.List.of(answers));
  }

  /** Blocks every webhook until {@code until}: the next request gets a global 429. */
  void globalLimitUntil(Instant until) {
    globalUntil = until;
  }

  int tooManyRequests() {
    return tooMany.get();
  }

  private Answer discord(Request r) {
    Answer s;
    synchronized (this) {
      s = scripted.poll();
    }
    if (s != null) {
      if (s.status() == 429) {
        tooMany.incrementAndGet();
      }
      return s;
    }
    Matcher m = PATH.matcher(r.path());
    if (!r.method().equals("POST") || !m.matches()) {
      return Answer.of(405, "{\"message\": \"405: Method Not Allowed\", \"code\": 0}");
    }
    String hook = m.group(1) + "/" + m.group(2);
    if (!webhooks.contains(hook)) {
      return new Answer(404, Map.of("Content-Type", "application/json"), "{\"message\": \"Unknown Webhook\", \"code\": 10015}");
    }
    Instant now = clock.instant();
    if (globalUntil.isAfter(now)) {
      tooMany.incrementAndGet();
      double after = Duration.between(now, globalUntil).toMillis() / 1000.0;
      return new Answer(429, Map.of("Content-Type", "application/json", "Retry-After", Long.toString((long) Math.ceil(after)),
          "X-RateLimit-Global", "true", "X-RateLimit-Scope", "global"),
          "{\"message\": \"You are being rate limited.\", \"retry_after\": " + after + ", \"global\": true}");
    }
    Window w = windows.computeIfAbsent(hook, k -> new Window());
    Map<String, String> headers = new LinkedHashMap<>();
    synchronized (w) {
      if (!w.start.plus(per).isAfter(now)) {
        w.start = now;
        w.used = 0;
      }
      double resetAfter = Duration.between(now, w.start.plus(per)).toMillis() / 1000.0;
      headers.put("X-RateLimit-Limit", Integer.toString(limit));
      headers.put("X-RateLimit-Reset-After", Double.toString(resetAfter));
      headers.put("X-RateLimit-Bucket", "bucket-" + Integer.toHexString(hook.hashCode()));
      if (w.used >= limit) {
        tooMany.incrementAndGet();
        headers.put("X-RateLimit-Remaining", "0");
        headers.put("Retry-After", Long.toString((long) Math.ceil(resetAfter)));
        headers.put("X-RateLimit-Scope", "shared");
        headers.put("Content-Type", "application/json");
        return new Answer(429, headers, "{\"message\": \"You are being rate limited.\", \"retry_after\": " + resetAfter + ", \"global\": false}");
      }
      w.used++;
      headers.put("X-RateLimit-Remaining", Integer.toString(limit - w.used));
    }
    if (r.query().contains("wait=true")) {
      headers.put("Content-Type", "application/json");
      return new Answer(200, headers, "{\"id\": \"" + messageIds.incrementAndGet() + "\", \"type\": 0, \"channel_id\": \"1\", \"webhook_id\": \""
          + m.group(1) + "\", \"content\": \"\"}");
    }
    return new Answer(204, headers, "");
  }
}
