package dev.hooks.event;

import java.util.Locale;

/**
 * A severity normalized across providers, most severe first. The provider's own word stays in
 * {@link WebhookEvent#status()} or the attributes.
 */
public enum Severity {
  CRITICAL,
  ERROR,
  WARNING,
  INFO,
  /** Good news: recovered, resolved, up, succeeded. */
  OK,
  /** The provider said nothing that maps to a severity. */
  UNKNOWN;

  /**
   * Maps a provider's word to a severity: Zabbix (disaster, high, average, warning,
   * information, not classified), Alertmanager/Grafana labels (critical, error, warning, info),
   * Datadog priorities (P1 to P5), PagerDuty (critical, error, warning, info) and common words.
   * Unrecognized words map to {@link #UNKNOWN}.
   */
  public static Severity parse(String word) {
    switch (word.trim().toLowerCase(Locale.ROOT)) {
      case "critical", "crit", "disaster", "fatal", "emergency", "emerg", "alert", "p1", "page", "5":
        return CRITICAL;
      case "error", "err", "high", "major", "p2", "4":
        return ERROR;
      case "warning", "warn", "average", "minor", "p3", "3", "2":
        return WARNING;
      case "info", "information", "informational", "notice", "low", "p4", "p5", "not classified", "1", "0":
        return INFO;
      case "ok", "resolved", "recovered", "up", "success", "succeeded", "normal":
        return OK;
      default:
        return UNKNOWN;
    }
  }
}
