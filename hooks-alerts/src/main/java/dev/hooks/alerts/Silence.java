package dev.hooks.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A silence as Alertmanager's: matchers on labels or mapped fields ({@code alertname}, {@code
 * summary}, {@code company}, {@code severity}, {@code endpoint} or any label), each an exact value
 * or, written {@code ~regex}, a regular expression; all must match; it ends at {@code expiresAt}.
 *
 * @param id a name for history
 * @param matchers name → value or {@code ~regex}
 * @param expiresAt when it stops suppressing
 */
public record Silence(String id, Map<String, String> matchers, Instant expiresAt) {
  public Silence {
    Objects.requireNonNull(id, "id");
    matchers = Map.copyOf(matchers);
    Objects.requireNonNull(expiresAt, "expiresAt");
    for (Map.Entry<String, String> m : matchers.entrySet()) {
      if (m.getValue().startsWith("~")) {
        try {
          Pattern.compile(m.getValue().substring(1));
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new IllegalArgumentException("silence '" + id + "': matcher " + m.getKey() + " regex does not compile: " + e.getDescription(), e);
        }
      }
    }
  }

  /** Whether the silence is in force at {@code now} and every matcher matches {@code alert}. */
  public boolean silences(Alert alert, Instant now) {
    if (!now.isBefore(expiresAt)) {
      return false;
    }
    for (Map.Entry<String, String> m : matchers.entrySet()) {
      String v = value(alert, m.getKey());
      String want = m.getValue();
      boolean ok = v != null && (want.startsWith("~") ? Pattern.compile(want.substring(1)).matcher(v).matches() : want.equals(v));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String value(Alert a, String name) {
    return switch (name) {
      case "summary" -> a.summary();
      case "company" -> a.company();
      case "severity" -> a.severity();
      case "endpoint" -> a.endpointId();
      default -> a.labels().containsKey(name) ? a.labels().get(name) : a.fields().get(name);
    };
  }
}
