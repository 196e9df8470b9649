package dev.hooks.parsers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import org.jspecify.annotations.Nullable;

/**
 * Lenient instant readers for the time formats providers send. A time the reader does not
 * understand is absent, never a failure: {@code occurredAt} is informative.
 */
public final class Times {
  // GitLab: "2016-08-12 15:23:28 UTC" and "2021-02-23 02:41:37 +0000"
  private static final DateTimeFormatter SPACED_ZONED =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
          .appendLiteral(' ')
          .optionalStart().appendLiteral("UTC").optionalEnd()
          .optionalStart().appendOffset("+HHMM", "+0000").optionalEnd()
          .toFormatter();
  // Bitbucket Server: "2017-09-19T09:45:32+1000"
  private static final DateTimeFormatter COMPACT_OFFSET =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .appendOffset("+HHMM", "Z")
          .toFormatter();
  // Uptime Kuma heartbeat time, in UTC: "2023-03-22 20:24:26.406"
  private static final DateTimeFormatter SPACED_LOCAL =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
          .toFormatter();

  private Times() {}

  /** An ISO-8601 instant or offset date-time, the GitLab and Bitbucket Server forms, or null. */
  public static @Nullable Instant parse(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return OffsetDateTime.parse(t, COMPACT_OFFSET).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    if (t.endsWith(" UTC")) {
      try {
        return LocalDateTime.parse(t.substring(0, t.length() - 4), SPACED_LOCAL).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException ignored) {
        return null;
      }
    }
    try {
      return OffsetDateTime.parse(t, SPACED_ZONED).toInstant();
    } catch (DateTimeParseException ignored) {
      return null;
    }
  }

  /** A local date-time without offset ({@code "2023-03-22 20:24:26.406"}) read as UTC, or null. */
  public static @Nullable Instant parseUtc(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Instant zoned = parse(text);
    if (zoned != null) {
      return zoned;
    }
    try {
      return LocalDateTime.parse(text.trim(), SPACED_LOCAL).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /** Epoch seconds as a number or numeric string, or null. */
  public static @Nullable Instant epochSeconds(JsonNode n) {
    if (n.isIntegralNumber() || (n.isNumber() && n.canConvertToLong())) {
      return safeSeconds(n.asLong());
    }
    if (n.isTextual()) {
      try {
        return safeSeconds(Long.parseLong(n.textValue().trim()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** Epoch milliseconds as a number or numeric string, or null. */
  public static @Nullable Instant epochMillis(JsonNode n) {
    long ms;
    if (n.isNumber()) {
      ms = n.asLong();
    } else if (n.isTextual()) {
      try {
        ms = Long.parseLong(n.textValue().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    try {
      return Instant.ofEpochMilli(ms);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A JSON node holding either an ISO string or epoch seconds, or null. */
  public static @Nullable Instant isoOrEpochSeconds(JsonNode n) {
    return n.isTextual() && !n.textValue().trim().chars().allMatch(Character::isDigit)
        ? parse(n.textValue())
        : epochSeconds(n);
  }

  private static @Nullable Instant safeSeconds(long s) {
    try {
      return Instant.ofEpochSecond(s);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
