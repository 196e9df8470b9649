package dev.hooks.supervisor;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one HTTP client of the listener, built on first use: building it loads the TLS machinery,
 * which takes longer than everything else at start, and supervisor waits for {@code READY}.
 * HTTP/1.1 as superhooks speaks it, no redirects followed. Thread-safe.
 */
final class LazyHttpClient implements Supplier<HttpClient> {
  private final Duration connectTimeout;
  private volatile HttpClient client;

  LazyHttpClient(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  @Override
  public HttpClient get() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          c = HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(connectTimeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
          client = c;
        }
      }
    }
    return c;
  }
}
