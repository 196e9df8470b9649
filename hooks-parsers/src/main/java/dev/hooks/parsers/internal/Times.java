package dev.hooks.parsers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
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
    Instant iso = strictIso(t);
    if (iso != null) {
      return iso;
    }
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

  /**
   * The form nearly every provider sends, {@code 2015-05-05T19:40:15-04:00} or
   * {@code 2023-03-22T20:24:26.406Z}, read without a formatter: it sits on the request path of
   * every push. Null for anything else, which the formatters then try.
   */
  static @Nullable Instant strictIso(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    int i = 19;
    int nanos = 0;
    if (t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && isAsciiDigit(t.charAt(i))) {
        nanos = nanos * 10 + (t.charAt(i) - '0');
        i++;
      }
      if (i == start) {
        return null;
      }
      for (int k = i - start; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && t.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, i + 3);
      int om = digits(t, i + 4, i + 6);
      if (oh < 0 || om < 0 || oh > 18 || om > 59) {
        return null;
      }
      offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    } catch (DateTimeException e) {
      return null; // such as February 30
    }
  }

  /** The non-negative number in {@code t[from, to)}, or -1 if any character is not a digit. */
  private static int digits(String t, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (!isAsciiDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** 0 to 9 only: {@link Character#isDigit} also accepts other scripts' digits, which java.time refuses. */
  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
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
