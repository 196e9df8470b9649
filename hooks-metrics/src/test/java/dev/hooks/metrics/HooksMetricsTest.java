package dev.hooks.metrics;

import static dev.hooks.testing.TestDeliveries.jsonParser;
import static dev.hooks.testing.TestDeliveries.post;
import static dev.hooks.testing.TestDeliveries.tokenVerifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hooks.Hooks;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.ingress.Endpoint;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.route.Route;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HooksMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Hooks hooks;

  @AfterEach
  void close() {
    if (hooks != null) {
      hooks.close();
    }
  }

  @Test
  void ingressDispatchAndHandlerMetersMoveWithTheirEvents() {
    AtomicInteger calls = new AtomicInteger();
    EventHandler flaky = new EventHandler() {
      @Override
      public void handle(dev.hooks.event.WebhookEvent event) {
        if (calls.incrementAndGet() == 1) {
          throw new IllegalStateException("down once");
        }
      }

      @Override
      public String name() {
        return "flaky";
      }
    };
    hooks = Hooks.builder()
        .endpoint(Endpoint.builder("test").provider("test").verifier(tokenVerifier("t")).parser(jsonParser()).build())
        .journal(new InMemoryEventJournal())
        .route(Route.builder("all").handler(HooksMetrics.metered(registry, flaky, Clock.systemUTC())).build())
        .dispatcher(d -> d.backoff(Duration.ofMillis(5), Duration.ofMillis(20)).pollInterval(Duration.ofMillis(20)))
        .build()
        .start();
    new HooksMetrics(hooks, new InMemoryNotificationOutbox()).bindTo(registry);

    assertThat(hooks.ingress().accept(post("test", "{\"a\":1}").header("X-Token", "t")).status()).isEqualTo(202);
    assertThat(hooks.ingress().accept(post("test", "{\"a\":2}").header("X-Token", "wrong")).status()).isEqualTo(401);

    await().atMost(5, TimeUnit.SECONDS).until(() -> registry.get("hooks.dispatched").functionCounter().count() == 1);
    assertThat(registry.get("hooks.received").functionCounter().count()).isEqualTo(2);
    assertThat(registry.get("hooks.accepted").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("hooks.rejected").tag("reason", "unauthorized").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("hooks.retries").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("hooks.handler.failures").tag("handler", "flaky").counter().count()).isEqualTo(1);
    assertThat(registry.get("hooks.dispatch.latency").tag("handler", "flaky").timer().count()).isEqualTo(1);
    assertThat(registry.get("hooks.pending").gauge().value()).isZero();
    assertThat(registry.get("hooks.outbox.pending").gauge().value()).isZero();
  }
}
