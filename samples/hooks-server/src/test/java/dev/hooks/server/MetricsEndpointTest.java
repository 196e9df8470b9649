package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hooks.dispatch.EventHandler;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: handler failures, retries and latency as they happen; meters others register. */
class MetricsEndpointTest {
  private static final String TOKEN = "metrics-endpoint-token";

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aHandlerThatFailsOnceIsCountedRetriedAndTimedOnItsSuccess() throws Exception {
    Path config = dir.resolve("metrics.yaml");
    Files.writeString(config, """
        endpoints:
          - {id: ci, provider: generic, verifier: {secrets: ["${TOKEN}"]}}
        dispatch: {initial-backoff: 100ms, max-backoff: 200ms, poll-interval: 100ms}
        routes:
          - {name: all, handlers: [flaky]}
        """);
    AtomicInteger calls = new AtomicInteger();
    EventHandler flaky = event -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("first call fails");
      }
    };
    try (HooksServer server = HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data")), Map.of("TOKEN", TOKEN),
        System.out, Map.of("flaky", flaky))) {
      Counter.builder("hooks.alerts.fired").register(server.meterRegistry()).increment(3);
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> accepted = client.send(HttpRequest.newBuilder(URI.create(base + "/hooks/ci"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
          .POST(HttpRequest.BodyPublishers.ofString("{\"pipeline\":\"build\",\"status\":\"failed\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).isEqualTo(202);
      HttpResponse<String> tooBig = client.send(HttpRequest.newBuilder(URI.create(base + "/hooks/ci"))
          .header("Content-Type", "text/csv").header("Authorization", "Bearer " + TOKEN)
          .POST(HttpRequest.BodyPublishers.ofString("a,b")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(tooBig.statusCode()).isEqualTo(415);

      await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        Map<String, Double> m = PrometheusText.parse(get(base + "/metrics").body());
        assertThat(m.get("hooks_handler_failures_total{handler=\"flaky\"}")).isEqualTo(1.0);
        assertThat(m.get("hooks_retries_total")).isEqualTo(1.0);
        assertThat(m.get("hooks_dispatch_latency_seconds_count{handler=\"flaky\"}")).isEqualTo(1.0);
        assertThat(m.get("hooks_dispatch_latency_seconds_sum{handler=\"flaky\"}")).isGreaterThan(0.0);
        assertThat(m.get("hooks_rejected_total{reason=\"unsupported_media_type\"}")).isEqualTo(1.0);
        assertThat(m.get("hooks_alerts_fired_total")).isEqualTo(3.0);
      });
      HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }
  }

  @Test
  void theTextParserRefusesALineOfAnotherShape() {
    assertThat(PrometheusText.parse("# HELP a_total x\n# TYPE a_total counter\na_total{k=\"v\"} 2.0\n"))
        .containsExactly(Map.entry("a_total{k=\"v\"}", 2.0));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrometheusText.parse("a_total two\n"))
        .hasMessageContaining("not a sample line");
  }

  private HttpResponse<String> get(String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
