package dev.hooks.alerts;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Global maintenance, windows and silences as the router applies them, on an injected clock. */
class SuppressionTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
  private final RecordingSink sink = new RecordingSink("cw");
  private final Maintenance maintenance = new Maintenance();

  private AlertRouter router(boolean closeInMaintenance) {
    return AlertRouter.builder().endpoint(Payloads.kumaRecipe("kuma").build()).endpoint(RecipesTest.alertmanagerRecipe())
        .sink(sink).maintenance(maintenance).clock(clock).closeInMaintenance(closeInMaintenance).build();
  }

  @Test
  void globalMaintenanceSkipsAndSaysWhy() {
    AlertRouter r = router(true);
    maintenance.global(true);
    HistoryEntry h = r.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    assertThat(h.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(h.reason()).isEqualTo("suppressed by global maintenance");
    assertThat(sink.effects).isEmpty();
    maintenance.global(false);
    assertThat(r.process("kuma", "r2", Payloads.json("uptime-kuma/down-timeout.json")).get(0).outcome()).isEqualTo(Outcome.CREATED);
  }

  @Test
  void aWindowSuppressesOnlyWhileTheClockIsInIt() {
    AlertRouter r = router(true);
    maintenance.window(MaintenanceWindow.daily("nightly", ZoneId.of("UTC"), LocalTime.of(22, 0), LocalTime.of(4, 0)));
    clock.set(Instant.parse("2026-03-10T23:30:00Z"));
    HistoryEntry in = r.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    clock.set(Instant.parse("2026-03-11T04:00:00Z"));
    HistoryEntry after = r.process("kuma", "r2", Payloads.json("uptime-kuma/down-timeout.json")).get(0);

    assertThat(in.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(in.reason()).isEqualTo("suppressed by window nightly");
    assertThat(after.outcome()).isEqualTo(Outcome.CREATED);
  }

  @Test
  void aCloseInMaintenanceStillClosesTheOpenIncidentUnlessConfiguredNot() {
    AlertRouter closes = router(true);
    closes.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json"));
    maintenance.global(true);
    assertThat(closes.process("kuma", "r2", Payloads.json("uptime-kuma/up.json")).get(0).outcome()).isEqualTo(Outcome.CLOSED);

    maintenance.global(false);
    RecordingSink other = new RecordingSink("cw");
    AlertRouter keeps = AlertRouter.builder().endpoint(Payloads.kumaRecipe("kuma").build()).sink(other).maintenance(maintenance)
        .clock(clock).closeInMaintenance(false).build();
    keeps.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json"));
    maintenance.global(true);
    HistoryEntry h = keeps.process("kuma", "r2", Payloads.json("uptime-kuma/up.json")).get(0);
    assertThat(h.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(other.effects).hasSize(1);
  }

  @Test
  void aSilenceMatchesLabelsUntilItExpires() {
    AlertRouter r = router(true);
    maintenance.silence(new Silence("andromeda-temp", Map.of("alertname", "High CPU Temperature", "host", "~andro.*"),
        clock.instant().plus(Duration.ofHours(1))));
    List<HistoryEntry> silenced = r.process("am", "r1", Payloads.json("alertmanager/zulip-alert.json"));
    assertThat(silenced).extracting(HistoryEntry::outcome).containsOnly(Outcome.SKIPPED);
    assertThat(silenced).extracting(HistoryEntry::reason).containsOnly("suppressed by silence andromeda-temp");

    clock.advance(Duration.ofHours(1));
    List<HistoryEntry> after = r.process("am", "r2", Payloads.json("alertmanager/zulip-alert.json"));
    assertThat(after).extracting(HistoryEntry::outcome).containsOnly(Outcome.CREATED);
    assertThat(maintenance.silences(clock.instant())).isEmpty();
  }

  @Test
  void aSilenceWhoseMatcherDiffersLetsTheAlertThrough() {
    AlertRouter r = router(true);
    maintenance.silence(new Silence("other-host", Map.of("host", "cobalt"), clock.instant().plus(Duration.ofHours(1))));
    assertThat(r.process("am", "r1", Payloads.json("alertmanager/zulip-alert.json"))).extracting(HistoryEntry::outcome)
        .containsOnly(Outcome.CREATED);
  }
}
