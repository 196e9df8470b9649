package dev.hooks.dispatch;

import dev.hooks.event.WebhookEvent;

/**
 * Acts on an event: notify, remediate, deploy, or anything an application needs.
 *
 * <p>Called on a dispatcher thread; may block; must be idempotent by {@link WebhookEvent#id()},
 * because dispatch is at least once (after a crash an event may be handed over again). Events
 * with the same ordering key reach a handler one at a time, in the order they were accepted.
 * Throwing schedules a retry with backoff; throwing {@link PermanentFailureException} sends
 * the event straight to the dead letters.
 */
@FunctionalInterface
public interface EventHandler {

  void handle(WebhookEvent event) throws Exception;

  /** A short name for logs, dead-letter reasons and the status page. */
  default String name() {
    return getClass().getSimpleName();
  }
}
