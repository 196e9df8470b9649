package dev.hooks.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Windows evaluated on instants (UTC), in a named zone, across midnight, week and DST boundaries. */
class MaintenanceWindowTest {
  private static final ZoneId VIENNA = ZoneId.of("Europe/Vienna");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void anOvernightDailyWindowSpansMidnight() {
    MaintenanceWindow w = MaintenanceWindow.daily("nightly", ZoneId.of("UTC"), LocalTime.of(22, 0), LocalTime.of(4, 0));
    assertThat(w.contains(at("2026-03-10T21:59:59Z"))).isFalse();
    assertThat(w.contains(at("2026-03-10T22:00:00Z"))).isTrue();
    assertThat(w.contains(at("2026-03-10T23:59:59Z"))).isTrue();
    assertThat(w.contains(at("2026-03-11T00:00:00Z"))).isTrue();
    assertThat(w.contains(at("2026-03-11T03:59:59Z"))).isTrue();
    assertThat(w.contains(at("2026-03-11T04:00:00Z"))).isFalse();
    assertThat(w.contains(at("2026-03-11T12:00:00Z"))).isFalse();
  }

  @Test
  void aWindowInANamedZoneIsEvaluatedInUtc() {
    // 22:00-04:00 Vienna in winter (UTC+1) is 21:00-03:00 UTC
    MaintenanceWindow w = MaintenanceWindow.daily("nightly", VIENNA, LocalTime.of(22, 0), LocalTime.of(4, 0));
    assertThat(w.contains(at("2026-01-15T20:59:00Z"))).isFalse();
    assertThat(w.contains(at("2026-01-15T21:00:00Z"))).isTrue();
    assertThat(w.contains(at("2026-01-16T02:59:00Z"))).isTrue();
    assertThat(w.contains(at("2026-01-16T03:00:00Z"))).isFalse();
  }

  @Test
  void aWeeklyOvernightWindowOpensOnItsDayAndEndsOnTheNext() {
    // Sunday 23:00 → Monday 02:00 UTC: crosses the week boundary
    MaintenanceWindow w = MaintenanceWindow.weekly("patch", ZoneId.of("UTC"), Set.of(DayOfWeek.SUNDAY), LocalTime.of(23, 0),
        LocalTime.of(2, 0));
    assertThat(w.contains(at("2026-03-08T23:30:00Z"))).isTrue(); // Sunday
    assertThat(w.contains(at("2026-03-09T01:59:00Z"))).isTrue(); // Monday, still Sunday's window
    assertThat(w.contains(at("2026-03-09T02:00:00Z"))).isFalse();
    assertThat(w.contains(at("2026-03-09T23:30:00Z"))).isFalse(); // Monday night: not a window day
    assertThat(w.contains(at("2026-03-07T23:30:00Z"))).isFalse(); // Saturday
  }

  @Test
  void aWindowFollowsTheWallClockAcrossSpringForward() {
    // US DST begins 2026-03-08 at 02:00 local: 01:00-05:00 New York is 06:00-10:00 UTC on Saturday, 06:00-09:00 UTC on Sunday
    MaintenanceWindow w = MaintenanceWindow.daily("early", NEW_YORK, LocalTime.of(1, 0), LocalTime.of(5, 0));
    assertThat(w.contains(at("2026-03-07T09:30:00Z"))).isTrue();
    assertThat(w.contains(at("2026-03-08T05:59:00Z"))).isFalse();
    assertThat(w.contains(at("2026-03-08T06:00:00Z"))).isTrue();
    assertThat(w.contains(at("2026-03-08T08:59:00Z"))).isTrue();
    assertThat(w.contains(at("2026-03-08T09:00:00Z"))).isFalse(); // 05:00 EDT
  }

  @Test
  void aWindowFollowsTheWallClockAcrossFallBack() {
    // EU DST ends 2026-10-25 at 03:00 CEST → 02:00 CET: 22:00-04:00 Vienna from Saturday is 20:00 UTC → 03:00 UTC (7 hours)
    MaintenanceWindow w = MaintenanceWindow.daily("nightly", VIENNA, LocalTime.of(22, 0), LocalTime.of(4, 0));
    assertThat(w.contains(at("2026-10-24T19:59:00Z"))).isFalse();
    assertThat(w.contains(at("2026-10-24T20:00:00Z"))).isTrue();
    assertThat(w.contains(at("2026-10-25T02:59:00Z"))).isTrue();
    assertThat(w.contains(at("2026-10-25T03:00:00Z"))).isFalse();
    // the next night is in winter time: 21:00 UTC
    assertThat(w.contains(at("2026-10-25T20:30:00Z"))).isFalse();
    assertThat(w.contains(at("2026-10-25T21:00:00Z"))).isTrue();
  }

  @Test
  void aOnceWindowAppliesOnlyOnItsDate() {
    MaintenanceWindow w = MaintenanceWindow.once("migration", ZoneId.of("UTC"), LocalDate.of(2026, 12, 31), LocalTime.of(23, 0),
        LocalTime.of(1, 0));
    assertThat(w.contains(at("2026-12-31T23:00:00Z"))).isTrue();
    assertThat(w.contains(at("2027-01-01T00:30:00Z"))).isTrue(); // across the year boundary
    assertThat(w.contains(at("2027-01-01T01:00:00Z"))).isFalse();
    assertThat(w.contains(at("2027-12-31T23:30:00Z"))).isFalse();
    assertThat(w.contains(at("2026-12-30T23:30:00Z"))).isFalse();
  }

  @Test
  void aWeeklyWindowWithoutDaysIsRefused() {
    assertThatThrownBy(() -> MaintenanceWindow.weekly("w", VIENNA, Set.of(), LocalTime.NOON, LocalTime.MIDNIGHT))
        .hasMessageContaining("weekly maintenance window 'w' has no days");
  }
}
