package dev.hooks.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.notify.internal.HttpSend;
import dev.hooks.notify.internal.Texts;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Posts to a Discord channel webhook ({@code https://discord.com/api/webhooks/{id}/{token}}):
 * a {@link Notification} becomes embeds with colour, fields, footer and timestamp, split on line
 * boundaries into as many embeds and messages as Discord's limits require (content 2,000; title
 * 256; description 4,096; 25 fields of 256/1,024; footer 2,048; 6,000 per message; 10 embeds).
 * Nobody is pinged ({@code "allowed_mentions": {"parse": []}}) unless the notification has a
 * {@linkplain Notification#mention() mention}, such as a final alert that must reach
 * {@code @everyone}.
 *
 * <p>The answer is classified as Discord documents it: 204 (200 with {@code ?wait=true})
 * success; 429 rate limited, with {@code retry_after} and {@code global} from its JSON body; the
 * {@code X-RateLimit-Bucket}, {@code -Limit}, {@code -Remaining} and {@code -Reset-After}
 * headers of every answer are reported so that the {@link OutboxSender} throttles before the
 * next 429; 400, 401, 403, 404 and other 4xx permanent; 5xx transient. The webhook token never
 * appears in logs or reasons.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * DiscordNotifier discord = DiscordNotifier.builder("ops", URI.create(System.getenv("DISCORD_WEBHOOK"))).build();
 * SendOutcome o = discord.post(DiscordMessage.builder().embed(embed).build());
 * }</pre>
 */
public final class DiscordNotifier implements Notifier {
  /** The hosts Discord serves webhooks from; the default {@link OutboundPolicy}. */
  public static final List<String> DISCORD_HOSTS = List.of("discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("(/webhooks/[^/]+/)[^/?]+");

  private final String name;
  private final URI webhook;
  private final URI sendUri;
  private final String redacted;
  private final OutboundPolicy policy;
  private final @Nullable String username;
  private final @Nullable String avatarUrl;

  private DiscordNotifier(Builder b) {
    this.name = b.name;
    this.policy = b.policy != null ? b.policy : OutboundPolicy.allowing(DISCORD_HOSTS.toArray(String[]::new));
    this.webhook = policy.requireAllowed(b.webhook, "Discord webhook");
    this.redacted = redact(webhook);
    this.sendUri = b.wait ? withQuery(webhook, "wait=true") : webhook;
    this.username = b.username;
    this.avatarUrl = b.avatarUrl;
  }

  /**
   * @param name the target's name, such as {@code discord-dev}
   * @param webhookUrl the channel webhook's URL, with its token
   */
  public static Builder builder(String name, URI webhookUrl) {
    return new Builder(name, webhookUrl);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TextFormat format() {
    return TextFormat.DISCORD_MARKDOWN;
  }

  /** Every Discord target shares one global limit. */
  @Override
  public String rateLimitScope() {
    return "discord";
  }

  /** The webhook URL with its token replaced by {@code ****}, for logs. */
  public String redactedUrl() {
    return redacted;
  }

  @Override
  public List<RenderedMessage> render(Notification notification) {
    List<RenderedMessage> out = new ArrayList<>();
    for (DiscordMessage m : messages(notification)) {
      out.add(RenderedMessage.json(toJson(m)));
    }
    return out;
  }

  /** The Discord messages that carry {@code notification}, each within Discord's limits. */
  public List<DiscordMessage> messages(Notification n) {
    Packer p = new Packer(n);
    String title = Texts.truncate(n.title(), DiscordEmbed.TITLE_LIMIT);
    String footer = Texts.truncate(n.footer(), DiscordEmbed.FOOTER_LIMIT);
    int descLimit = Math.min(DiscordEmbed.DESCRIPTION_LIMIT, DiscordEmbed.TOTAL_LIMIT - title.length() - footer.length());
    p.title(title);
    for (String chunk : Texts.splitLines(n.description(), descLimit)) {
      p.description(chunk);
    }
    for (Notification.Field f : n.fields()) {
      String fieldName = Texts.truncate(f.name().isBlank() ? "\u200b" : f.name(), DiscordEmbed.FIELD_NAME_LIMIT);
      List<String> values = Texts.splitLines(f.value(), DiscordEmbed.FIELD_VALUE_LIMIT);
      if (values.isEmpty()) {
        values = List.of("\u200b");
      }
      for (int i = 0; i < values.size(); i++) {
        p.field(new Notification.Field(i == 0 ? fieldName : "\u200b", values.get(i), f.inline() && values.size() == 1));
      }
    }
    return p.finish(footer);
  }

  /** Posts one message now. */
  public SendOutcome post(DiscordMessage message) {
    return send(RenderedMessage.json(toJson(message)), "");
  }

  @Override
  public SendOutcome send(RenderedMessage message, String idempotencyKey) {
    HttpSend.Answer a;
    try {
      a = HttpSend.post(policy, sendUri, redacted, message.contentType(), message.body(), Map.of());
    } catch (HttpSend.Failure f) {
      return f.outcome();
    }
    RateLimit limit = rateLimit(a).orElse(null);
    if (a.status() == 429) {
      JsonNode body = parse(a.body());
      Duration wait = HttpSend.seconds(body.path("retry_after").asText(""))
          .or(() -> HttpSend.retryAfter(a))
          .orElse(Duration.ofSeconds(1));
      boolean global = body.path("global").asBoolean(false) || a.header("X-RateLimit-Global").map("true"::equalsIgnoreCase).orElse(false);
      return SendOutcome.rateLimited(429, wait, global, "HTTP 429: " + (global ? "global rate limit" : "rate limited") + " for " + wait)
          .withRateLimit(limit);
    }
    return HttpSend.classify(a, DiscordNotifier::describe).withRateLimit(limit)
        .withResponseBody(a.status() == 200 ? a.body() : null);
  }

  /** The JSON Discord reads for {@code m}. */
  public static String toJson(DiscordMessage m) {
    ObjectNode root = JSON.createObjectNode();
    if (!m.content().isEmpty()) {
      root.put("content", m.content());
    }
    m.username().ifPresent(u -> root.put("username", u));
    m.avatarUrl().ifPresent(u -> root.put("avatar_url", u));
    if (!m.embeds().isEmpty()) {
      ArrayNode embeds = root.putArray("embeds");
      for (DiscordEmbed e : m.embeds()) {
        ObjectNode o = embeds.addObject();
        if (!e.title().isEmpty()) o.put("title", e.title());
        if (!e.description().isEmpty()) o.put("description", e.description());
        e.url().ifPresent(u -> o.put("url", u));
        e.color().ifPresent(c -> o.put("color", c));
        if (!e.fields().isEmpty()) {
          ArrayNode fields = o.putArray("fields");
          for (Notification.Field f : e.fields()) {
            fields.addObject().put("name", f.name()).put("value", f.value()).put("inline", f.inline());
          }
        }
        if (!e.footer().isEmpty()) o.putObject("footer").put("text", e.footer());
        e.timestamp().ifPresent(t -> o.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(t)));
      }
    }
    ArrayNode parse = root.putObject("allowed_mentions").putArray("parse");
    if (m.mentionEveryone()) {
      parse.add("everyone");
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "DiscordNotifier[" + name + " " + redacted + "]";
  }

  static Optional<RateLimit> rateLimit(HttpSend.Answer a) {
    OptionalLong limit = HttpSend.longHeader(a, "X-RateLimit-Limit");
    OptionalLong remaining = HttpSend.longHeader(a, "X-RateLimit-Remaining");
    Optional<Duration> reset = a.header("X-RateLimit-Reset-After").flatMap(HttpSend::seconds);
    if (limit.isEmpty() || remaining.isEmpty() || reset.isEmpty()) {
      return Optional.empty();
    }
    String bucket = a.header("X-RateLimit-Bucket").orElse("");
    return Optional.of(new RateLimit(bucket, (int) limit.getAsLong(), (int) remaining.getAsLong(), reset.get()));
  }

  private static String describe(HttpSend.Answer a) {
    JsonNode body = parse(a.body());
    if (body.hasNonNull("message")) {
      return body.path("message").asText() + (body.has("code") ? " (code " + body.path("code").asText() + ")" : "");
    }
    return a.body();
  }

  private static JsonNode parse(String body) {
    try {
      return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }

  static String redact(URI uri) {
    Matcher m = TOKEN.matcher(uri.toString());
    return m.find() ? m.replaceFirst("$1****") : uri.getScheme() + "://" + uri.getHost() + "/****";
  }

  private static URI withQuery(URI uri, String query) {
    String s = uri.toString();
    return URI.create(s + (uri.getRawQuery() == null ? "?" : "&") + query);
  }

  /** Fills embeds and messages in order, opening a new one when a Discord limit would be passed. */
  private final class Packer {
    private final Notification n;
    private final List<DiscordMessage> messages = new ArrayList<>();
    private final List<DiscordEmbed.Builder> embeds = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private DiscordEmbed.Builder current;
    private int currentLength;
    private boolean currentHasDescription;
    private int currentFields;
    private int messageLength;

    Packer(Notification n) {
      this.n = n;
      this.current = newEmbed();
    }

    private DiscordEmbed.Builder newEmbed() {
      currentLength = 0;
      currentHasDescription = false;
      currentFields = 0;
      return DiscordEmbed.builder().color(n.color().orElse(null));
    }

    void title(String title) {
      current.title(title).url(n.url().orElse(null));
      currentLength += title.length();
    }

    void description(String chunk) {
      if (currentHasDescription || currentFields > 0) {
        closeEmbed();
      }
      ensureRoom(chunk.length());
      current.description(chunk);
      currentHasDescription = true;
      currentLength += chunk.length();
    }

    void field(Notification.Field f) {
      if (currentFields == DiscordEmbed.FIELDS_LIMIT) {
        closeEmbed();
      }
      int len = f.name().length() + f.value().length();
      ensureRoom(len);
      current.field(f.name(), f.value(), f.inline());
      currentFields++;
      currentLength += len;
    }

    /** Makes room for {@code len} more characters in the current message, leaving room for the footer. */
    private void ensureRoom(int len) {
      int footerRoom = n.footer().length();
      if (messageLength + currentLength + len + Math.min(footerRoom, DiscordEmbed.FOOTER_LIMIT) > DiscordEmbed.TOTAL_LIMIT) {
        if (currentLength > 0) {
          closeEmbed();
        }
        closeMessage();
      }
    }

    private void closeEmbed() {
      if (embeds.size() == DiscordMessage.EMBEDS_LIMIT) {
        closeMessage();
      }
      embeds.add(current);
      lengths.add(currentLength);
      messageLength += currentLength;
      current = newEmbed();
    }

    private void closeMessage() {
      if (embeds.isEmpty()) {
        return;
      }
      DiscordMessage.Builder m = DiscordMessage.builder();
      for (DiscordEmbed.Builder e : embeds) {
        m.embed(e.build());
      }
      addMessage(m);
      embeds.clear();
      lengths.clear();
      messageLength = 0;
    }

    private void addMessage(DiscordMessage.Builder m) {
      m.username(username).avatarUrl(avatarUrl);
      if (messages.isEmpty() && n.mention().isPresent()) {
        m.content(Texts.truncate(n.mention().get(), DiscordMessage.CONTENT_LIMIT)).mentionEveryone(true);
      }
      messages.add(m.build());
    }

    List<DiscordMessage> finish(String footer) {
      if (currentLength == 0 && embeds.isEmpty() && messages.isEmpty() && footer.isEmpty() && n.mention().isPresent()) {
        // Only a mention: content alone, no empty embed.
        addMessage(DiscordMessage.builder());
        return List.copyOf(messages);
      }
      if (currentLength > 0 || embeds.isEmpty()) {
        closeEmbed();
      }
      embeds.get(embeds.size() - 1).footer(footer).timestamp(n.timestamp().orElse(null));
      closeMessage();
      return List.copyOf(messages);
    }
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final URI webhook;
    private @Nullable OutboundPolicy policy;
    private boolean wait;
    private @Nullable String username;
    private @Nullable String avatarUrl;

    private Builder(String name, URI webhook) {
      this.name = Objects.requireNonNull(name, "name");
      this.webhook = Objects.requireNonNull(webhook, "webhookUrl");
    }

    /** Where this notifier may send; defaults to HTTPS to {@link #DISCORD_HOSTS}. */
    public Builder outbound(OutboundPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Whether to add {@code ?wait=true}, so Discord answers 200 with the created message. */
    public Builder waitForMessage(boolean wait) {
      this.wait = wait;
      return this;
    }

    public Builder username(@Nullable String username) {
      this.username = username;
      return this;
    }

    public Builder avatarUrl(@Nullable String avatarUrl) {
      this.avatarUrl = avatarUrl;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the outbound policy does not allow the webhook's host
     */
    public DiscordNotifier build() {
      return new DiscordNotifier(this);
    }
  }
}
