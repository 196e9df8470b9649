package dev.hooks.server.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.Level;

/**
 * How hooks-server writes its log, for the whole process: {@link Format#PLAIN} (the default),
 * slf4j-simple's lines on stderr ({@code [thread] LEVEL logger - message}), or {@link Format#JSON},
 * one JSON object per line on stdout with {@code time} (ISO-8601, UTC), {@code level},
 * {@code logger}, {@code message}, {@code thread} and, with a throwable, {@code exception} (its
 * stack trace). JSON escapes CR, LF and every control character, so no value forges a line.
 * The level is {@code INFO} unless {@link #level} or the system property
 * {@code org.slf4j.simpleLogger.defaultLogLevel} says otherwise. Thread-safe: a line is written
 * whole.
 *
 * <pre>{@code
 * ServerLogging.format(ServerLogging.Format.JSON);
 * // {"time":"2026-12-07T02:45:08.123Z","level":"INFO","logger":"dev.hooks.server.HooksServer","message":"hooks-server listening on port 8080","thread":"main"}
 * }</pre>
 */
public final class ServerLogging {
  /** The shape of log lines. */
  public enum Format {
    /** {@code [thread] LEVEL logger - message} on stderr. */
    PLAIN,
    /** One JSON object per line on stdout. */
    JSON
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static final Object LOCK = new Object();
  private static volatile Format format = Format.PLAIN;
  private static volatile Level level = initialLevel();

  private ServerLogging() {}

  /** Sets the format of every line from now on. */
  public static void format(Format newFormat) {
    format = Objects.requireNonNull(newFormat, "format");
  }

  /** The format lines are written in now. */
  public static Format format() {
    return format;
  }

  /** Sets the lowest level written: {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG} or {@code TRACE}. */
  public static void level(Level lowest) {
    level = Objects.requireNonNull(lowest, "level");
  }

  /**
   * @throws IllegalArgumentException naming the formats if {@code name} is not {@code plain} or {@code json}
   */
  public static Format parseFormat(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "plain", "text" -> Format.PLAIN;
      case "json" -> Format.JSON;
      default -> throw new IllegalArgumentException("unknown log format '" + name + "'; use plain or json");
    };
  }

  /**
   * @throws IllegalArgumentException naming the levels if {@code name} is not one
   */
  public static Level parseLevel(String name) {
    try {
      return Level.valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown log level '" + name + "'; use error, warn, info, debug or trace", e);
    }
  }

  static boolean enabled(Level l) {
    return l.toInt() >= level.toInt();
  }

  /** Writes one line in the current format; never throws. */
  static void write(Level l, String logger, String message, @Nullable Throwable thrown) {
    String thread = Thread.currentThread().getName();
    if (format == Format.JSON) {
      String line = jsonLine(Instant.now(), l, logger, message, thread, thrown);
      PrintStream out = System.out;
      synchronized (LOCK) {
        out.println(line);
        out.flush();
      }
      return;
    }
    StringBuilder s = new StringBuilder(128).append('[').append(thread).append("] ").append(l).append(' ').append(logger)
        .append(" - ").append(message);
    if (thrown != null) {
      s.append(System.lineSeparator()).append(stackTrace(thrown).stripTrailing());
    }
    PrintStream err = System.err;
    synchronized (LOCK) {
      err.println(s);
      err.flush();
    }
  }

  /**
   * A line of the {@code JSON} format, such as the built-in {@code log} handler writes with
   * {@code logging.format: json}.
   */
  public static String jsonLine(Instant time, Level l, String logger, String message, String thread, @Nullable Throwable thrown) {
    StringWriter w = new StringWriter(160);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("time", time.toString());
      g.writeStringField("level", l.toString());
      g.writeStringField("logger", logger);
      g.writeStringField("message", message);
      g.writeStringField("thread", thread);
      if (thrown != null) {
        g.writeStringField("exception", stackTrace(thrown).stripTrailing());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static Level initialLevel() {
    String p = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel");
    if (p == null || p.isBlank()) {
      return Level.INFO;
    }
    try {
      return parseLevel(p);
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }
}
