package dev.hooks.event;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The closed vocabulary of {@link WebhookEvent#action()}, per {@link EventTypes type}. The outcome
 * of CI, deployment and alert events is always in the action ({@code failed}, {@code resolved});
 * {@link WebhookEvent#status()} keeps the provider's raw word ({@code failure}, {@code FAILURE},
 * {@code canceled}, {@code 0}) and {@link WebhookEvent#severity()} the normalized severity.
 *
 * <p>Where the vocabulary folds several provider words into one (GitHub's {@code synchronize} and
 * {@code labeled} are both {@code updated}), the parser keeps the provider's word in attribute
 * {@value #SOURCE_ACTION}, and a filter naming that word still matches.
 *
 * <table>
 *   <caption>Actions per type</caption>
 *   <tr><th>type</th><th>actions</th><th>absent allowed</th></tr>
 *   <tr><td>push, tag</td><td>{@link #GIT_REF}: created, deleted, forced</td><td>yes: a plain push</td></tr>
 *   <tr><td>pull_request</td><td>{@link #PULL_REQUEST}: opened, updated, approved, closed, merged, reopened</td><td>no</td></tr>
 *   <tr><td>release</td><td>{@link #RELEASE}: created, published, updated, deleted</td><td>no</td></tr>
 *   <tr><td>issue</td><td>{@link #ISSUE}: opened, updated, closed, reopened, deleted</td><td>no</td></tr>
 *   <tr><td>ping</td><td>none</td><td>always absent</td></tr>
 *   <tr><td>ci.pipeline, ci.job, commit_status, deployment</td><td>{@link #OUTCOME}: queued, started,
 *       succeeded, failed, cancelled, skipped</td><td>no</td></tr>
 *   <tr><td>container</td><td>{@link #CONTAINER}</td><td>no</td></tr>
 *   <tr><td>image</td><td>{@link #IMAGE}: pushed, pulled, tagged, untagged, deleted, updated</td><td>no</td></tr>
 *   <tr><td>alert</td><td>{@link #ALERT}: firing, resolved, test</td><td>no</td></tr>
 *   <tr><td>process</td><td>{@link #PROCESS}: supervisor's states in lower case</td><td>yes: events of no state</td></tr>
 *   <tr><td>custom</td><td>the sender's word</td><td>yes</td></tr>
 * </table>
 *
 * <p>Deprecated words of earlier releases, accepted by filters through {@link #resolve}: {@code
 * down} and {@code pending} (Uptime Kuma) mean {@code firing}, {@code up} and {@code maintenance}
 * mean {@code resolved}, {@code unstable} (Jenkins) means {@code failed}, {@code declined}
 * (Bitbucket) means {@code closed}, {@code requested} means {@code queued}.
 */
public final class EventActions {
  /** The attribute holding the provider's own action word when the vocabulary's differs. */
  public static final String SOURCE_ACTION = "source_action";

  public static final String CREATED = "created";
  public static final String DELETED = "deleted";
  public static final String FORCED = "forced";
  public static final String OPENED = "opened";
  public static final String UPDATED = "updated";
  public static final String APPROVED = "approved";
  public static final String CLOSED = "closed";
  public static final String MERGED = "merged";
  public static final String REOPENED = "reopened";
  public static final String PUBLISHED = "published";

  public static final String QUEUED = "queued";
  public static final String STARTED = "started";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";
  /** A CI job or pipeline that did not run (a rule, an earlier stage, a manual gate). */
  public static final String SKIPPED = "skipped";

  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";
  /** A test notification sent from the sender's settings page. */
  public static final String TEST = "test";

  public static final String STOPPED = "stopped";
  public static final String DIED = "died";
  public static final String KILLED = "killed";
  public static final String OOM = "oom";
  public static final String RESTARTED = "restarted";
  public static final String RESTARTING = "restarting";
  public static final String RESTART_FAILED = "restart_failed";
  public static final String UNHEALTHY = "unhealthy";
  public static final String HEALTHY = "healthy";
  public static final String PAUSED = "paused";
  public static final String UNPAUSED = "unpaused";
  public static final String DESTROYED = "destroyed";

  public static final String PUSHED = "pushed";
  public static final String PULLED = "pulled";
  public static final String TAGGED = "tagged";
  public static final String UNTAGGED = "untagged";

  /** Actions of push and tag events. */
  public static final Set<String> GIT_REF = ordered(CREATED, DELETED, FORCED);
  public static final Set<String> PULL_REQUEST = ordered(OPENED, UPDATED, APPROVED, CLOSED, MERGED, REOPENED);
  public static final Set<String> RELEASE = ordered(CREATED, PUBLISHED, UPDATED, DELETED);
  public static final Set<String> ISSUE = ordered(OPENED, UPDATED, CLOSED, REOPENED, DELETED);
  /** The outcome of CI pipelines and jobs, commit statuses and deployments. */
  public static final Set<String> OUTCOME = ordered(QUEUED, STARTED, SUCCEEDED, FAILED, CANCELLED, SKIPPED);
  /** Container events: Docker Engine's verbs in the past tense, and autoheal's. */
  public static final Set<String> CONTAINER = ordered(CREATED, STARTED, STOPPED, DIED, KILLED, OOM, RESTARTED,
      RESTARTING, RESTART_FAILED, UNHEALTHY, HEALTHY, PAUSED, UNPAUSED, DESTROYED, UPDATED);
  public static final Set<String> IMAGE = ordered(PUSHED, PULLED, TAGGED, UNTAGGED, DELETED, UPDATED);
  public static final Set<String> ALERT = ordered(FIRING, RESOLVED, TEST);
  /** Supervisor's process states, in lower case. */
  public static final Set<String> PROCESS = ordered("starting", "running", "backoff", "stopping", "exited", "stopped",
      "fatal", "unknown");

  private static final Map<String, Set<String>> BY_TYPE = Map.ofEntries(
      Map.entry(EventTypes.PUSH, GIT_REF), Map.entry(EventTypes.TAG, GIT_REF),
      Map.entry(EventTypes.PULL_REQUEST, PULL_REQUEST), Map.entry(EventTypes.RELEASE, RELEASE),
      Map.entry(EventTypes.ISSUE, ISSUE), Map.entry(EventTypes.PING, Set.of()),
      Map.entry(EventTypes.CI_PIPELINE, OUTCOME), Map.entry(EventTypes.CI_JOB, OUTCOME),
      Map.entry(EventTypes.COMMIT_STATUS, OUTCOME), Map.entry(EventTypes.DEPLOYMENT, OUTCOME),
      Map.entry(EventTypes.CONTAINER, CONTAINER), Map.entry(EventTypes.IMAGE, IMAGE),
      Map.entry(EventTypes.ALERT, ALERT), Map.entry(EventTypes.PROCESS, PROCESS));

  private static final Set<String> ACTION_OPTIONAL = Set.of(EventTypes.PUSH, EventTypes.TAG, EventTypes.PING,
      EventTypes.PROCESS, EventTypes.CUSTOM);

  private static final Map<String, String> ALIASES = Map.of(
      "down", FIRING, "pending", FIRING, "up", RESOLVED, "maintenance", RESOLVED,
      "unstable", FAILED, "declined", CLOSED, "requested", QUEUED);

  private EventActions() {}

  /**
   * The actions events of {@code type} take; empty for {@code ping}, and for {@code custom} and
   * types outside the vocabulary, whose action is the sender's word.
   */
  public static Set<String> forType(String type) {
    return BY_TYPE.getOrDefault(type, Set.of());
  }

  /**
   * Whether {@code action} (null for none) belongs to events of {@code type}: one of {@link
   * #forType}, or absent where the table above allows it; any action for {@code custom}.
   */
  public static boolean isValid(String type, @org.jspecify.annotations.Nullable String action) {
    if (EventTypes.CUSTOM.equals(type)) {
      return true;
    }
    if (action == null) {
      return ACTION_OPTIONAL.contains(type);
    }
    return forType(type).contains(action);
  }

  /** Whether {@code word} is a deprecated action word of an earlier release. */
  public static boolean isAlias(String word) {
    return ALIASES.containsKey(word);
  }

  /**
   * The actions a filter naming {@code word} matches: the word itself, and for a deprecated alias
   * also the action it now is ({@code down} → down, firing).
   *
   * @throws NullPointerException if {@code word} is null
   */
  public static Set<String> resolve(String word) {
    Objects.requireNonNull(word, "word");
    String now = ALIASES.get(word);
    return now == null ? Set.of(word) : ordered(word, now);
  }

  private static Set<String> ordered(String... words) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(words)));
  }
}
