package dev.hooks.alerts.internal;

import dev.hooks.alerts.SinkException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One HTTP call of a sink, failures turned into {@link SinkException}s with the service's own error body. Thread-safe. */
public final class Http {
  private static final int MAX_REASON = 2000;
  private final HttpClient client;
  private final Duration timeout;

  public Http(Duration timeout) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.timeout = timeout;
  }

  /** Sends and returns the body of a 2xx answer. */
  public String send(HttpRequest.Builder request, String what) throws SinkException {
    HttpResponse<String> r;
    try {
      r = client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SinkException(what + " failed: " + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : ""), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SinkException(what + " interrupted", true, e);
    }
    int s = r.statusCode();
    if (s >= 200 && s < 300) {
      return r.body();
    }
    String body = r.body() == null ? "" : r.body();
    if (body.length() > MAX_REASON) {
      body = body.substring(0, MAX_REASON);
    }
    throw new SinkException(what + " answered " + s + ": " + body, s >= 500 || s == 429 || s == 408);
  }

  public static URI uri(String base, String path) {
    return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
  }
}
