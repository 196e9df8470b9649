package dev.hooks.remediation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.HooksException;
import dev.hooks.notify.DiscordNotifier;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.notify.OutboxSender;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.outbox.OutboxMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Sends the remediation alerts to Discord webhooks as the autoheal webhook listener did: the
 * critical alert as an orange embed to one webhook, the final alert as a red embed that
 * mentions {@code @everyone} to another, the host in each footer.
 *
 * <p>With an {@linkplain Builder#outbox outbox} (the way to run it), each alert is enqueued in a
 * {@link NotificationOutbox} under a key made of the service, the incident and the alert, and an
 * {@link OutboxSender} over {@link #notifiers()} delivers it with the retries, rate limiting
 * (Discord's 429 and {@code X-RateLimit-*}) and dead letters of every notification: a 429 or an
 * outage of Discord delays an alert, never loses it, and a step run twice sends once. Without
 * one, each alert is one request, and a non-2xx answer throws {@link HooksException} naming the
 * status. The webhook URL holds a token and is never logged or put in messages.
 *
 * <p>Immutable and thread-safe; share one.
 *
 * <pre>{@code
 * DiscordRemediationAlerts alerts = DiscordRemediationAlerts.builder(
 *         URI.create(env.get("WEBHOOK_URL_CRITICAL")), URI.create(env.get("WEBHOOK_URL_FINAL")))
 *     .outbox(outbox)
 *     .build();
 * OutboxSender sender = OutboxSender.builder(outbox, alerts.notifiers()).build();
 * sender.start();
 * }</pre>
 */
public final class DiscordRemediationAlerts implements RemediationAlerts {
  /** Orange, {@code 0xFFA500}. */
  public static final int CRITICAL_COLOR = 0xFFA500;
  /** Red, {@code 0xFF0000}. */
  public static final int FINAL_COLOR = 0xFF0000;
  /** Green, {@code 0x2ECC71}. */
  public static final int RECOVERED_COLOR = 0x2ECC71;
  /** The text that pings everyone on the final alert. */
  public static final String FINAL_CONTENT = "@everyone - Panne critique détectée";

  /** The notifier name of the critical and recovery alerts' webhook in the outbox. */
  public static final String CRITICAL_TARGET = "remediation-critical";
  /** The notifier name of the final alert's webhook in the outbox. */
  public static final String FINAL_TARGET = "remediation-final";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI criticalUrl;
  private final URI finalUrl;
  private final @Nullable String username;
  private final String footer;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final @Nullable NotificationOutbox outbox;

  private DiscordRemediationAlerts(Builder b) {
    this.criticalUrl = b.criticalUrl;
    this.finalUrl = b.finalUrl;
    this.username = b.username;
    this.footer = b.footer;
    this.http = b.http == null ? HttpClient.newBuilder().connectTimeout(b.timeout).build() : b.http;
    this.timeout = b.timeout;
    this.clock = b.clock;
    this.outbox = b.outbox;
  }

  /**
   * @param criticalUrl the webhook for critical and recovery alerts
   * @param finalUrl the webhook for the final alert (may be the same)
   */
  public static Builder builder(URI criticalUrl, URI finalUrl) {
    return new Builder(criticalUrl, finalUrl);
  }

  @Override
  public void critical(String service, int failures, String host) throws IOException, InterruptedException {
    deliver(oneOff(service), "critical", CRITICAL_TARGET, criticalUrl, criticalBody(service, failures, host));
  }

  @Override
  public void finalStop(String service, int attempts, String host) throws IOException, InterruptedException {
    deliver(oneOff(service), "final", FINAL_TARGET, finalUrl, finalBody(service, attempts, host));
  }

  @Override
  public void recovered(String service, long incident, String host) throws IOException, InterruptedException {
    deliver(oneOff(service), "recovered", CRITICAL_TARGET, criticalUrl, recoveredBody(service, incident, host));
  }

  @Override
  public void critical(RemediationContext context, String host) throws IOException, InterruptedException {
    deliver(incident(context), "critical", CRITICAL_TARGET, criticalUrl, criticalBody(context.service().toString(), context.failures(), host));
  }

  @Override
  public void finalStop(RemediationContext context, String host) throws IOException, InterruptedException {
    deliver(incident(context), "final", FINAL_TARGET, finalUrl, finalBody(context.service().toString(), context.failures(), host));
  }

  @Override
  public void recovered(RemediationContext context, String host) throws IOException, InterruptedException {
    deliver(incident(context), "recovered", CRITICAL_TARGET, criticalUrl, recoveredBody(context.service().toString(), context.incident(), host));
  }

  /**
   * The two Discord targets an {@link OutboxSender} needs to deliver what this enqueues: {@link
   * #CRITICAL_TARGET} and {@link #FINAL_TARGET}, each pinned to its webhook's scheme, host and
   * port.
   */
  public NotifierRegistry notifiers() {
    return NotifierRegistry.of(notifier(CRITICAL_TARGET, criticalUrl), notifier(FINAL_TARGET, finalUrl));
  }

  /** Whether alerts go through an outbox rather than one request each. */
  public boolean isQueued() {
    return outbox != null;
  }

  private DiscordNotifier notifier(String name, URI url) {
    OutboundPolicy policy = OutboundPolicy.builder()
        .allowTarget(url)
        .allowPlainHttp("http".equalsIgnoreCase(url.getScheme()))
        .connectTimeout(timeout)
        .requestTimeout(timeout)
        .build();
    return DiscordNotifier.builder(name, url).outbound(policy).build();
  }

  String criticalBody(String service, int failures, String host) {
    ObjectNode body = message();
    embed(body, "🚨 Alerte Monitoring - CRITICAL",
        "**Service**: `" + service + "`\n"
            + "**Échecs consécutifs**: " + failures + "\n"
            + "**Action**: Démarrage de la remédiation critique\n"
            + "- Sauvegarde des logs\n"
            + "- Redémarrage complet de la stack",
        CRITICAL_COLOR, host);
    return body.toString();
  }

  String finalBody(String service, int attempts, String host) {
    ObjectNode body = message();
    body.put("content", FINAL_CONTENT);
    body.putObject("allowed_mentions").putArray("parse").add("everyone");
    embed(body, "🔴 ARRÊT FINAL - INTERVENTION REQUISE 🔴",
        "**Service**: `" + service + "`\n"
            + "**Tentatives échouées**: " + attempts + "\n"
            + "**Problème**: La remédiation automatique a échoué, service arrêté\n\n"
            + FINAL_CONTENT,
        FINAL_COLOR, host);
    return body.toString();
  }

  String recoveredBody(String service, long incident, String host) {
    ObjectNode body = message();
    embed(body, "✅ Service rétabli",
        "**Service**: `" + service + "`\n"
            + "**Remédiation**: #" + incident + " réussie, la stack est de nouveau saine",
        RECOVERED_COLOR, host);
    return body.toString();
  }

  private static String incident(RemediationContext context) {
    return "remediation/" + context.service() + "#" + context.incident();
  }

  /** Alerts sent outside a ladder have no incident to be keyed by: each is its own. */
  private static String oneOff(String service) {
    return "remediation/" + service + "/" + UUID.randomUUID();
  }

  private void deliver(String eventId, String alert, String target, URI url, String body) throws IOException, InterruptedException {
    NotificationOutbox queue = outbox;
    if (queue == null) {
      post(url, body);
      return;
    }
    String route = "remediation:" + alert;
    String key = OutboxMessage.idempotencyKey(eventId, route, target, 0);
    queue.enqueue(new OutboxMessage(key, eventId, route, target, "application/json", body, clock.instant()));
  }

  private ObjectNode message() {
    ObjectNode body = JSON.createObjectNode();
    if (username != null) {
      body.put("username", username);
    }
    return body;
  }

  private void embed(ObjectNode body, String title, String description, int color, String host) {
    ObjectNode e = body.putArray("embeds").addObject();
    e.put("title", title);
    e.put("description", description);
    e.put("color", color);
    e.put("timestamp", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
    e.putObject("footer").put("text", footer + " - VPS " + host);
  }

  private void post(URI url, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    int status = response.statusCode();
    if (status / 100 != 2) {
      String retry = response.headers().firstValue("Retry-After").map(v -> ", retry after " + v + " s").orElse("");
      throw new HooksException("discord webhook answered " + status + retry);
    }
  }

  /** Collects the settings; not thread-safe. */
  public static final class Builder {
    private final URI criticalUrl;
    private final URI finalUrl;
    private @Nullable String username;
    private String footer = "hooks remediation";
    private @Nullable HttpClient http;
    private Duration timeout = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();
    private @Nullable NotificationOutbox outbox;

    private Builder(URI criticalUrl, URI finalUrl) {
      this.criticalUrl = Objects.requireNonNull(criticalUrl, "criticalUrl");
      this.finalUrl = Objects.requireNonNull(finalUrl, "finalUrl");
    }

    /** The name the messages are posted under; the webhook's own name by default. */
    public Builder username(@Nullable String username) {
      this.username = username;
      return this;
    }

    /** The footer text before {@code - VPS <host>}. */
    public Builder footer(String footer) {
      this.footer = Objects.requireNonNull(footer, "footer");
      return this;
    }

    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /** Time allowed to connect and to answer, 10 s by default. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The source of the embeds' timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Enqueues every alert in {@code outbox} instead of posting it; run an {@link OutboxSender}
     * over it with {@link DiscordRemediationAlerts#notifiers()} to deliver them.
     */
    public Builder outbox(@Nullable NotificationOutbox outbox) {
      this.outbox = outbox;
      return this;
    }

    public DiscordRemediationAlerts build() {
      return new DiscordRemediationAlerts(this);
    }
  }
}
