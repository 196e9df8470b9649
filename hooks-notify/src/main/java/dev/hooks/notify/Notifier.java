package dev.hooks.notify;

import java.util.List;
import java.util.UUID;

/**
 * A destination for notifications: shapes a {@link Notification} into the requests its service
 * reads, sends one request, and classifies the answer.
 *
 * <p>{@link #render} runs when an event is handled, and its result waits in the outbox;
 * {@link #send} runs later on the sender's thread, maybe in another process after a restart,
 * so it must depend only on the {@link RenderedMessage} and the key. Implementations are
 * thread-safe; {@link #send} may block but only within bounded timeouts, never throws for an
 * answer or a network failure (it classifies them), and checks the destination against its
 * {@link OutboundPolicy} before every request.
 *
 * <pre>{@code
 * Notifier discord = DiscordNotifier.builder("dev", URI.create("https://discord.com/api/webhooks/1/abc")).build();
 * for (RenderedMessage m : discord.render(notification)) {
 *   SendOutcome o = discord.send(m, key);
 * }
 * }</pre>
 */
public interface Notifier {

  /** The unique name of this target, as routes and the outbox name it, such as {@code discord-dev}. */
  String name();

  /**
   * The requests that carry {@code notification}, in order, each within the service's limits
   * (a long message is split on line boundaries).
   */
  List<RenderedMessage> render(Notification notification);

  /**
   * Sends one request.
   *
   * @param idempotencyKey stable for this message across retries; sent where the service reads one
   */
  SendOutcome send(RenderedMessage message, String idempotencyKey);

  /** The markup of this sink, so that templates escape values for it. */
  default TextFormat format() {
    return TextFormat.PLAIN;
  }

  /**
   * Targets sharing a scope share a global rate limit (Discord's {@code "global": true} 429
   * pauses every Discord target). Defaults to {@link #name()}.
   */
  default String rateLimitScope() {
    return name();
  }

  /**
   * Renders and sends {@code notification} now, bypassing any outbox: for callers that handle
   * their own retries. Stops at the first part that does not succeed.
   *
   * @return the first unsuccessful outcome, else the last successful one
   */
  default SendOutcome sendNow(Notification notification) {
    String key = UUID.randomUUID().toString();
    SendOutcome last = SendOutcome.success(0);
    int part = 0;
    for (RenderedMessage m : render(notification)) {
      last = send(m, key + "-" + part++);
      if (!last.isSuccess()) {
        return last;
      }
    }
    return last;
  }
}
