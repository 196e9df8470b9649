package dev.hooks.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.notify.internal.HttpSend;
import dev.hooks.notify.internal.Json;
import dev.hooks.notify.internal.Texts;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Posts to a Slack incoming webhook ({@code https://hooks.slack.com/services/T…/B…/…}): the
 * title as a bold link, fields as a section of mrkdwn fields (ten per section, as Slack allows),
 * the body in sections of at most 3,000 characters split on line boundaries, the footer as
 * context, all in an attachment carrying the colour; {@code text} holds the title for
 * notifications. A {@linkplain Notification#mention() mention} becomes {@code <!channel>}.
 * Slack answers 200 {@code ok}; 429 with {@code Retry-After}; 400 {@code invalid_payload},
 * 403 {@code action_prohibited}, 404 {@code no_service} or {@code channel_not_found} and 410
 * {@code channel_is_archived} are permanent. The webhook path (its secret) never appears in
 * logs. Immutable and thread-safe.
 *
 * <pre>{@code
 * SlackNotifier slack = SlackNotifier.builder("slack-dev", URI.create(System.getenv("SLACK_WEBHOOK"))).build();
 * }</pre>
 */
public final class SlackNotifier implements Notifier {
  static final int SECTION_LIMIT = 3000;
  static final int FIELDS_PER_SECTION = 10;
  static final int FIELD_LIMIT = 2000;
  static final int BLOCKS_LIMIT = 50;

  private final String name;
  private final URI webhook;
  private final OutboundPolicy policy;
  private final String redacted;

  private SlackNotifier(Builder b) {
    this.name = b.name;
    this.policy = b.policy != null ? b.policy : OutboundPolicy.allowing("hooks.slack.com");
    this.webhook = policy.requireAllowed(b.webhook, "Slack webhook");
    this.redacted = webhook.getScheme() + "://" + webhook.getAuthority() + "/services/****";
  }

  public static Builder builder(String name, URI webhookUrl) {
    return new Builder(name, webhookUrl);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TextFormat format() {
    return TextFormat.SLACK_MRKDWN;
  }

  @Override
  public List<RenderedMessage> render(Notification n) {
    List<ObjectNode> blocks = new ArrayList<>();
    if (!n.title().isEmpty()) {
      String title = "*" + n.title() + "*";
      blocks.add(section(n.url().map(u -> "*<" + u + "|" + n.title() + ">*").orElse(title)));
    }
    List<Notification.Field> fields = n.fields();
    for (int i = 0; i < fields.size(); i += FIELDS_PER_SECTION) {
      ObjectNode s = Json.object().put("type", "section");
      ArrayNode fs = s.putArray("fields");
      for (Notification.Field f : fields.subList(i, Math.min(fields.size(), i + FIELDS_PER_SECTION))) {
        fs.addObject().put("type", "mrkdwn").put("text", Texts.truncate("*" + f.name() + "*\n" + f.value(), FIELD_LIMIT));
      }
      blocks.add(s);
    }
    for (String chunk : Texts.splitLines(n.description(), SECTION_LIMIT)) {
      blocks.add(section(chunk));
    }
    if (!n.footer().isEmpty()) {
      ObjectNode c = Json.object().put("type", "context");
      c.putArray("elements").addObject().put("type", "mrkdwn").put("text", Texts.truncate(n.footer(), SECTION_LIMIT));
      blocks.add(c);
    }
    List<RenderedMessage> out = new ArrayList<>();
    for (int i = 0; i < Math.max(1, blocks.size()); i += BLOCKS_LIMIT) {
      ObjectNode root = Json.object();
      String text = n.title().isEmpty() ? Texts.truncate(n.description(), SECTION_LIMIT) : n.title();
      if (i == 0 && n.mention().isPresent()) {
        text = slackMention(n.mention().get()) + "\n" + text;
      }
      root.put("text", text);
      ObjectNode attachment = root.putArray("attachments").addObject();
      n.color().ifPresent(c -> attachment.put("color", String.format("#%06X", c)));
      ArrayNode b = attachment.putArray("blocks");
      blocks.subList(i, Math.min(blocks.size(), i + BLOCKS_LIMIT)).forEach(b::add);
      out.add(RenderedMessage.json(Json.write(root)));
    }
    return out;
  }

  private static ObjectNode section(String mrkdwn) {
    ObjectNode s = Json.object().put("type", "section");
    s.putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
    return s;
  }

  /** Slack pings with {@code <!channel>} and {@code <!here>}, not with the words. */
  private static String slackMention(String text) {
    String t = TextFormat.SLACK_MRKDWN.escape(text);
    return t.replace("@everyone", "<!channel>").replace("@channel", "<!channel>").replace("@here", "<!here>");
  }

  @Override
  public SendOutcome send(RenderedMessage message, String idempotencyKey) {
    try {
      HttpSend.Answer a = HttpSend.post(policy, webhook, redacted, message.contentType(), message.body(), Map.of());
      return HttpSend.classify(a, HttpSend.Answer::body);
    } catch (HttpSend.Failure f) {
      return f.outcome();
    }
  }

  @Override
  public String toString() {
    return "SlackNotifier[" + name + " " + redacted + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final URI webhook;
    private @Nullable OutboundPolicy policy;

    private Builder(String name, URI webhook) {
      this.name = Objects.requireNonNull(name, "name");
      this.webhook = Objects.requireNonNull(webhook, "webhookUrl");
    }

    /** Where this notifier may send; defaults to HTTPS to {@code hooks.slack.com}. */
    public Builder outbound(OutboundPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the outbound policy does not allow the webhook's host
     */
    public SlackNotifier build() {
      return new SlackNotifier(this);
    }
  }
}
