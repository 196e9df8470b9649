package dev.hooks.alerts;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A maintenance window: daily, weekly (on some days) or once (on a date), from {@code start} to
 * {@code end} local time in a named zone. An end before the start spans midnight (22:00 → 04:00):
 * the window opens on its day and closes the next. Evaluated on an {@link Instant} (UTC), so a
 * DST change shifts the window with the zone's wall clock. Immutable and thread-safe.
 */
public final class MaintenanceWindow {
  /** How a window repeats. */
  public enum Kind { DAILY, WEEKLY, ONCE }

  private final String name;
  private final Kind kind;
  private final ZoneId zone;
  private final LocalTime start;
  private final LocalTime end;
  private final Set<DayOfWeek> days;
  private final @Nullable LocalDate date;

  private MaintenanceWindow(String name, Kind kind, ZoneId zone, LocalTime start, LocalTime end, Set<DayOfWeek> days,
      @Nullable LocalDate date) {
    this.name = Objects.requireNonNull(name, "name");
    this.kind = kind;
    this.zone = Objects.requireNonNull(zone, "zone");
    this.start = Objects.requireNonNull(start, "start");
    this.end = Objects.requireNonNull(end, "end");
    this.days = Set.copyOf(days);
    this.date = date;
  }

  public static MaintenanceWindow daily(String name, ZoneId zone, LocalTime start, LocalTime end) {
    return new MaintenanceWindow(name, Kind.DAILY, zone, start, end, Set.of(), null);
  }

  /** @throws IllegalArgumentException if {@code days} is empty */
  public static MaintenanceWindow weekly(String name, ZoneId zone, Set<DayOfWeek> days, LocalTime start, LocalTime end) {
    if (days.isEmpty()) {
      throw new IllegalArgumentException("weekly maintenance window '" + name + "' has no days; list them, such as days: [SATURDAY]");
    }
    return new MaintenanceWindow(name, Kind.WEEKLY, zone, start, end, days, null);
  }

  public static MaintenanceWindow once(String name, ZoneId zone, LocalDate date, LocalTime start, LocalTime end) {
    return new MaintenanceWindow(name, Kind.ONCE, zone, start, end, Set.of(), Objects.requireNonNull(date, "date"));
  }

  public String name() {
    return name;
  }

  /** Whether {@code instant} falls in the window. */
  public boolean contains(Instant instant) {
    ZonedDateTime local = instant.atZone(zone);
    LocalDate today = local.toLocalDate();
    // a window opened yesterday that spans midnight, or one that opened today
    return openOn(today.minusDays(1), instant) || openOn(today, instant);
  }

  private boolean openOn(LocalDate day, Instant instant) {
    boolean applies = switch (kind) {
      case DAILY -> true;
      case WEEKLY -> days.contains(day.getDayOfWeek());
      case ONCE -> day.equals(date);
    };
    if (!applies) {
      return false;
    }
    Instant from = ZonedDateTime.of(day, start, zone).toInstant();
    LocalDate endDay = end.isAfter(start) ? day : day.plusDays(1);
    Instant to = ZonedDateTime.of(endDay, end, zone).toInstant();
    return !instant.isBefore(from) && instant.isBefore(to);
  }

  @Override
  public String toString() {
    return "window " + name + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + start + "-" + end + " " + zone + ")";
  }
}
