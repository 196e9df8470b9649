package dev.hooks.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.notify.internal.HttpSend;
import dev.hooks.notify.internal.Json;
import dev.hooks.verify.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Posts the notification as generic JSON to any URL, signed as the Standard Webhooks
 * specification (v1) says, so the receiver can check it with any Standard Webhooks or Svix
 * library: {@code webhook-id} (the outbox's idempotency key, the same on every retry so the
 * receiver can deduplicate), {@code webhook-timestamp} (seconds since the epoch, at sending) and
 * {@code webhook-signature: v1,<base64 HMAC-SHA256(secret, id + "." + timestamp + "." + body)>}.
 * The secret is {@code whsec_} followed by base64 bytes (a secret without the prefix is read as
 * the same base64). The body is
 * <pre>{@code
 * {"type": "push", "timestamp": "2026-11-23T10:00:00Z",
 *  "data": {"title": ..., "description": ..., "url": ..., "color": ..., "severity": "info",
 *           "fields": [{"name": ..., "value": ..., "inline": ...}], "footer": ..., "mention": ...}}
 * }</pre>
 * 2xx is success; 3xx is never followed; 400, 401, 403, 404, 410 are permanent. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * SignedWebhookNotifier hook = SignedWebhookNotifier.builder("audit", URI.create("https://audit.example.com/hooks"),
 *     Secret.of(System.getenv("AUDIT_WEBHOOK_SECRET"))).build();
 * }</pre>
 */
public final class SignedWebhookNotifier implements Notifier {
  private final String name;
  private final URI url;
  private final byte[] key;
  private final OutboundPolicy policy;
  private final Clock clock;

  private SignedWebhookNotifier(Builder b) {
    this.name = b.name;
    this.policy = b.policy != null ? b.policy : OutboundPolicy.allowing(hostOf(b.url));
    this.url = policy.requireAllowed(b.url, "signed webhook");
    this.key = secretBytes(b.secret, b.name);
    this.clock = b.clock;
  }

  /**
   * @param secret {@code whsec_} followed by base64, as Standard Webhooks issues it
   */
  public static Builder builder(String name, URI url, Secret secret) {
    return new Builder(name, url, secret);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<RenderedMessage> render(Notification n) {
    ObjectNode root = Json.object().put("type", n.kind().isEmpty() ? "notification" : n.kind());
    n.timestamp().ifPresent(t -> root.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(t)));
    ObjectNode data = root.putObject("data");
    data.put("title", n.title()).put("description", n.description());
    n.url().ifPresent(u -> data.put("url", u));
    n.color().ifPresent(c -> data.put("color", c));
    data.put("severity", n.severity().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode fields = data.putArray("fields");
    n.fields().forEach(f -> fields.addObject().put("name", f.name()).put("value", f.value()).put("inline", f.inline()));
    data.put("footer", n.footer());
    n.mention().ifPresent(m -> data.put("mention", m));
    return List.of(RenderedMessage.json(Json.write(root)));
  }

  @Override
  public SendOutcome send(RenderedMessage message, String idempotencyKey) {
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> headers = Map.of(
        "webhook-id", idempotencyKey,
        "webhook-timestamp", Long.toString(timestamp),
        "webhook-signature", sign(key, idempotencyKey, timestamp, message.body()));
    try {
      HttpSend.Answer a = HttpSend.post(policy, url, url.toString(), message.contentType(), message.body(), headers);
      return HttpSend.classify(a, HttpSend.Answer::body);
    } catch (HttpSend.Failure f) {
      return f.outcome();
    }
  }

  /**
   * The {@code webhook-signature} value of one message: {@code v1,} and the base64 HMAC-SHA256 of
   * {@code id.timestamp.body} under the secret's bytes.
   *
   * @throws IllegalArgumentException if the secret is not {@code whsec_} base64
   */
  public static String signature(Secret secret, String id, long timestamp, String body) {
    return sign(secretBytes(secret, "signature"), id, timestamp, body);
  }

  private static String sign(byte[] key, String id, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  private static byte[] secretBytes(Secret secret, String name) {
    String text = secret.asText();
    String b64 = text.startsWith("whsec_") ? text.substring("whsec_".length()) : text;
    try {
      byte[] bytes = Base64.getDecoder().decode(b64);
      if (bytes.length == 0) {
        throw new IllegalArgumentException("empty");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("secret of signed webhook '" + name + "' is not whsec_ followed by base64; "
          + "generate one with: echo whsec_$(openssl rand -base64 32)", e);
    }
  }

  private static String hostOf(URI url) {
    if (url.getHost() == null) {
      throw new IllegalArgumentException("signed webhook URL '" + url + "' has no host");
    }
    return url.getHost();
  }

  @Override
  public String toString() {
    return "SignedWebhookNotifier[" + name + " " + url + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final URI url;
    private final Secret secret;
    private @Nullable OutboundPolicy policy;
    private Clock clock = Clock.systemUTC();

    private Builder(String name, URI url, Secret secret) {
      this.name = Objects.requireNonNull(name, "name");
      this.url = Objects.requireNonNull(url, "url");
      this.secret = Objects.requireNonNull(secret, "secret");
    }

    /**
     * Where this notifier may send; defaults to HTTPS to the URL's host. Give the application's
     * shared policy when URLs come from run-time configuration.
     */
    public Builder outbound(OutboundPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The clock of {@code webhook-timestamp}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the secret is malformed or the policy does not allow the host
     */
    public SignedWebhookNotifier build() {
      return new SignedWebhookNotifier(this);
    }
  }
}
