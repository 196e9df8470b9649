package dev.hooks.event;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The closed vocabulary of {@link WebhookEvent#type()}: the same words for every provider, so that
 * one route ("CI failed → Discord") covers GitHub Actions, GitLab CI, Jenkins and CircleCI alike.
 * The provider's own event name stays in {@link WebhookEvent#sourceEvent()}; the actions each type
 * takes are in {@link EventActions}.
 *
 * <table>
 *   <caption>Types</caption>
 *   <tr><th>type</th><th>what</th><th>actions</th></tr>
 *   <tr><td>{@code push}</td><td>commits pushed to a branch</td><td>created, deleted, forced, or none</td></tr>
 *   <tr><td>{@code tag}</td><td>a tag pushed, created or deleted</td><td>as push</td></tr>
 *   <tr><td>{@code pull_request}</td><td>a pull or merge request</td><td>opened, updated, approved, closed, merged, reopened</td></tr>
 *   <tr><td>{@code release}</td><td>a release</td><td>created, published, updated, deleted</td></tr>
 *   <tr><td>{@code issue}</td><td>an issue</td><td>opened, updated, closed, reopened, deleted</td></tr>
 *   <tr><td>{@code ping}</td><td>a sender's hello when a hook is made</td><td>none</td></tr>
 *   <tr><td>{@code ci.pipeline}</td><td>a workflow, pipeline or build as a whole</td><td>queued, started, succeeded, failed, cancelled, skipped</td></tr>
 *   <tr><td>{@code ci.job}</td><td>one job or stage of a pipeline</td><td>as ci.pipeline</td></tr>
 *   <tr><td>{@code commit_status}</td><td>a status set on a commit</td><td>as ci.pipeline</td></tr>
 *   <tr><td>{@code deployment}</td><td>a deployment to an environment</td><td>as ci.pipeline</td></tr>
 *   <tr><td>{@code container}</td><td>a container's life</td><td>see {@link EventActions#CONTAINER}</td></tr>
 *   <tr><td>{@code image}</td><td>an image pushed, pulled, tagged...</td><td>see {@link EventActions#IMAGE}</td></tr>
 *   <tr><td>{@code alert}</td><td>an alert or monitor changing state</td><td>firing, resolved, test</td></tr>
 *   <tr><td>{@code process}</td><td>a supervised process changing state</td><td>starting, running, backoff, stopping, exited, stopped, fatal, unknown, or none</td></tr>
 *   <tr><td>{@code custom}</td><td>anything else (generic JSON, unknown provider events)</td><td>the sender's word</td></tr>
 * </table>
 *
 * <p>Words of earlier releases are accepted as aliases wherever a filter names a type ({@link
 * #resolve}): {@code workflow}, {@code pipeline} and {@code build} mean {@code ci.pipeline} ({@code
 * build} also {@code commit_status}), {@code job} means {@code ci.job}, {@code monitor} means
 * {@code alert}. They are deprecated and will be removed in a later release.
 *
 * <pre>{@code
 * Route ciFailed = Route.builder("ci-failed")
 *     .type(EventTypes.CI_PIPELINE).action(EventActions.FAILED)
 *     .handler(discord).build();
 * }</pre>
 */
public final class EventTypes {
  public static final String PUSH = "push";
  public static final String TAG = "tag";
  public static final String PULL_REQUEST = "pull_request";
  public static final String RELEASE = "release";
  public static final String ISSUE = "issue";
  public static final String PING = "ping";
  /** A CI workflow, pipeline or build as a whole. */
  public static final String CI_PIPELINE = "ci.pipeline";
  /** One job or stage of a CI pipeline. */
  public static final String CI_JOB = "ci.job";
  public static final String COMMIT_STATUS = "commit_status";
  public static final String DEPLOYMENT = "deployment";
  public static final String CONTAINER = "container";
  public static final String IMAGE = "image";
  /** Alerts and monitors: Alertmanager, Grafana, Zabbix, Datadog, Uptime Kuma. */
  public static final String ALERT = "alert";
  public static final String PROCESS = "process";
  /** Generic JSON and provider events outside this vocabulary. */
  public static final String CUSTOM = "custom";

  /** Every type of the vocabulary, in the order of the table above. */
  public static final Set<String> ALL = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(PUSH, TAG,
      PULL_REQUEST, RELEASE, ISSUE, PING, CI_PIPELINE, CI_JOB, COMMIT_STATUS, DEPLOYMENT, CONTAINER, IMAGE, ALERT, PROCESS,
      CUSTOM)));

  /** Deprecated words of earlier releases and the types they now are. */
  private static final Map<String, List<String>> ALIASES = Map.of(
      "workflow", List.of(CI_PIPELINE),
      "pipeline", List.of(CI_PIPELINE),
      "build", List.of(CI_PIPELINE, COMMIT_STATUS),
      "job", List.of(CI_JOB),
      "monitor", List.of(ALERT));

  private EventTypes() {}

  /** Whether {@code type} is a word of this vocabulary (aliases are not). */
  public static boolean isKnown(String type) {
    return ALL.contains(type);
  }

  /** Whether {@code word} is a deprecated word of an earlier release. */
  public static boolean isAlias(String word) {
    return ALIASES.containsKey(word);
  }

  /**
   * The types a filter naming {@code word} matches: the word itself, and for a deprecated alias
   * also the types it now means ({@code build} → build, ci.pipeline, commit_status).
   *
   * @throws NullPointerException if {@code word} is null
   */
  public static Set<String> resolve(String word) {
    Objects.requireNonNull(word, "word");
    List<String> now = ALIASES.get(word);
    if (now == null) {
      return Set.of(word);
    }
    Set<String> out = new LinkedHashSet<>();
    out.add(word);
    out.addAll(now);
    return Collections.unmodifiableSet(out);
  }
}
