package dev.hooks.server.autoheal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.remediation.AutohealPreset;
import dev.hooks.remediation.FailureTracker;
import dev.hooks.remediation.RemediationContext;
import dev.hooks.remediation.RemediationLadder;
import dev.hooks.remediation.RemediationService;
import dev.hooks.remediation.ServiceKey;
import dev.hooks.server.ServerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoheal preset end to end: real Jetty on a loopback port, hooks' ingress, the H2 file in
 * the data directory, the real {@link FailureTracker}. Only the ladder's Docker steps and the
 * container-name lookup are replaced, by a step that records its runs and a fixed resolver.
 */
class AutohealServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "9f2c4e1a7b3d5c8e0f6a2b4d7c9e1f3a";
  private static final String CONTAINER = "autoheal-test-should-keep-restarting-1";
  private static final ServiceKey SERVICE = ServiceKey.of("autoheal-test", "should-keep-restarting");
  /**
   * The body willfarrell/docker-autoheal sends with {@code WEBHOOK_JSON_KEY=content}, the shape
   * the autoheal listener read: {@code generate_webhook_payload} of its docker-entrypoint
   * (commit afb2c8bb36d8c6edb982e1d08275a460149ad6f0) with the sentence of {@code notify_webhook}
   * after a restart; container and short id as in hooks-parsers'
   * {@code payloads/autoheal/webhook-key-content.json}.
   */
  private static final String NOTICE = """
      {
        "content":"Container autoheal-test-should-keep-restarting-1 (19ccabc70b90) found to be unhealthy. Successfully restarted the container!"
      }
      """;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<RemediationContext> ladderRuns = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicReference<String> resetFailure = new java.util.concurrent.atomic.AtomicReference<>();
  private AutohealPreset preset;
  private AutohealServer server;

  @BeforeEach
  void startServer() throws IOException {
    Path compose = Files.writeString(dir.resolve("docker-compose.yml"), "services: {}\n");
    preset = AutohealPreset.fromEnvironment(Map.of(
        "CRITICAL_SERVICE_NAME", CONTAINER,
        "CRITICAL_FAIL_COUNT", "3",
        "COMPOSE_FILE_PATH", compose.toString(),
        "WEBHOOK_URL_CRITICAL", "http://127.0.0.1:9/api/webhooks/1/critical",
        "WEBHOOK_URL_FINAL", "http://127.0.0.1:9/api/webhooks/1/final",
        "WEBHOOK_SECRET", SECRET,
        "COOLDOWN_PERIOD", "300",
        "HOSTNAME", "vps-test",
        "LOG_ARCHIVE_DIR", dir.resolve("archives").toString()));
    server = start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private AutohealServer start() {
    return AutohealServer.start(new ServerOptions(null, "127.0.0.1", 0, dir.resolve("data"), ServerOptions.AUTOHEAL_PRESET), preset,
        new AutohealServer.RemediationFactory() {
          @Override
          public RemediationService create(AutohealPreset p, dev.hooks.state.StateStore store, dev.hooks.outbox.NotificationOutbox outbox,
              java.time.Clock clock) {
            throw new AssertionError("the server passes its meter registry");
          }

          @Override
          public RemediationService create(AutohealPreset p, dev.hooks.state.StateStore store, dev.hooks.outbox.NotificationOutbox outbox,
              java.time.Clock clock, io.micrometer.core.instrument.MeterRegistry meters) {
          RemediationLadder ladder = dev.hooks.remediation.RemediationMeters.metered(RemediationLadder.builder()
              .step(dev.hooks.remediation.RemediationActions.named("record", ladderRuns::add))
              .step(dev.hooks.remediation.RemediationActions.named("compose-reset", ctx -> {
                String failure = resetFailure.get();
                if (failure != null) {
                  throw new IllegalStateException(failure);
                }
              }))
              .verify(service -> true)
              .build(), meters);
          FailureTracker tracker = FailureTracker.builder(store, ladder).policy(p.policy()).clock(clock).build();
          return RemediationService.builder(tracker)
              .resolver(name -> name.equals(CONTAINER) ? Optional.of(SERVICE) : Optional.empty())
              .watch(p.criticalServiceName())
              .clock(clock)
              .build();
          }
        });
  }

  @Test
  void autohealEventWithTheTokenIsAnswered202WithARequestIdAndCountsOneFailure() throws Exception {
    HttpResponse<String> r = post("/autoheal-event", NOTICE, SECRET);

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(json(r).get("request_id").asText()).isNotBlank();
    await().atMost(Duration.ofSeconds(10)).until(() -> count() == 1);
    assertThat(server.hooks().journal().counts().pending()).isZero();
    assertThat(ladderRuns).isEmpty();
  }

  @Test
  void criticalFailCountEventsReachTheThresholdAndRunTheLadderOnce() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(post("/autoheal-event", NOTICE, SECRET).statusCode()).isEqualTo(202);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> ladderRuns.size() == 1);
    RemediationContext run = ladderRuns.get(0);
    assertThat(run.service()).isEqualTo(SERVICE);
    assertThat(run.failures()).isEqualTo(3);
    // The steps after the recorded one finish on the dispatcher thread, then the cooldown is stored.
    await().atMost(Duration.ofSeconds(10)).until(() -> json(get("/status")).get("state").get(SERVICE.toString()).get("state").asText().equals("COOLDOWN"));
    JsonNode state = json(get("/status")).get("state").get(SERVICE.toString());
    assertThat(state.get("verify_due_at").asLong()).isGreaterThan(Instant.now().getEpochSecond() + 200);
  }

  @Test
  void aMissingOrWrongTokenIs401AndCountsNothing() throws Exception {
    HttpResponse<String> missing = post("/autoheal-event", NOTICE, null);
    HttpResponse<String> wrong = post("/autoheal-event", NOTICE, SECRET.substring(1) + "0");

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).get("error").asText()).isEqualTo("unauthorized");
    assertThat(server.hooks().journal().counts().pending()).isZero();
    assertThat(json(get("/status")).get("state").size()).isZero();
  }

  @Test
  void malformedJsonOrAnotherSentenceIs400() throws Exception {
    HttpResponse<String> broken = post("/autoheal-event", "{\"content\": \"Container", SECRET);
    HttpResponse<String> notANotice = post("/autoheal-event", "{\"content\": \"deploy finished\"}", SECRET);

    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(json(broken).get("error").asText()).isEqualTo("unparseable");
    assertThat(notANotice.statusCode()).isEqualTo(400);
    assertThat(json(get("/status")).get("state").size()).isZero();
  }

  @Test
  void healthAnswersTheListenersShape() throws Exception {
    long before = Instant.now().getEpochSecond();
    HttpResponse<String> r = get("/health");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("status").asText()).isEqualTo("healthy");
    assertThat(body.get("service").asText()).isEqualTo("webhook-listener");
    assertThat(body.get("timestamp").asLong()).isBetween(before, Instant.now().getEpochSecond());
  }

  @Test
  void healthIs503UnhealthyWhenTheJournalIsUnreachable() throws Exception {
    server.hooks().journal().close();

    HttpResponse<String> r = get("/health");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(json(r).get("status").asText()).isEqualTo("unhealthy");
  }

  @Test
  void statusShowsEachServiceWithTheThresholdCooldownAndHooksCounters() throws Exception {
    post("/autoheal-event", NOTICE, SECRET);
    await().atMost(Duration.ofSeconds(10)).until(() -> count() == 1);

    JsonNode body = json(get("/status"));

    assertThat(body.get("critical_service").asText()).isEqualTo(CONTAINER);
    assertThat(body.get("threshold").asInt()).isEqualTo(3);
    assertThat(body.get("cooldown_period").asInt()).isEqualTo(300);
    JsonNode state = body.get("state").get("autoheal-test/should-keep-restarting");
    assertThat(state.get("count").asInt()).isEqualTo(1);
    assertThat(state.get("state").asText()).isEqualTo("FAILING");
    assertThat(state.get("last_failure_reason").asText()).isEqualTo("restarted");
    assertThat(state.get("last_failure").asLong()).isPositive();
    assertThat(state.has("verify_due_at")).isTrue();
    assertThat(body.get("hooks").get("accepted").asInt()).isEqualTo(1);
  }

  @Test
  void theLaddersStepsAreCountedByStepAndOutcomeAtMetrics() throws Exception {
    resetFailure.set("docker-compose down exited with 1");
    for (int i = 0; i < 3; i++) {
      assertThat(post("/autoheal-event", NOTICE, SECRET).statusCode()).isEqualTo(202);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> metric("record", "ok") == 1.0 && metric("compose-reset", "failed") >= 1.0);

    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(metric("compose-reset", "ok")).isZero();
    assertThat(server.meterRegistry().get(dev.hooks.remediation.RemediationMeters.STEPS).tag("step", "compose-reset").tag("outcome", "failed")
        .counter().count()).isEqualTo(metric("compose-reset", "failed"));
  }

  /** The value of {@code hooks_remediation_steps_total{outcome,step}} in the Prometheus text of {@code /metrics}. */
  private double metric(String step, String outcome) throws Exception {
    String prefix = "hooks_remediation_steps_total{outcome=\"" + outcome + "\",step=\"" + step + "\"} ";
    return get("/metrics").body().lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
        .findFirst().orElse(0.0);
  }

  @Test
  void statusNamesAFailedStepButShowsItsErrorOnlyWithTheToken() throws Exception {
    String error = "docker-compose -f /host/docker-compose.yml -p autoheal-test down exited with 1:"
        + " Traceback (most recent call last):\n  File \"/usr/bin/docker-compose\", line 33";
    resetFailure.set(error);
    for (int i = 0; i < 3; i++) {
      post("/autoheal-event", NOTICE, SECRET);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonNode state = json(get("/status")).get("state").get(SERVICE.toString());
      return state != null && state.get("state").asText().equals("QUARANTINED");
    });

    HttpResponse<String> anonymous = get("/status");
    assertThat(anonymous.body()).doesNotContain("docker-compose").doesNotContain("Traceback").doesNotContain("/host/");
    JsonNode plain = json(anonymous).get("state").get(SERVICE.toString());
    assertThat(plain.get("failed_steps")).hasSize(1);
    assertThat(plain.get("failed_steps").get(0).asText()).isEqualTo("compose-reset");
    assertThat(plain.has("step_errors")).isFalse();
    HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(uri("/status")).header(AutohealPreset.TOKEN_HEADER, "nope").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.body()).doesNotContain("Traceback");

    HttpResponse<String> detailed = http.send(HttpRequest.newBuilder(uri("/status")).header(AutohealPreset.TOKEN_HEADER, SECRET).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode full = json(detailed).get("state").get(SERVICE.toString());
    assertThat(full.get("step_errors").get(0).asText()).isEqualTo("compose-reset: " + error);
  }

  @Test
  void resetWithAWrongTokenIs401AndWithTheRightOneResetsTheCount() throws Exception {
    post("/autoheal-event", NOTICE, SECRET);
    post("/autoheal-event", NOTICE, SECRET);
    await().atMost(Duration.ofSeconds(10)).until(() -> count() == 2);
    String body = "{\"service_name\": \"" + CONTAINER + "\"}";

    HttpResponse<String> wrong = post("/reset", body, "not-the-secret");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(post("/reset", body, null).statusCode()).isEqualTo(401);
    assertThat(count()).isEqualTo(2);

    HttpResponse<String> ok = post("/reset", body, SECRET);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).get("reset").get(0).asText()).isEqualTo("autoheal-test/should-keep-restarting");
    assertThat(count()).isZero();
  }

  @Test
  void resetOfAnUnknownServiceIs404AndOfAMalformedBodyIs400() throws Exception {
    HttpResponse<String> unknown = post("/reset", "{\"service_name\": \"nobody-1\"}", SECRET);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").asText()).isEqualTo("unknown_service");

    assertThat(post("/reset", "{\"service_name\": ", SECRET).statusCode()).isEqualTo(400);
    assertThat(post("/reset", "{\"name\": \"x\"}", SECRET).statusCode()).isEqualTo(400);
    assertThat(post("/reset", "[\"x\"]", SECRET).statusCode()).isEqualTo(400);
  }

  @Test
  void theCountSurvivesARestartOnTheSameDataDirectory() throws Exception {
    post("/autoheal-event", NOTICE, SECRET);
    post("/autoheal-event", NOTICE, SECRET);
    await().atMost(Duration.ofSeconds(10)).until(() -> count() == 2);

    server.close();
    server = start();

    assertThat(count()).isEqualTo(2);
    assertThat(post("/autoheal-event", NOTICE, SECRET).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> ladderRuns.size() == 1);
    assertThat(ladderRuns.get(0).failures()).isEqualTo(3);
  }

  @Test
  void otherPathsAre404AndReadOnlyRoutesRefusePost() throws Exception {
    assertThat(get("/hooks/autoheal-event").statusCode()).isEqualTo(404);
    assertThat(post("/health", "{}", SECRET).statusCode()).isEqualTo(405);
    assertThat(get("/autoheal-event").statusCode()).isEqualTo(405);
  }

  private int count() throws Exception {
    JsonNode state = json(get("/status")).get("state").get(SERVICE.toString());
    return state == null ? 0 : state.get("count").asInt();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header(AutohealPreset.TOKEN_HEADER, token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }
}
