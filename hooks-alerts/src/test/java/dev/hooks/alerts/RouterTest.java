package dev.hooks.alerts;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Meters, masking, stats and replay of the router. */
class RouterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));

  @Test
  void countsReceivedAndOutcomesAndTimesTheSink() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RecordingSink sink = new RecordingSink("cw");
    AlertRouter r = AlertRouter.builder().endpoint(Payloads.kumaRecipe("kuma").name("uptime-kuma").build()).sink(sink)
        .meterRegistry(meters).clock(clock).build();
    r.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json"));
    r.process("kuma", "r2", Payloads.json("uptime-kuma/down-timeout.json"));
    r.process("kuma", "r3", Payloads.json("uptime-kuma/up.json"));

    assertThat(meters.get("hooks_alerts_received").tag("endpoint", "uptime-kuma").counter().count()).isEqualTo(3.0);
    assertThat(meters.get("hooks_alerts_outcomes").tag("outcome", "created").counter().count()).isEqualTo(1.0);
    assertThat(meters.get("hooks_alerts_outcomes").tag("outcome", "updated").counter().count()).isEqualTo(1.0);
    assertThat(meters.get("hooks_alerts_outcomes").tag("outcome", "closed").counter().count()).isEqualTo(1.0);
    assertThat(meters.get("hooks_alerts_sink_latency").tag("sink", "cw").timer().count()).isEqualTo(3);
  }

  @Test
  void historyMasksSensitiveKeysAndCountsPerDay() {
    AlertRouter r = AlertRouter.builder().endpoint(Payloads.kumaRecipe("kuma").build()).sink(new RecordingSink("cw")).clock(clock).build();
    ObjectNode p = Payloads.json("uptime-kuma/down-timeout.json");
    ((ObjectNode) p.get("monitor")).put("basic_auth_pass", "hunter2").put("authToken", "tok-123").putObject("headers")
        .put("Authorization", "Bearer abc");
    HistoryEntry h = r.process("kuma", "r1", p).get(0);

    assertThat(h.payload()).doesNotContain("hunter2").doesNotContain("tok-123").doesNotContain("Bearer abc").contains("\"authToken\":\"********\"");
    assertThat(r.history().stats()).containsOnlyKeys("2026-03-10");
    assertThat(r.history().stats().get("2026-03-10")).containsEntry("received", 1L).containsEntry("created", 1L);
  }

  @Test
  void replayRunsAStoredDeliveryAgainUnderANewKey() {
    RecordingSink sink = new RecordingSink("cw");
    Maintenance m = new Maintenance();
    m.global(true);
    AlertRouter r = AlertRouter.builder().endpoint(Payloads.kumaRecipe("kuma").build()).sink(sink).maintenance(m).clock(clock).build();
    assertThat(r.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")).get(0).outcome()).isEqualTo(Outcome.SKIPPED);
    m.global(false);

    HistoryEntry replayed = r.replay("r1").orElseThrow().get(0);
    assertThat(replayed.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(replayed.requestId()).startsWith("r1:replay-");
    assertThat(sink.effects).hasSize(1);
    assertThat(r.replay("unknown")).isEmpty();
  }
}
