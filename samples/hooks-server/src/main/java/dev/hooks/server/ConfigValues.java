package dev.hooks.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes and durations as written in the YAML file. */
final class ConfigValues {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b?|b)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private ConfigValues() {}

  /**
   * Bytes of {@code 1048576}, {@code 512KB}, {@code 1MB}, {@code 1MiB}: K, M and G are powers of
   * 1024, as is usual for body limits.
   *
   * @throws ConfigException naming {@code key} if the value is not a size or is over 2 GiB
   */
  static int size(String value, String key) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new ConfigException(key + ": '" + value + "' is not a size; write bytes or a number with KB, MB or GB, such as 1MB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long bytes = switch (unit.charAt(0)) {
      case 'k' -> n << 10;
      case 'm' -> n << 20;
      case 'g' -> n << 30;
      default -> n;
    };
    if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
      throw new ConfigException(key + ": '" + value + "' must be between 1 byte and 2 GB");
    }
    return (int) bytes;
  }

  /**
   * A duration written {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d} or as ISO-8601,
   * such as {@code PT30S}.
   *
   * @throws ConfigException naming {@code key} if the value is not a duration
   */
  static Duration duration(String value, String key) {
    String v = value.trim();
    Matcher m = DURATION.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new ConfigException(key + ": '" + value + "' is not a duration; write it like 500ms, 2s, 5m or 1h");
    }
  }
}
