package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.ParseFailure;
import java.util.Set;

/**
 * Picks the provider of each delivery by its headers and falls back on generic JSON. Made by
 * {@link PayloadParsers#detecting()}, where the rules are documented. Immutable and thread-safe.
 */
final class DetectingPayloadParser implements PayloadParser {
  static final DetectingPayloadParser INSTANCE = new DetectingPayloadParser();

  private static final Set<String> MEDIA_TYPES = Set.of("application/json", "application/x-www-form-urlencoded",
      "text/plain");

  private final GitHubPayloadParser github = new GitHubPayloadParser();
  private final GenericJsonPayloadParser generic = new GenericJsonPayloadParser();
  private final GitLabPayloadParser gitlab = new GitLabPayloadParser();
  private final BitbucketPayloadParser bitbucket = new BitbucketPayloadParser();
  private final GiteaPayloadParser gitea = new GiteaPayloadParser();
  private final GiteaPayloadParser forgejo = GiteaPayloadParser.forgejo();
  private final GiteaPayloadParser gogs = GiteaPayloadParser.gogs();
  private final DockerHubPayloadParser dockerhub = new DockerHubPayloadParser();
  private final DockerEventPayloadParser docker = new DockerEventPayloadParser();
  private final AutohealPayloadParser autoheal = new AutohealPayloadParser();
  private final CircleCiPayloadParser circleci = new CircleCiPayloadParser();
  private final JenkinsPayloadParser jenkins = new JenkinsPayloadParser();
  private final UptimeKumaPayloadParser uptimeKuma = new UptimeKumaPayloadParser();
  private final GrafanaPayloadParser grafana = new GrafanaPayloadParser();
  private final AlertmanagerPayloadParser alertmanager = new AlertmanagerPayloadParser();
  private final SupervisorPayloadParser supervisor = new SupervisorPayloadParser();

  private DetectingPayloadParser() {}

  @Override
  public ParseResult parse(Delivery delivery) {
    var h = delivery.headers();
    // Forgejo, Gitea and Gogs also send X-GitHub-Event: their own header decides first
    if (h.contains("X-Forgejo-Event")) {
      return forgejo.parse(delivery);
    }
    if (h.contains("X-Gitea-Event")) {
      return gitea.parse(delivery);
    }
    if (h.contains("X-Gogs-Event")) {
      return gogs.parse(delivery);
    }
    if (h.contains("X-GitHub-Event")) {
      return github.parse(delivery);
    }
    if (h.contains("X-Gitlab-Event")) {
      return gitlab.parse(delivery);
    }
    if (h.contains("X-Event-Key")) {
      return bitbucket.parse(delivery);
    }
    if (h.contains("Circleci-Event-Type")) {
      return circleci.parse(delivery);
    }
    if ("text/plain".equals(delivery.mediaType()) && SupervisorListenerEvent.looksLikeOne(delivery.body())) {
      // supervisord's own listener text: a "ver:3.0 server:supervisor ..." header line
      return supervisor.parse(delivery);
    }
    if ("application/x-www-form-urlencoded".equals(delivery.mediaType())) {
      // the only form-encoded senders without a telling header: superhooks (supervisor)
      return supervisor.parse(delivery);
    }
    JsonNode root;
    try {
      root = Json.read(delivery.body());
    } catch (ParseFailure f) {
      return ParseResult.failed(f.reason());
    }
    return byShape(delivery, root);
  }

  /** For senders without a telling header: recognizes a body by fields only its provider sends. */
  private ParseResult byShape(Delivery delivery, JsonNode root) {
    if (root.isObject()) {
      if (root.has("object_kind") && root.has("project")) {
        return gitlab.parse(delivery, root);
      }
      if (root.path("eventKey").isTextual() && (root.has("changes") || root.has("pullRequest"))) {
        return bitbucket.parse(delivery, root);
      }
      if (root.path("push_data").isObject() && root.path("repository").has("repo_name")) {
        return dockerhub.parse(delivery, root);
      }
      if (root.path("Actor").isObject() && root.path("Action").isTextual()) {
        return docker.parse(delivery, root);
      }
      if (isAutohealNotice(root)) {
        return autoheal.parse(delivery, root);
      }
      if (root.path("alerts").isArray() && root.has("groupKey")) {
        // Grafana adds orgId and state to Alertmanager's shape
        return root.has("orgId") || root.has("state") ? grafana.parse(delivery, root) : alertmanager.parse(delivery, root);
      }
      if (root.has("heartbeat") && root.has("monitor")) {
        return uptimeKuma.parse(delivery, root);
      }
      if (root.path("build").isObject() && root.path("build").has("phase")) {
        return jenkins.parse(delivery, root);
      }
      if (root.path("type").asText("").endsWith("-completed") && root.has("happened_at")) {
        return circleci.parse(delivery, root);
      }
      if (root.path("event_name").asText("").startsWith("PROCESS_STATE_")
          || root.path("eventname").asText("").startsWith("PROCESS_STATE_")) {
        return supervisor.parse(delivery, root);
      }
    }
    return generic.parse(delivery, root);
  }

  private static boolean isAutohealNotice(JsonNode root) {
    String text = root.path("text").isTextual() ? root.path("text").textValue() : root.path("body").asText("");
    return text.startsWith("Container ") && text.contains(" found to be unhealthy");
  }

  @Override
  public Set<String> mediaTypes() {
    return MEDIA_TYPES;
  }

  @Override
  public String toString() {
    return "PayloadParsers.detecting()";
  }
}
