package dev.hooks.notify;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes notifications to an SLF4J logger at INFO, one plain-text entry each: for development,
 * and as a record beside the chat sinks. Never fails. Immutable and thread-safe.
 *
 * <pre>{@code
 * LogNotifier log = new LogNotifier("log", "hooks.notifications");
 * }</pre>
 */
public final class LogNotifier implements Notifier {
  private final String name;
  private final Logger logger;

  /** @param loggerName the SLF4J logger to write to */
  public LogNotifier(String name, String loggerName) {
    this.name = Objects.requireNonNull(name, "name");
    this.logger = LoggerFactory.getLogger(Objects.requireNonNull(loggerName, "loggerName"));
  }

  /** Writes to the logger {@code dev.hooks.notify.LogNotifier}. */
  public LogNotifier(String name) {
    this(name, LogNotifier.class.getName());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<RenderedMessage> render(Notification n) {
    return List.of(new RenderedMessage("text/plain", n.toPlainText()));
  }

  @Override
  public SendOutcome send(RenderedMessage message, String idempotencyKey) {
    logger.info("[{}] {}", idempotencyKey, message.body());
    return SendOutcome.success(0);
  }

  @Override
  public String toString() {
    return "LogNotifier[" + name + " -> " + logger.getName() + "]";
  }
}
