package dev.hooks.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.event.Severity;
import dev.hooks.notify.internal.HttpSend;
import dev.hooks.notify.internal.Json;
import dev.hooks.notify.internal.Texts;
import dev.hooks.verify.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Publishes to an ntfy topic as JSON to the server's root URL ({@code POST https://ntfy.sh/} with
 * {@code topic}, {@code title}, {@code message}, {@code priority}, {@code tags}, {@code click}):
 * priority 5 for critical, 4 for errors and warnings, 3 otherwise; a tag emoji by severity; the
 * fields as lines before the body; split on line boundaries at 4,000 characters (ntfy turns
 * longer messages into attachments). An access token is sent as {@code Authorization: Bearer}.
 * ntfy answers 200; 429 is rate limited; 400, 401, 403 and 404 are permanent. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * NtfyNotifier ntfy = NtfyNotifier.builder("ntfy-ops", URI.create("https://ntfy.sh"), "my-alerts").build();
 * }</pre>
 */
public final class NtfyNotifier implements Notifier {
  static final int MESSAGE_LIMIT = 4000;

  private final String name;
  private final URI server;
  private final String topic;
  private final @Nullable Secret token;
  private final OutboundPolicy policy;

  private NtfyNotifier(Builder b) {
    this.name = b.name;
    this.topic = b.topic;
    this.token = b.token;
    this.policy = b.policy != null ? b.policy : OutboundPolicy.allowing(b.server.getHost() == null ? "ntfy.sh" : b.server.getHost());
    String base = b.server.toString().replaceAll("/+$", "");
    this.server = policy.requireAllowed(URI.create(base + "/"), "ntfy server");
  }

  /**
   * @param server the ntfy server, such as {@code https://ntfy.sh}; the default policy allows its host
   * @param topic the topic to publish to
   */
  public static Builder builder(String name, URI server, String topic) {
    return new Builder(name, server, topic);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<RenderedMessage> render(Notification n) {
    StringBuilder s = new StringBuilder();
    n.mention().ifPresent(m -> s.append(m).append('\n'));
    for (Notification.Field f : n.fields()) {
      s.append(f.name()).append(": ").append(f.value()).append('\n');
    }
    if (!n.description().isEmpty()) {
      s.append('\n').append(n.description());
    }
    if (!n.footer().isEmpty()) {
      s.append("\n\n").append(n.footer());
    }
    List<String> chunks = Texts.splitLines(s.toString().strip(), MESSAGE_LIMIT);
    if (chunks.isEmpty()) {
      chunks = List.of(n.title().isEmpty() ? "(empty)" : n.title());
    }
    List<RenderedMessage> out = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      ObjectNode o = Json.object().put("topic", topic);
      if (!n.title().isEmpty()) {
        o.put("title", Texts.truncate(n.title(), 250) + (chunks.size() > 1 ? " (" + (i + 1) + "/" + chunks.size() + ")" : ""));
      }
      o.put("message", chunks.get(i)).put("priority", priority(n.severity()));
      ArrayNode tags = o.putArray("tags");
      tag(n.severity()).ifPresent(tags::add);
      n.url().ifPresent(u -> o.put("click", u));
      out.add(RenderedMessage.json(Json.write(o)));
    }
    return out;
  }

  private static int priority(Severity s) {
    return switch (s) {
      case CRITICAL -> 5;
      case ERROR, WARNING -> 4;
      default -> 3;
    };
  }

  /** ntfy shows tags that are emoji short codes as emoji. */
  private static java.util.Optional<String> tag(Severity s) {
    return java.util.Optional.ofNullable(switch (s) {
      case CRITICAL -> "rotating_light";
      case ERROR -> "x";
      case WARNING -> "warning";
      case OK -> "white_check_mark";
      case INFO -> "information_source";
      default -> null;
    });
  }

  @Override
  public SendOutcome send(RenderedMessage message, String idempotencyKey) {
    Map<String, String> headers = token == null ? Map.of() : Map.of("Authorization", "Bearer " + token.asText());
    try {
      HttpSend.Answer a = HttpSend.post(policy, server, server.toString(), message.contentType(), message.body(), headers);
      return HttpSend.classify(a, x -> Json.read(x.body()).path("error").asText(x.body()));
    } catch (HttpSend.Failure f) {
      return f.outcome();
    }
  }

  @Override
  public String toString() {
    return "NtfyNotifier[" + name + " " + server + topic + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final URI server;
    private final String topic;
    private @Nullable Secret token;
    private @Nullable OutboundPolicy policy;

    private Builder(String name, URI server, String topic) {
      this.name = Objects.requireNonNull(name, "name");
      this.server = Objects.requireNonNull(server, "server");
      this.topic = Objects.requireNonNull(topic, "topic");
      if (topic.isBlank() || topic.contains("/")) {
        throw new IllegalArgumentException("ntfy topic '" + topic + "' of '" + name + "' must be one path segment");
      }
    }

    /** An access token ({@code tk_...}) for a protected topic. */
    public Builder token(Secret token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** Where this notifier may send; defaults to HTTPS to the server's host. */
    public Builder outbound(OutboundPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the outbound policy does not allow the server's host
     */
    public NtfyNotifier build() {
      return new NtfyNotifier(this);
    }
  }
}
