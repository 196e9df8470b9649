package dev.hooks.notify.internal;

import dev.hooks.notify.OutboundPolicy;
import dev.hooks.notify.SendOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.OptionalLong;
import java.util.function.Function;

/** Posts one body under an {@link OutboundPolicy} and classifies the answer. Not API. */
public final class HttpSend {
  private static final int MAX_REASON = 300;

  /**
   * The most of an answer's body that is read (16 KiB: a Discord message object with
   * {@code ?wait=true}, an error JSON); the rest is not read, the connection is closed instead.
   */
  public static final int MAX_BODY_BYTES = 16 * 1024;

  private HttpSend() {}

  /**
   * The answer of one request.
   *
   * @param body at most {@link #MAX_BODY_BYTES} of the body, decoded as UTF-8
   * @param truncated whether the body was longer and the rest was discarded unread
   */
  public record Answer(int status, HttpHeaders headers, String body, boolean truncated) {
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  /**
   * Keeps the first {@code max} bytes of a body and cancels the exchange once they are in, so
   * the rest is neither buffered nor read (the connection is closed, not drained).
   */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<LimitedBody.Head> {
    record Head(byte[] bytes, boolean truncated) {}

    private final int max;
    private final java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
    private final java.util.concurrent.CompletableFuture<Head> result = new java.util.concurrent.CompletableFuture<>();
    private java.util.concurrent.Flow.@org.jspecify.annotations.Nullable Subscription subscription;

    LimitedBody(int max) {
      this.max = max;
    }

    @Override
    public java.util.concurrent.CompletionStage<Head> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(java.util.List<java.nio.ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (java.nio.ByteBuffer b : items) {
        int room = max - kept.size();
        int n = Math.min(room, b.remaining());
        byte[] chunk = new byte[n];
        b.get(chunk);
        kept.write(chunk, 0, n);
        if (b.hasRemaining()) {
          result.complete(new Head(kept.toByteArray(), true));
          java.util.Objects.requireNonNull(subscription).cancel();
          return;
        }
      }
      java.util.Objects.requireNonNull(subscription).request(1);
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(new Head(kept.toByteArray(), false));
    }
  }

  /** A request's failure before any answer, already classified. */
  public static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient SendOutcome outcome;

    Failure(SendOutcome outcome) {
      super(outcome.reason(), null, false, false);
      this.outcome = outcome;
    }

    public SendOutcome outcome() {
      return outcome;
    }
  }

  /**
   * Posts {@code body} to {@code uri} if the policy allows it.
   *
   * @param redacted the URI as it may be logged and put in reasons (tokens removed)
   * @throws Failure classified: host not allowed (permanent), timeout or I/O (transient)
   */
  public static Answer post(OutboundPolicy policy, URI uri, String redacted, String contentType, String body,
      Map<String, String> headers) throws Failure {
    if (!policy.isAllowed(uri)) {
      throw new Failure(SendOutcome.permanentFailure(0, "host '" + uri.getHost() + "' is not allowed by the outbound policy"));
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(uri)
        .timeout(policy.requestTimeout())
        .header("Content-Type", contentType)
        .header("User-Agent", "hooks-notify")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(req::header);
    try {
      // The request timeout bounds the whole answer, body included: a body trickled byte by byte
      // cannot hold the sender past it.
      var pending = policy.httpClient().sendAsync(req.build(), info -> new LimitedBody(MAX_BODY_BYTES));
      HttpResponse<LimitedBody.Head> r;
      try {
        r = pending.get(policy.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        pending.cancel(true);
        throw new HttpTimeoutException("request timed out");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        throw new IOException(cause);
      }
      return new Answer(r.statusCode(), r.headers(), new String(r.body().bytes(), StandardCharsets.UTF_8), r.body().truncated());
    } catch (HttpConnectTimeoutException e) {
      throw new Failure(SendOutcome.transientFailure(0, "connect timeout to " + redacted));
    } catch (HttpTimeoutException e) {
      throw new Failure(SendOutcome.transientFailure(0, "no answer from " + redacted + " within " + policy.requestTimeout()));
    } catch (IOException e) {
      throw new Failure(SendOutcome.transientFailure(0, "I/O error posting to " + redacted + ": " + e.getClass().getSimpleName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(SendOutcome.transientFailure(0, "interrupted posting to " + redacted));
    }
  }

  /**
   * The usual classification: 2xx success; 3xx permanent (redirects are never followed);
   * 429 rate limited with Retry-After; 408, 425 and 5xx transient (503 with Retry-After: retry
   * after); other 4xx permanent. {@code describe} turns an error body into a short reason.
   */
  public static SendOutcome classify(Answer a, Function<Answer, String> describe) {
    int s = a.status();
    if (s >= 200 && s < 300) {
      return SendOutcome.success(s);
    }
    if (s >= 300 && s < 400) {
      return SendOutcome.permanentFailure(s, "HTTP " + s + ": redirect to '" + a.header("Location").map(HttpSend::hostOf).orElse("?")
          + "' not followed");
    }
    String reason = "HTTP " + s + describeSafely(a, describe);
    Optional<Duration> retryAfter = retryAfter(a);
    if (s == 429) {
      return SendOutcome.rateLimited(s, retryAfter.orElse(Duration.ofSeconds(1)), false, reason);
    }
    if (s == 408 || s == 425 || s >= 500) {
      return retryAfter.isPresent() ? SendOutcome.retryAfter(s, retryAfter.get(), reason) : SendOutcome.transientFailure(s, reason);
    }
    return SendOutcome.permanentFailure(s, reason);
  }

  private static String describeSafely(Answer a, Function<Answer, String> describe) {
    String d = describe.apply(a);
    if (d == null || d.isBlank()) {
      return "";
    }
    d = d.strip().replaceAll("\\s+", " ");
    return ": " + (d.length() > MAX_REASON ? d.substring(0, MAX_REASON) + "…" : d);
  }

  private static String hostOf(String location) {
    try {
      String h = URI.create(location).getHost();
      return h == null ? location : h;
    } catch (IllegalArgumentException e) {
      return "?";
    }
  }

  /** Retry-After in seconds (integer or decimal), as RFC 9110 and Discord send it; HTTP dates are ignored. */
  public static Optional<Duration> retryAfter(Answer a) {
    return a.header("Retry-After").flatMap(HttpSend::seconds);
  }

  /**
   * A count of seconds such as {@code 2} or {@code 0.372} as a duration, rounded up to the
   * millisecond and capped at {@link SendOutcome#MAX_SERVER_WAIT}; empty for a negative, not a
   * number, infinite or unreadable value (hexadecimal floats and type suffixes included).
   */
  public static Optional<Duration> seconds(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.length() > 32 || !t.matches("[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?")) {
      return Optional.empty();
    }
    try {
      double d = Double.parseDouble(t);
      if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
        return Optional.empty();
      }
      double cap = SendOutcome.MAX_SERVER_WAIT.toSeconds();
      return Optional.of(Duration.ofMillis((long) Math.ceil(Math.min(d, cap) * 1000)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public static OptionalLong longHeader(Answer a, String name) {
    try {
      return a.header(name).map(v -> OptionalLong.of(Long.parseLong(v.trim()))).orElse(OptionalLong.empty());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
