package dev.hooks.outbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One rendered request waiting in a {@link NotificationOutbox}: what to send, to which target,
 * and why. Plain values only, so that a database row holds it as it is.
 *
 * <pre>{@code
 * String key = OutboxMessage.idempotencyKey(event.id(), "dev-feed", "discord-dev", 0);
 * outbox.enqueue(new OutboxMessage(key, event.id(), "dev-feed", "discord-dev",
 *     "application/json", body, clock.instant()));
 * }</pre>
 *
 * @param key the idempotency key: stable per (event, route, target, part); see {@link #idempotencyKey}
 * @param eventId the id of the event (or digest window) the message is about
 * @param route the name of the route that chose the target
 * @param target the name of the notifier that sends it
 * @param contentType the media type of {@code body}, such as {@code application/json}
 * @param body the request body, rendered for the target
 * @param createdAt when it was enqueued; messages of one target are sent oldest first
 */
public record OutboxMessage(
    String key,
    String eventId,
    String route,
    String target,
    String contentType,
    String body,
    Instant createdAt) {

  public OutboxMessage {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(createdAt, "createdAt");
    if (key.isBlank()) {
      throw new IllegalArgumentException("key must not be blank");
    }
  }

  /**
   * The idempotency key of one part of the notification of {@code eventId} by {@code route} to
   * {@code target}: 32 lower-case hex characters (the first 128 bits of a SHA-256), the same for
   * the same inputs in every process, so a retry or a redelivery of the event enqueues nothing
   * new. Signed webhooks send it as {@code webhook-id} so that receivers can deduplicate.
   *
   * @param part the index of the part when a notification is split to fit the target's limits
   */
  public static String idempotencyKey(String eventId, String route, String target, int part) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    // Length-prefixed parts: ("a/b", "c") and ("a", "b/c") must not collide.
    for (String s : new String[] {eventId, route, target, Integer.toString(part)}) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) ':');
      sha.update(bytes);
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  @Override
  public String toString() {
    return "OutboxMessage[" + key + " event=" + eventId + " route=" + route + " target=" + target + "]";
  }
}
