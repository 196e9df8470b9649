package dev.hooks.parsers.internal;

import dev.hooks.event.EventActions;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
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
   * A CI status or conclusion (GitHub, GitLab, Jenkins, CircleCI) as an action of {@link
   * EventActions#OUTCOME}: queued, started, succeeded, failed, cancelled or skipped; null for a
   * word none of these providers documents.
   */
  public static @Nullable String ciAction(@Nullable String status) {
    if (status == null) {
      return null;
    }
    String s = status.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "success", "successful", "succeeded", "passed", "fixed", "neutral":
        return EventActions.SUCCEEDED;
      case "failure", "failed", "failing", "error", "errored", "broken", "still failing",
          "timed_out", "startup_failure", "infrastructure_fail", "unauthorized", "unstable":
        return EventActions.FAILED;
      case "cancelled", "canceled", "aborted", "canceling", "stale":
        return EventActions.CANCELLED;
      case "running", "in_progress", "started":
        return EventActions.STARTED;
      case "queued", "pending", "created", "waiting", "requested", "waiting_for_resource",
          "preparing", "scheduled", "on_hold", "manual", "action_required", "blocked":
        return EventActions.QUEUED;
      case "skipped", "not_run", "not_built":
        return EventActions.SKIPPED;
      default:
        return null;
    }
  }

  /**
   * The severity of a CI outcome: succeeded OK, failed ERROR (WARNING when the raw status is
   * {@code unstable}: tests failed, the build did not), cancelled WARNING, else INFO.
   */
  public static Severity ciSeverity(@Nullable String action, @Nullable String rawStatus) {
    if ("unstable".equalsIgnoreCase(rawStatus)) {
      return Severity.WARNING;
    }
    return ciSeverity(action);
  }

  /** The severity of a normalized CI action: succeeded OK, failed ERROR, cancelled WARNING. */
  public static Severity ciSeverity(@Nullable String action) {
    if (action == null) {
      return Severity.UNKNOWN;
    }
    switch (action) {
      case EventActions.SUCCEEDED:
        return Severity.OK;
      case EventActions.FAILED:
        return Severity.ERROR;
      case EventActions.CANCELLED:
        return Severity.WARNING;
      default:
        return Severity.INFO;
    }
  }

  /**
   * A pull or merge request's action in the vocabulary ({@link EventActions#PULL_REQUEST}), from
   * a provider word already in the past tense: opened, reopened, closed, merged, approved as they
   * are; declined, rejected, deleted and superseded are closed; every other word (synchronize,
   * edited, labeled...) is updated.
   */
  public static String pullRequestAction(String word) {
    return switch (word) {
      case "opened", "created" -> EventActions.OPENED;
      case "reopened" -> EventActions.REOPENED;
      case "closed", "declined", "rejected", "deleted", "superseded" -> EventActions.CLOSED;
      case "merged", "fulfilled" -> EventActions.MERGED;
      case "approved", "approval" -> EventActions.APPROVED;
      default -> EventActions.UPDATED;
    };
  }

  /** An issue's action: opened, closed, reopened, deleted as they are, anything else updated. */
  public static String issueAction(String word) {
    return switch (word) {
      case "opened", "created", "open" -> EventActions.OPENED;
      case "closed", "close" -> EventActions.CLOSED;
      case "reopened", "reopen" -> EventActions.REOPENED;
      case "deleted", "delete" -> EventActions.DELETED;
      default -> EventActions.UPDATED;
    };
  }

  /** A release's action: created, deleted; published, released, prereleased are published; else updated. */
  public static String releaseAction(String word) {
    return switch (word) {
      case "created", "create" -> EventActions.CREATED;
      case "published", "released", "prereleased" -> EventActions.PUBLISHED;
      case "deleted", "delete" -> EventActions.DELETED;
      default -> EventActions.UPDATED;
    };
  }

  /**
   * Sets {@code action} on {@code b}, and attribute {@value EventActions#SOURCE_ACTION} to the
   * provider's {@code word} when it differs, so that filters naming the provider's word match.
   */
  public static WebhookEvent.Builder action(WebhookEvent.Builder b, String action, @Nullable String word) {
    b.action(action);
    if (word != null && !word.equals(action)) {
      b.attribute(EventActions.SOURCE_ACTION, word);
    }
    return b;
  }

  /** The first line of a commit message, trimmed; null when there is none. */
  public static @Nullable String firstLine(@Nullable String message) {
    if (message == null) {
      return null;
    }
    String m = message.strip();
    int nl = m.indexOf('\n');
    String line = (nl < 0 ? m : m.substring(0, nl)).strip();
    return line.isEmpty() ? null : line;
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
