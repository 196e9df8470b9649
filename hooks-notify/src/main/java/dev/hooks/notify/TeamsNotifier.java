package dev.hooks.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.notify.internal.HttpSend;
import dev.hooks.notify.internal.Json;
import dev.hooks.notify.internal.Texts;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Posts an Adaptive Card to a Microsoft Teams channel through a Workflows (Power Automate)
 * webhook, the successor of Office 365 connectors: {@code {"type": "message", "attachments":
 * [{"contentType": "application/vnd.microsoft.card.adaptive", "content": {...}}]}} with the title
 * as a bold TextBlock coloured by severity, the fields as a FactSet, the body as a wrapping
 * TextBlock, the footer subtle, and an {@code Action.OpenUrl} to the notification's link. The
 * body is cut at 20,000 characters to stay inside Teams' 28 KB message limit. A workflow answers
 * 202 (200 for some); 400, 401, 403 and 404 are permanent; 429 honours {@code Retry-After}. The
 * workflow URL's signature ({@code sig=}) never appears in logs. Immutable and thread-safe.
 *
 * <pre>{@code
 * TeamsNotifier teams = TeamsNotifier.builder("teams-ops", URI.create(System.getenv("TEAMS_WORKFLOW_URL"))).build();
 * }</pre>
 */
public final class TeamsNotifier implements Notifier {
  static final int BODY_LIMIT = 20_000;

  private final String name;
  private final URI workflow;
  private final OutboundPolicy policy;
  private final String redacted;

  private TeamsNotifier(Builder b) {
    this.name = b.name;
    this.policy = b.policy != null ? b.policy : OutboundPolicy.allowing("*.logic.azure.com", "*.powerplatform.com", "*.api.powerplatform.com");
    this.workflow = policy.requireAllowed(b.workflow, "Teams workflow");
    this.redacted = workflow.getScheme() + "://" + workflow.getAuthority() + workflow.getRawPath() + (workflow.getRawQuery() == null ? "" : "?****");
  }

  public static Builder builder(String name, URI workflowUrl) {
    return new Builder(name, workflowUrl);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<RenderedMessage> render(Notification n) {
    ObjectNode root = Json.object().put("type", "message");
    ObjectNode attachment = root.putArray("attachments").addObject()
        .put("contentType", "application/vnd.microsoft.card.adaptive");
    attachment.putNull("contentUrl");
    ObjectNode card = attachment.putObject("content")
        .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
        .put("type", "AdaptiveCard")
        .put("version", "1.4");
    ArrayNode body = card.putArray("body");
    n.mention().ifPresent(m -> body.addObject().put("type", "TextBlock").put("text", m).put("weight", "Bolder").put("color", "Attention").put("wrap", true));
    if (!n.title().isEmpty()) {
      body.addObject().put("type", "TextBlock").put("text", n.title()).put("weight", "Bolder").put("size", "Medium")
          .put("color", color(n)).put("wrap", true);
    }
    if (!n.fields().isEmpty()) {
      ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
      for (Notification.Field f : n.fields()) {
        facts.addObject().put("title", f.name()).put("value", f.value());
      }
    }
    if (!n.description().isEmpty()) {
      body.addObject().put("type", "TextBlock").put("text", Texts.truncate(n.description(), BODY_LIMIT)).put("wrap", true);
    }
    if (!n.footer().isEmpty()) {
      body.addObject().put("type", "TextBlock").put("text", n.footer()).put("isSubtle", true).put("size", "Small").put("wrap", true);
    }
    n.url().ifPresent(u -> card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "View").put("url", u));
    return List.of(RenderedMessage.json(Json.write(root)));
  }

  /** Adaptive Card colours are names: Good, Warning, Attention, Accent. */
  private static String color(Notification n) {
    int c = n.color().orElse(MessageTemplate.BLUE);
    if (c == MessageTemplate.RED) return "Attention";
    if (c == MessageTemplate.GREEN) return "Good";
    if (c == MessageTemplate.ORANGE) return "Warning";
    return "Accent";
  }

  @Override
  public SendOutcome send(RenderedMessage message, String idempotencyKey) {
    try {
      HttpSend.Answer a = HttpSend.post(policy, workflow, redacted, message.contentType(), message.body(), Map.of());
      return HttpSend.classify(a, x -> Json.read(x.body()).at("/error/message").asText(x.body()));
    } catch (HttpSend.Failure f) {
      return f.outcome();
    }
  }

  @Override
  public String toString() {
    return "TeamsNotifier[" + name + " " + redacted + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final URI workflow;
    private @Nullable OutboundPolicy policy;

    private Builder(String name, URI workflow) {
      this.name = Objects.requireNonNull(name, "name");
      this.workflow = Objects.requireNonNull(workflow, "workflowUrl");
    }

    /** Where this notifier may send; defaults to HTTPS to {@code *.logic.azure.com} and {@code *.powerplatform.com}. */
    public Builder outbound(OutboundPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the outbound policy does not allow the workflow's host
     */
    public TeamsNotifier build() {
      return new TeamsNotifier(this);
    }
  }
}
