/**
 * Telling people about events: {@link dev.hooks.notify.Notifier}s for Discord, Slack, Microsoft
 * Teams, Telegram, ntfy, signed webhooks and logs; {@link dev.hooks.notify.MessageTemplate}s with
 * defaults per event kind; {@link dev.hooks.notify.NotificationRoute}s with filters, rules and
 * digests; a {@link dev.hooks.notify.NotifyHandler} that renders into the durable
 * {@link dev.hooks.outbox.NotificationOutbox}, and an {@link dev.hooks.notify.OutboxSender} that
 * delivers from it with retries, rate limits and dead letters.
 */
@NullMarked
package dev.hooks.notify;

import org.jspecify.annotations.NullMarked;
