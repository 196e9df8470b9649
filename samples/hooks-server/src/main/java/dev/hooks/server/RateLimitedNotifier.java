package dev.hooks.server;

import dev.hooks.notify.Notification;
import dev.hooks.notify.Notifier;
import dev.hooks.notify.RenderedMessage;
import dev.hooks.notify.SendOutcome;
import dev.hooks.notify.TextFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A target as one {@code notify} handler with a {@code rate-limit} sees it: at most {@code limit}
 * requests per {@code period}; a request past it is answered "rate limited" without being sent,
 * so the {@link dev.hooks.notify.OutboxSender} keeps it in the outbox until the next period
 * (not counted as an attempt, never dropped). Named {@code <target>@<handler>} so that the
 * handler's messages wait apart from other handlers' messages to the same target. Thread-safe.
 */
final class RateLimitedNotifier implements Notifier {
  private final String name;
  private final Notifier delegate;
  private final int limit;
  private final Duration period;
  private final Clock clock;
  private Instant windowStart = Instant.EPOCH;
  private int sent;

  RateLimitedNotifier(String name, Notifier delegate, int limit, Duration period, Clock clock) {
    this.name = name;
    this.delegate = delegate;
    this.limit = limit;
    this.period = period;
    this.clock = clock;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<RenderedMessage> render(Notification notification) {
    return delegate.render(notification);
  }

  @Override
  public TextFormat format() {
    return delegate.format();
  }

  @Override
  public String rateLimitScope() {
    return delegate.rateLimitScope();
  }

  @Override
  public SendOutcome send(RenderedMessage message, String idempotencyKey) {
    Duration wait;
    synchronized (this) {
      Instant now = clock.instant();
      if (!now.isBefore(windowStart.plus(period))) {
        windowStart = now;
        sent = 0;
      }
      if (sent < limit) {
        sent++;
        wait = null;
      } else {
        wait = Duration.between(now, windowStart.plus(period));
      }
    }
    if (wait != null) {
      return SendOutcome.rateLimited(429, wait, false, "held by the rate limit of " + name + ": " + limit + " per " + period);
    }
    return delegate.send(message, idempotencyKey);
  }

  @Override
  public String toString() {
    return "RateLimitedNotifier[" + name + ", " + limit + " per " + period + "]";
  }
}
