package dev.hooks.alerts;

import dev.hooks.notify.Notification;
import dev.hooks.notify.Notifier;
import dev.hooks.notify.RenderedMessage;
import dev.hooks.notify.SendOutcome;
import java.util.Objects;

/**
 * Incidents as chat messages through one of hooks-notify's targets (Discord, Slack, Teams,
 * Telegram, ntfy, ...): a message when an incident opens, on each repeat, on close and on
 * reopen; the reference is the fingerprint. Sent directly (the dispatcher retries a failed
 * delivery): a 5xx, a timeout or a rate limit is retryable, a refusal (a 4xx) is not. Thread-safe
 * if the notifier is.
 *
 * <pre>{@code
 * new ChatSink(SlackNotifier.builder("slack", URI.create(System.getenv("SLACK_WEBHOOK_URL"))).build());
 * }</pre>
 */
public final class ChatSink implements IncidentSink {
  private static final int RED = 0xE74C3C;
  private static final int AMBER = 0xF39C12;
  private static final int GREEN = 0x2ECC71;
  private final Notifier notifier;

  public ChatSink(Notifier notifier) {
    this.notifier = Objects.requireNonNull(notifier, "notifier");
  }

  @Override
  public String name() {
    return notifier.name();
  }

  private void send(String verb, Ticket t, String text, int color) throws SinkException {
    Notification.Builder n = Notification.builder().kind("alert").title(verb + ": " + t.summary()).color(color);
    if (!text.isEmpty()) {
      n.description(text);
    }
    if (!t.severity().isEmpty()) {
      n.field("Severity", t.severity(), true);
    }
    if (t.company() != null) {
      n.field("Company", t.company(), true);
    }
    int part = 0;
    for (RenderedMessage m : notifier.render(n.build())) {
      SendOutcome o = notifier.send(m, t.fingerprint() + ":" + verb + ":" + text.hashCode() + ":" + part++);
      if (!o.isSuccess()) {
        String reason = notifier.name() + " " + verb.toLowerCase(java.util.Locale.ROOT) + " answered " + o.status() + ": " + o.reason()
            + o.responseBody().map(b -> " " + b).orElse("");
        throw new SinkException(reason, o.kind() != SendOutcome.Kind.PERMANENT_FAILURE);
      }
    }
  }

  @Override
  public String open(Ticket t) throws SinkException {
    send("Firing", t, t.description(), RED);
    return t.fingerprint();
  }

  @Override
  public void note(String ref, Ticket t, String text) throws SinkException {
    send("Still firing", t, text, AMBER);
  }

  @Override
  public void close(String ref, Ticket t) throws SinkException {
    send("Resolved", t, "", GREEN);
  }

  @Override
  public void reopen(String ref, Ticket t) throws SinkException {
    send("Reopened", t, t.description(), RED);
  }

  @Override
  public String toString() {
    return "ChatSink[" + notifier.name() + "]";
  }
}
