package dev.hooks.endpoints;

import dev.hooks.parse.PayloadParser;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every provider name hooks knows, defined once: the server's YAML {@code provider:}, the hub's
 * run-time endpoints and the jobs resolve names here. Each {@link Provider} names its parser
 * (hooks-parsers), its default signature scheme (hooks-signatures), its delivery-id header and
 * its media types. Immutable and thread-safe; share {@link #standard()}.
 *
 * <table>
 *   <caption>The standard catalog</caption>
 *   <tr><th>provider</th><th>parser</th><th>default scheme</th><th>delivery id</th></tr>
 *   <tr><td>github, github-actions</td><td>github</td><td>github ({@code X-Hub-Signature-256: sha256=<hex>})</td><td>{@code X-GitHub-Delivery}</td></tr>
 *   <tr><td>gitlab, gitlab-ci</td><td>gitlab</td><td>gitlab ({@code X-Gitlab-Token}, or a signing token)</td><td>{@code X-Gitlab-Event-UUID}</td></tr>
 *   <tr><td>bitbucket</td><td>bitbucket</td><td>bitbucket ({@code X-Hub-Signature: sha256=<hex>})</td><td>{@code X-Request-UUID}</td></tr>
 *   <tr><td>bitbucket-server</td><td>bitbucket</td><td>bitbucket</td><td>{@code X-Request-Id}</td></tr>
 *   <tr><td>gitea, forgejo, gogs</td><td>gitea</td><td>gitea ({@code X-Gitea-Signature: <hex>})</td><td>{@code X-Gitea-Delivery}</td></tr>
 *   <tr><td>circleci</td><td>circleci</td><td>circleci ({@code circleci-signature: v1=<hex>})</td><td>the payload's {@code id}</td></tr>
 *   <tr><td>autoheal</td><td>autoheal</td><td>header-token ({@code X-Webhook-Token})</td><td>body and time</td></tr>
 *   <tr><td>docker, dockerhub, jenkins, uptime-kuma, zabbix, grafana, alertmanager, datadog,
 *       supervisor, generic, mapped</td><td>same name ({@code mapped}: {@code jsonpath})</td>
 *       <td>bearer ({@code Authorization: Bearer <secret>}): these senders sign nothing; set
 *       scheme {@code none} with {@code allowed-cidrs} where a header cannot be added</td><td>body hash</td></tr>
 * </table>
 *
 * <pre>{@code
 * ProviderCatalog catalog = ProviderCatalog.standard();
 * Provider p = catalog.require("bitbucket-server");
 * SignatureVerifier v = catalog.verifier(p, null, List.of(Secret.of(secret)), Map.of(), clock);
 * }</pre>
 */
public final class ProviderCatalog {
  private static final ProviderCatalog STANDARD = new ProviderCatalog(standardProviders());

  private final Map<String, Provider> providers;

  private ProviderCatalog(List<Provider> providers) {
    Map<String, Provider> m = new LinkedHashMap<>();
    for (Provider p : providers) {
      m.put(p.name(), p);
    }
    this.providers = java.util.Collections.unmodifiableMap(m);
  }

  /** The catalog of every provider hooks-parsers reads. */
  public static ProviderCatalog standard() {
    return STANDARD;
  }

  /** The provider names, in the order of the table above. */
  public List<String> names() {
    return List.copyOf(providers.keySet());
  }

  /** Every provider, in the order of {@link #names()}. */
  public Collection<Provider> providers() {
    return providers.values();
  }

  /** The provider of {@code name}, case-insensitive ({@code uptimekuma} and {@code jsonpath} are also read). */
  public Optional<Provider> find(String name) {
    Objects.requireNonNull(name, "name");
    String n = name.trim().toLowerCase(Locale.ROOT);
    n = switch (n) {
      case "uptimekuma" -> "uptime-kuma";
      case "jsonpath" -> "mapped";
      default -> n;
    };
    return Optional.ofNullable(providers.get(n));
  }

  /**
   * @throws IllegalArgumentException naming the known providers if {@code name} is not one
   */
  public Provider require(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException(
        "unknown provider '" + name + "'; use one of " + String.join(", ", names())));
  }

  /**
   * The verifier of an endpoint of {@code provider}: {@code scheme} if given, else the provider's
   * default scheme with its default options (explicit {@code options} are added to them, and
   * replace them when a scheme is given).
   *
   * @param scheme a hooks-signatures scheme name, or null for the provider's default
   * @throws IllegalArgumentException naming the fix for an unknown scheme or option, or missing secrets
   */
  public SignatureVerifier verifier(Provider provider, @org.jspecify.annotations.Nullable String scheme, List<Secret> secrets,
      Map<String, String> options, Clock clock) {
    Objects.requireNonNull(provider, "provider");
    if (scheme != null && !scheme.isBlank()) {
      return SignatureVerifiers.forScheme(scheme, secrets, options, clock);
    }
    Map<String, String> merged = new LinkedHashMap<>(provider.defaultSchemeOptions());
    merged.putAll(options);
    return SignatureVerifiers.forScheme(provider.defaultScheme(), secrets, merged, clock);
  }

  /** The parser of {@code provider} with no options; see {@link Provider#parser}. */
  public PayloadParser parser(String provider) {
    return require(provider).parser(Map.of());
  }

  private static List<Provider> standardProviders() {
    String github = "X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>";
    String gitlab = "X-Gitlab-Token: <secret>";
    String bitbucket = "X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>";
    return List.of(
        Provider.builder("github", "github").scheme("github", github).deliveryIdHeader("X-GitHub-Delivery").build(),
        Provider.builder("gitlab", "gitlab").scheme("gitlab", gitlab).deliveryIdHeader("X-Gitlab-Event-UUID").build(),
        Provider.builder("bitbucket", "bitbucket").scheme("bitbucket", bitbucket).deliveryIdHeader("X-Request-UUID").build(),
        Provider.builder("bitbucket-server", "bitbucket").scheme("bitbucket", bitbucket).deliveryIdHeader("X-Request-Id").build(),
        Provider.builder("gitea", "gitea").scheme("gitea", "X-Gitea-Signature: <hex HMAC-SHA256 of the body>")
            .deliveryIdHeader("X-Gitea-Delivery").build(),
        Provider.builder("forgejo", "forgejo").scheme("forgejo", "X-Forgejo-Signature: <hex HMAC-SHA256 of the body>")
            .deliveryIdHeader("X-Forgejo-Delivery").build(),
        Provider.builder("gogs", "gogs").scheme("gogs", "X-Gogs-Signature: <hex HMAC-SHA256 of the body>")
            .deliveryIdHeader("X-Gogs-Delivery").build(),
        Provider.builder("docker", "docker").build(),
        Provider.builder("dockerhub", "dockerhub").build(),
        // autoheal's WEBHOOK_SECRET travels in X-Webhook-Token (the autoheal listener's header)
        Provider.builder("autoheal", "autoheal").scheme("header-token", "X-Webhook-Token: <secret>")
            .schemeOption("header", "X-Webhook-Token").build(),
        // workflow_run and workflow_job deliveries of a GitHub webhook, signed as GitHub signs
        Provider.builder("github-actions", "github").scheme("github", github).deliveryIdHeader("X-GitHub-Delivery").build(),
        // pipeline and job hooks of a GitLab webhook, with GitLab's token
        Provider.builder("gitlab-ci", "gitlab").scheme("gitlab", gitlab).deliveryIdHeader("X-Gitlab-Event-UUID").build(),
        Provider.builder("jenkins", "jenkins").build(),
        Provider.builder("circleci", "circleci").scheme("circleci", "circleci-signature: v1=<hex HMAC-SHA256 of the body>").build(),
        Provider.builder("uptime-kuma", "uptime-kuma").build(),
        Provider.builder("zabbix", "zabbix").build(),
        Provider.builder("grafana", "grafana").build(),
        Provider.builder("alertmanager", "alertmanager").build(),
        Provider.builder("datadog", "datadog").build(),
        Provider.builder("supervisor", "supervisor").mediaTypes("application/x-www-form-urlencoded", "application/json").build(),
        Provider.builder("generic", "generic").build(),
        Provider.builder("mapped", "jsonpath").build());
  }
}
