package dev.hooks.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A value that a sender controls, made safe for one log line: CR, LF, tab and every other control
 * character (C0, DEL, C1 and the Unicode line and paragraph separators) are written as
 * {@code \n}, {@code \r}, {@code \t} or {@code \\uXXXX}, and a backslash as {@code \\}, so no
 * webhook value can end a line and forge the next one. The escaping happens in
 * {@link #toString()}, so a message that is not logged costs nothing. Immutable and thread-safe.
 *
 * <pre>{@code
 * LOG.debug("{} unparseable: {}", id, LogSafe.of(failure));
 * }</pre>
 */
public final class LogSafe {
  private final @Nullable Object value;

  private LogSafe(@Nullable Object value) {
    this.value = value;
  }

  /** Wraps {@code value}; null prints as {@code null}. */
  public static LogSafe of(@Nullable Object value) {
    return new LogSafe(value);
  }

  /** {@code value} with its control characters escaped; null gives {@code "null"}. */
  public static String escape(@Nullable Object value) {
    String s = String.valueOf(value);
    int i = 0;
    while (i < s.length() && !needsEscape(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (needsEscape(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || c == '\\' || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }

  @Override
  public String toString() {
    return escape(value);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LogSafe other && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value);
  }
}
