package dev.hooks.server;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import java.io.PrintStream;
import java.util.Objects;

/**
 * The built-in {@code log} handler: prints one line per event, such as
 * <pre>{@code event provider=github type=push action=- branch=main id=72d3162e-cc78-11e3-81ab-4c9367dc0958}</pre>
 * with the branch, else the tag, else the subject. Thread-safe.
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
    out.println(line(event));
  }

  static String line(WebhookEvent event) {
    StringBuilder s = new StringBuilder(128)
        .append("event provider=").append(event.provider())
        .append(" type=").append(event.type())
        .append(" action=").append(event.action().orElse("-"));
    if (event.branch().isPresent()) {
      s.append(" branch=").append(event.branch().get());
    } else if (event.tag().isPresent()) {
      s.append(" tag=").append(event.tag().get());
    } else {
      s.append(" subject=").append(event.subject().orElse("-"));
    }
    return s.append(" id=").append(event.id()).toString();
  }

  @Override
  public String name() {
    return name;
  }
}
