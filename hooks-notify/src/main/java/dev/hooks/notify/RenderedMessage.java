package dev.hooks.notify;

import java.util.Objects;

/**
 * One request body a {@link Notifier} rendered, ready to wait in the outbox and be sent.
 *
 * @param contentType its media type, such as {@code application/json}
 * @param body the body
 */
public record RenderedMessage(String contentType, String body) {
  public static final String JSON = "application/json";

  public RenderedMessage {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  public static RenderedMessage json(String body) {
    return new RenderedMessage(JSON, body);
  }
}
