package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.ParseFailure;
import dev.hooks.parsers.internal.Parsing;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses webhooks of Gitea and of its relatives Forgejo and Gogs, whose payloads have GitHub's
 * shape. The provider key is the flavour made: {@code gitea} ({@link #GiteaPayloadParser()}),
 * {@code forgejo} ({@link #forgejo()}) or {@code gogs} ({@link #gogs()}).
 *
 * <p>The event name comes from the flavour's header ({@code X-Gitea-Event}, {@code
 * X-Forgejo-Event}, {@code X-Gogs-Event}), else from any of the others, which these servers also
 * send; the id from the matching {@code -Delivery} header, else the content hash.
 *
 * <table>
 *   <caption>Normalization (as {@link GitHubPayloadParser})</caption>
 *   <tr><th>event</th><th>type</th><th>action</th></tr>
 *   <tr><td>push</td><td>push, or tag for refs/tags/*</td><td>created or deleted (from the zero
 *       commit id), else absent</td></tr>
 *   <tr><td>create, delete</td><td>tag or push (ref_type)</td><td>created, deleted</td></tr>
 *   <tr><td>pull_request</td><td>pull_request</td><td>opened, reopened, closed; closed and merged is
 *       merged; any other updated</td></tr>
 *   <tr><td>issues</td><td>issue</td><td>opened, closed, reopened, deleted, else updated</td></tr>
 *   <tr><td>release</td><td>release</td><td>created, published, deleted, else updated</td></tr>
 *   <tr><td>any other</td><td>custom</td><td>the payload's action</td></tr>
 * </table>
 *
 * <p>Bodies are JSON, or form-encoded with the JSON in {@code payload}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * PayloadParser gitea = new GiteaPayloadParser();
 * PayloadParser forgejo = GiteaPayloadParser.forgejo();
 * }</pre>
 */
public final class GiteaPayloadParser implements PayloadParser {
  private static final Set<String> MEDIA_TYPES = Set.of("application/json", "application/x-www-form-urlencoded");
  private static final List<String> FLAVOURS = List.of("Gitea", "Forgejo", "Gogs");

  private final String provider;
  private final String flavour;

  /** A parser for Gitea, provider key {@code gitea}. */
  public GiteaPayloadParser() {
    this("gitea", "Gitea");
  }

  private GiteaPayloadParser(String provider, String flavour) {
    this.provider = provider;
    this.flavour = flavour;
  }

  /** A parser for Forgejo, provider key {@code forgejo}. */
  public static GiteaPayloadParser forgejo() {
    return new GiteaPayloadParser("forgejo", "Forgejo");
  }

  /** A parser for Gogs, provider key {@code gogs}. */
  public static GiteaPayloadParser gogs() {
    return new GiteaPayloadParser("gogs", "Gogs");
  }

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(provider, () -> toEvent(delivery, GitHubPayloadParser.readBody(delivery)));
  }

  @Override
  public Set<String> mediaTypes() {
    return MEDIA_TYPES;
  }

  @Override
  public String toString() {
    return "GiteaPayloadParser[" + provider + "]";
  }

  private WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    String event = Parsing.header(delivery, "X-" + flavour + "-Event");
    String idHeader = "X-" + flavour + "-Delivery";
    for (String other : FLAVOURS) {
      if (event == null && Parsing.header(delivery, "X-" + other + "-Event") != null) {
        event = Parsing.header(delivery, "X-" + other + "-Event");
        idHeader = "X-" + other + "-Delivery";
      }
    }
    if (event == null) {
      throw new ParseFailure("missing header X-" + flavour + "-Event");
    }
    String id = DeliveryIds.fromHeaderOrHash(delivery, idHeader);
    String name = event.toLowerCase(Locale.ROOT);
    WebhookEvent.Builder b =
        switch (name) {
          case "push" -> GitHubPayloadParser.push(delivery, id, provider, root);
          case "create", "delete" -> GitHubPayloadParser.refChange(delivery, id, provider, root, name);
          case "pull_request" -> GitHubPayloadParser.pullRequest(delivery, id, root);
          case "issues" -> GitHubPayloadParser.issue(delivery, id, root);
          case "release" -> GitHubPayloadParser.release(delivery, id, root);
          default -> Parsing.event(delivery, id, provider, "custom", root)
              .action(Json.text(root, "action"))
              .severity(Severity.INFO);
        };
    return b.provider(provider)
        .sourceEvent(event)
        .repository(Json.text(root, "repository", "full_name"))
        .actor(Json.first(Json.text(root, "sender", "login"), Json.text(root, "sender", "username"),
            Json.text(root, "pusher", "login"), Json.text(root, "pusher", "username")))
        .build();
  }
}
