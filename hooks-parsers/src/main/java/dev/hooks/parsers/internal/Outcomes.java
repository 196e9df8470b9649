package dev.hooks.parsers.internal;

import dev.hooks.event.Severity;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Normalizes the status words of CI systems (GitHub Actions, GitLab CI, Jenkins, CircleCI) and of
 * git refs into the actions and severities of the event model.
 */
public final class Outcomes {
  /** The all-zero object id git hosts send for "no commit" (a created or deleted ref). */
  public static final String ZERO_SHA = "0000000000000000000000000000000000000000";

  private Outcomes() {}

  /**
   * A CI status or conclusion as an action: succeeded, failed, cancelled, started, queued,
   * skipped, or the word itself in lower case.
   */
  public static @Nullable String ciAction(@Nullable String status) {
    if (status == null) {
      return null;
    }
    String s = status.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "success", "successful", "succeeded", "passed", "fixed":
        return "succeeded";
      case "failure", "failed", "failing", "error", "errored", "broken", "still failing",
          "timed_out", "startup_failure", "infrastructure_fail", "unauthorized":
        return "failed";
      case "cancelled", "canceled", "aborted", "canceling":
        return "cancelled";
      case "running", "in_progress", "started":
        return "started";
      case "queued", "pending", "created", "waiting", "requested", "waiting_for_resource",
          "preparing", "scheduled", "not_run", "on_hold", "manual":
        return "queued";
      case "skipped", "neutral", "stale", "action_required", "not_built":
        return s.equals("not_built") ? "skipped" : s;
      case "unstable":
        return "unstable";
      default:
        return s;
    }
  }

  /** The severity of a normalized CI action: succeeded OK, failed ERROR, unstable WARNING. */
  public static Severity ciSeverity(@Nullable String action) {
    if (action == null) {
      return Severity.UNKNOWN;
    }
    switch (action) {
      case "succeeded":
        return Severity.OK;
      case "failed":
        return Severity.ERROR;
      case "unstable", "cancelled":
        return Severity.WARNING;
      default:
        return Severity.INFO;
    }
  }

  /** Whether {@code sha} is absent or git's all-zero id. */
  public static boolean isZeroSha(@Nullable String sha) {
    if (sha == null || sha.isEmpty()) {
      return true;
    }
    for (int i = 0; i < sha.length(); i++) {
      if (sha.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  /** {@code refs/heads/main} → {@code main}; null when {@code ref} is not a branch ref. */
  public static @Nullable String branchOf(@Nullable String ref) {
    return ref != null && ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : null;
  }

  /** {@code refs/tags/v1} → {@code v1}; null when {@code ref} is not a tag ref. */
  public static @Nullable String tagOf(@Nullable String ref) {
    return ref != null && ref.startsWith("refs/tags/") ? ref.substring("refs/tags/".length()) : null;
  }
}
