package dev.hooks.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.notify.internal.HttpSend;
import dev.hooks.notify.internal.Json;
import dev.hooks.notify.internal.Texts;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Sends through a Telegram bot ({@code POST https://api.telegram.org/bot<token>/sendMessage})
 * in HTML parse mode: the title bold (a link when the notification has one), fields as bold
 * labels, the body, the footer in italics; every value escaped ({@code & < > "}); split on line
 * boundaries into messages of at most 4,096 characters, closing and reopening a {@code <pre>}
 * block cut in two. Telegram answers {@code {"ok": true}}; a 429 carries
 * {@code parameters.retry_after}; 400 (chat not found), 401 (bad token) and 403 (bot blocked)
 * are permanent. The bot token is part of the URL and never appears in logs or reasons
 * (it shows as {@code bot} followed by four asterisks). Immutable and thread-safe.
 *
 * <pre>{@code
 * TelegramNotifier tg = TelegramNotifier.builder("tg-ops", System.getenv("TELEGRAM_BOT_TOKEN"), "-1001234567890").build();
 * }</pre>
 */
public final class TelegramNotifier implements Notifier {
  static final int TEXT_LIMIT = 4096;

  private final String name;
  private final URI sendMessage;
  private final String redacted;
  private final String chatId;
  private final OutboundPolicy policy;

  private TelegramNotifier(Builder b) {
    this.name = b.name;
    this.chatId = b.chatId;
    this.policy = b.policy != null ? b.policy : OutboundPolicy.allowing("api.telegram.org");
    URI base = b.apiBase;
    this.sendMessage = policy.requireAllowed(URI.create(base.toString().replaceAll("/+$", "") + "/bot" + b.token + "/sendMessage"),
        "Telegram API");
    this.redacted = base.toString().replaceAll("/+$", "") + "/bot****/sendMessage";
  }

  /**
   * @param token the bot token from BotFather
   * @param chatId the chat, group or channel id (or {@code @channelname})
   */
  public static Builder builder(String name, String token, String chatId) {
    return new Builder(name, token, chatId);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TextFormat format() {
    return TextFormat.HTML;
  }

  @Override
  public List<RenderedMessage> render(Notification n) {
    StringBuilder s = new StringBuilder();
    n.mention().ifPresent(m -> s.append(TextFormat.HTML.escape(m)).append('\n'));
    if (!n.title().isEmpty()) {
      String title = "<b>" + n.title() + "</b>";
      s.append(n.url().map(u -> "<a href=\"" + TextFormat.HTML.escape(u) + "\">" + title + "</a>").orElse(title)).append('\n');
    }
    for (Notification.Field f : n.fields()) {
      s.append("<b>").append(f.name()).append(":</b> ").append(f.value()).append('\n');
    }
    if (!n.description().isEmpty()) {
      s.append('\n').append(n.description()).append('\n');
    }
    if (!n.footer().isEmpty()) {
      s.append('\n').append("<i>").append(n.footer()).append("</i>");
    }
    List<RenderedMessage> out = new ArrayList<>();
    for (String chunk : balancePre(Texts.splitLines(s.toString().strip(), TEXT_LIMIT - "<pre></pre>".length()))) {
      out.add(RenderedMessage.json(Json.write(Json.object()
          .put("chat_id", chatId)
          .put("text", chunk)
          .put("parse_mode", "HTML")
          .put("disable_web_page_preview", true))));
    }
    return out;
  }

  /** A {@code <pre>} block cut between two messages is closed in the first and reopened in the second. */
  private static List<String> balancePre(List<String> chunks) {
    List<String> out = new ArrayList<>(chunks.size());
    boolean open = false;
    for (String c : chunks) {
      String text = open ? "<pre>" + c : c;
      int opens = count(text, "<pre>");
      int closes = count(text, "</pre>");
      open = opens > closes;
      out.add(open ? text + "</pre>" : text);
    }
    return out;
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }

  @Override
  public SendOutcome send(RenderedMessage message, String idempotencyKey) {
    HttpSend.Answer a;
    try {
      a = HttpSend.post(policy, sendMessage, redacted, message.contentType(), message.body(), Map.of());
    } catch (HttpSend.Failure f) {
      return f.outcome();
    }
    JsonNode body = Json.read(a.body());
    if (a.status() == 429) {
      Duration wait = Duration.ofSeconds(body.at("/parameters/retry_after").asLong(HttpSend.retryAfter(a).map(Duration::toSeconds).orElse(1L)));
      return SendOutcome.rateLimited(429, wait, false, "HTTP 429: " + body.path("description").asText("Too Many Requests"));
    }
    if (a.status() == 200 && !body.path("ok").asBoolean(false)) {
      return SendOutcome.permanentFailure(200, "Telegram answered ok=false: " + body.path("description").asText(""));
    }
    return HttpSend.classify(a, x -> body.path("description").asText(""));
  }

  @Override
  public String toString() {
    return "TelegramNotifier[" + name + " " + redacted + " chat " + chatId + "]";
  }

  /** Not thread-safe. The token is never printed. */
  public static final class Builder {
    private final String name;
    private final String token;
    private final String chatId;
    private URI apiBase = URI.create("https://api.telegram.org");
    private @Nullable OutboundPolicy policy;

    private Builder(String name, String token, String chatId) {
      this.name = Objects.requireNonNull(name, "name");
      this.token = Objects.requireNonNull(token, "token");
      this.chatId = Objects.requireNonNull(chatId, "chatId");
      if (token.isBlank() || token.contains("/")) {
        throw new IllegalArgumentException("Telegram bot token for '" + name + "' is blank or malformed; copy it from BotFather");
      }
    }

    /** The Bot API server; defaults to {@code https://api.telegram.org} (a local Bot API server, or a test server). */
    public Builder apiBase(URI base) {
      this.apiBase = Objects.requireNonNull(base, "base");
      return this;
    }

    /** Where this notifier may send; defaults to HTTPS to {@code api.telegram.org}. */
    public Builder outbound(OutboundPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the outbound policy does not allow the API's host
     */
    public TelegramNotifier build() {
      return new TelegramNotifier(this);
    }
  }
}
