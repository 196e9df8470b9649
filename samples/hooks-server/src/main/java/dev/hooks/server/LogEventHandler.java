package dev.hooks.server;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import dev.hooks.internal.LogSafe;
import dev.hooks.server.logging.ServerLogging;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.event.Level;

/**
 * The built-in {@code log} handler: prints one line per event, such as
 * <pre>{@code event provider=github type=push action=- branch=main id=72d3162e-cc78-11e3-81ab-4c9367dc0958}</pre>
 * with the branch, else the tag, else the subject. Every value comes from the webhook, so CR, LF
 * and other control characters in it are escaped ({@code \\n}, {@code \\u001b}): an event can
 * never print a second, forged line. With {@code logging.format: json} the line is the {@code
 * message} of a JSON log object (logger {@code hooks.event.<handler>}). Thread-safe.
 */
final class LogEventHandler implements EventHandler {
  private final String name;
  private final PrintStream out;

  LogEventHandler(String name, PrintStream out) {
    this.name = Objects.requireNonNull(name, "name");
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void handle(WebhookEvent event) {
    String line = line(event);
    // with logging.format: json every line of stdout is a JSON object, the events' too
    out.println(ServerLogging.format() == ServerLogging.Format.JSON
        ? ServerLogging.jsonLine(Instant.now(), Level.INFO, "hooks.event." + name, line, Thread.currentThread().getName(), null)
        : line);
  }

  static String line(WebhookEvent event) {
    StringBuilder s = new StringBuilder(128)
        .append("event provider=").append(LogSafe.escape(event.provider()))
        .append(" type=").append(LogSafe.escape(event.type()))
        .append(" action=").append(LogSafe.escape(event.action().orElse("-")));
    if (event.branch().isPresent()) {
      s.append(" branch=").append(LogSafe.escape(event.branch().get()));
    } else if (event.tag().isPresent()) {
      s.append(" tag=").append(LogSafe.escape(event.tag().get()));
    } else {
      s.append(" subject=").append(LogSafe.escape(event.subject().orElse("-")));
    }
    return s.append(" id=").append(LogSafe.escape(event.id())).toString();
  }

  @Override
  public String name() {
    return name;
  }
}
