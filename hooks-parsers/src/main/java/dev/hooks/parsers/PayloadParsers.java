package dev.hooks.parsers;

import dev.hooks.parse.PayloadParser;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes the parser for a provider name, as configuration files and properties name them, and the
 * {@link #detecting() detecting} parser that picks the provider of each delivery from its
 * headers.
 *
 * <table>
 *   <caption>Provider names and their options</caption>
 *   <tr><th>name</th><th>parser</th><th>options</th></tr>
 *   <tr><td>github</td><td>{@link GitHubPayloadParser}</td><td>none</td></tr>
 *   <tr><td>gitlab</td><td>{@link GitLabPayloadParser}</td><td>none</td></tr>
 *   <tr><td>bitbucket</td><td>{@link BitbucketPayloadParser} (Cloud and Server)</td><td>none</td></tr>
 *   <tr><td>gitea, forgejo, gogs</td><td>{@link GiteaPayloadParser}</td><td>none</td></tr>
 *   <tr><td>dockerhub</td><td>{@link DockerHubPayloadParser}</td><td>none</td></tr>
 *   <tr><td>docker</td><td>{@link DockerEventPayloadParser}</td><td>none</td></tr>
 *   <tr><td>autoheal</td><td>{@link AutohealPayloadParser}</td><td>{@code key}: the JSON key of the
 *       sentence ({@code WEBHOOK_JSON_KEY}); without it {@code text}, else {@code content}</td></tr>
 *   <tr><td>jenkins</td><td>{@link JenkinsPayloadParser}</td><td>none</td></tr>
 *   <tr><td>circleci</td><td>{@link CircleCiPayloadParser}</td><td>none</td></tr>
 *   <tr><td>uptime-kuma</td><td>{@link UptimeKumaPayloadParser}</td><td>none</td></tr>
 *   <tr><td>zabbix</td><td>{@link ZabbixPayloadParser}</td><td>none</td></tr>
 *   <tr><td>grafana</td><td>{@link GrafanaPayloadParser}</td><td>none</td></tr>
 *   <tr><td>alertmanager</td><td>{@link AlertmanagerPayloadParser}</td><td>none</td></tr>
 *   <tr><td>datadog</td><td>{@link JsonPathMappedPayloadParser} with provider {@code datadog}: trigger
 *       {@code $.alert_transition} (open Triggered, Re-Triggered, Warn, Re-Warn, No Data, Re-No
 *       Data; close Recovered), summary {@code $.title}, description {@code $.body}, severity
 *       {@code $.priority}, customer {@code $.org.name}</td><td>any {@code jsonpath} option,
 *       replacing the default</td></tr>
 *   <tr><td>supervisor</td><td>{@link SupervisorPayloadParser}</td><td>none</td></tr>
 *   <tr><td>jsonpath</td><td>{@link JsonPathMappedPayloadParser#fromOptions}</td><td>{@code summary},
 *       {@code description}, {@code subject}, {@code customer}, {@code severity}, {@code status},
 *       {@code trigger}, {@code open}, {@code close}, {@code provider}, {@code type}, {@code
 *       id-header}</td></tr>
 *   <tr><td>generic</td><td>{@link GenericJsonPayloadParser}</td><td>{@code type}, {@code id-header}</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * PayloadParser github = PayloadParsers.forProvider("github", Map.of());
 * PayloadParser any = PayloadParsers.detecting();
 * }</pre>
 */
public final class PayloadParsers {
  /** The default mapping of provider {@code datadog}; see the table above. */
  static final Map<String, String> DATADOG = Map.of(
      "provider", "datadog", "type", "alert",
      "trigger", "$.alert_transition", "open", "Triggered, Re-Triggered, Warn, Re-Warn, No Data, Re-No Data",
      "close", "Recovered",
      "summary", "$.title", "description", "$.body", "severity", "$.priority",
      "customer", "$.org.name");

  private PayloadParsers() {}

  /**
   * The parser for {@code provider}, configured by {@code options}.
   *
   * @param provider a provider name from the table above, case-insensitive
   * @param options the provider's options; unknown keys are rejected
   * @throws ParserConfigurationException if the provider is unknown, an option is unknown, or an
   *     option's value is invalid; the message names it
   * @throws NullPointerException if an argument is null
   */
  public static PayloadParser forProvider(String provider, Map<String, String> options) {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(options, "options");
    String name = provider.trim().toLowerCase(Locale.ROOT);
    switch (name) {
      case "github":
        noOptions(name, options);
        return new GitHubPayloadParser();
      case "gitlab":
        noOptions(name, options);
        return new GitLabPayloadParser();
      case "bitbucket":
        noOptions(name, options);
        return new BitbucketPayloadParser();
      case "gitea":
        noOptions(name, options);
        return new GiteaPayloadParser();
      case "forgejo":
        noOptions(name, options);
        return GiteaPayloadParser.forgejo();
      case "gogs":
        noOptions(name, options);
        return GiteaPayloadParser.gogs();
      case "dockerhub":
        noOptions(name, options);
        return new DockerHubPayloadParser();
      case "docker":
        noOptions(name, options);
        return new DockerEventPayloadParser();
      case "autoheal":
        allowOnly(name, options, "key");
        return options.containsKey("key") ? new AutohealPayloadParser(nonBlank(name, options, "key", "text"))
            : new AutohealPayloadParser();
      case "jenkins":
        noOptions(name, options);
        return new JenkinsPayloadParser();
      case "circleci":
        noOptions(name, options);
        return new CircleCiPayloadParser();
      case "uptime-kuma", "uptimekuma":
        noOptions(name, options);
        return new UptimeKumaPayloadParser();
      case "zabbix":
        noOptions(name, options);
        return new ZabbixPayloadParser();
      case "grafana":
        noOptions(name, options);
        return new GrafanaPayloadParser();
      case "alertmanager":
        noOptions(name, options);
        return new AlertmanagerPayloadParser();
      case "supervisor":
        noOptions(name, options);
        return new SupervisorPayloadParser();
      case "jsonpath":
        return JsonPathMappedPayloadParser.fromOptions(options);
      case "datadog": {
        // Datadog posts whatever its webhook template says; these are the keys of the template in
        // Datadog's integration docs (ilert, incident tools); any of them can be overridden
        Map<String, String> mapping = new java.util.LinkedHashMap<>(DATADOG);
        mapping.putAll(options);
        return JsonPathMappedPayloadParser.fromOptions(mapping);
      }
      case "generic":
        allowOnly(name, options, "type", "id-header");
        return new GenericJsonPayloadParser(
            nonBlank(name, options, "type", "custom"), options.containsKey("id-header")
                ? nonBlank(name, options, "id-header", "") : null);
      default:
        throw new ParserConfigurationException(
            "unknown provider '" + provider + "'; use one of " + String.join(", ", providerNames()));
    }
  }

  /** The parser of {@code provider} with no options; see {@link #forProvider(String, Map)}. */
  public static PayloadParser forProvider(String provider) {
    return forProvider(provider, Map.of());
  }

  /**
   * A parser that picks the provider of each delivery, for an endpoint that several senders share
   * or whose sender is not known in advance. Thread-safe; share one. The rules, first match wins:
   *
   * <ol>
   *   <li>headers: {@code X-Forgejo-Event} → forgejo, {@code X-Gitea-Event} → gitea, {@code
   *       X-Gogs-Event} → gogs (these three also send {@code X-GitHub-Event}, so they are asked
   *       first), {@code X-GitHub-Event} → github, {@code X-Gitlab-Event} → gitlab, {@code
   *       X-Event-Key} → bitbucket (Cloud or Server), {@code Circleci-Event-Type} → circleci;
   *   <li>a {@code text/plain} body that starts with {@code ver:} → supervisor (supervisord's
   *       listener text, see {@link SupervisorListenerEvent});
   *   <li>a form-encoded body without those headers → supervisor (superhooks);
   *   <li>the JSON body's shape: {@code object_kind} and {@code project} → gitlab; {@code eventKey}
   *       with {@code changes} or {@code pullRequest} → bitbucket; {@code push_data} → dockerhub;
   *       {@code Type}, {@code Action} and {@code Actor} → docker; an autoheal sentence in {@code
   *       text} or {@code body} → autoheal; {@code alerts} and {@code groupKey} → grafana when
   *       {@code orgId} or {@code state} is present, else alertmanager; {@code heartbeat} and
   *       {@code monitor} → uptime-kuma; {@code build.phase} → jenkins; a {@code *-completed}
   *       {@code type} with {@code happened_at} → circleci; a {@code PROCESS_STATE_*} event name →
   *       supervisor;
   *   <li>anything else that is JSON → generic ({@link GenericJsonPayloadParser}).
   * </ol>
   *
   * <p>Zabbix, Datadog and other senders whose body is user-defined land in generic: give their
   * endpoint an explicit provider (or a {@code jsonpath} mapping) instead.
   */
  public static PayloadParser detecting() {
    return DetectingPayloadParser.INSTANCE;
  }

  /** The names {@link #forProvider(String, Map)} accepts, sorted. */
  public static List<String> providerNames() {
    return List.of("alertmanager", "autoheal", "bitbucket", "circleci", "datadog", "docker", "dockerhub", "forgejo", "generic",
        "gitea", "github", "gitlab", "gogs", "grafana", "jenkins", "jsonpath", "supervisor", "uptime-kuma",
        "zabbix");
  }

  static void noOptions(String provider, Map<String, String> options) {
    allowOnly(provider, options);
  }

  static void allowOnly(String provider, Map<String, String> options, String... allowed) {
    Set<String> unknown = new TreeSet<>(options.keySet());
    unknown.removeAll(Set.of(allowed));
    if (!unknown.isEmpty()) {
      throw new ParserConfigurationException(
          "provider '" + provider + "' has no option " + String.join(", ", unknown)
              + (allowed.length == 0 ? "; it takes none" : "; it takes " + String.join(", ", allowed)));
    }
  }

  static String nonBlank(String provider, Map<String, String> options, String key, String fallback) {
    String v = options.get(key);
    if (v == null) {
      return fallback;
    }
    if (v.isBlank()) {
      throw new ParserConfigurationException("provider '" + provider + "': option " + key + " must not be blank");
    }
    return v.trim();
  }
}
