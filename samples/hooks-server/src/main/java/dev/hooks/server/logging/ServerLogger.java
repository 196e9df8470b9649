package dev.hooks.server.logging;

import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One named logger, writing through {@link ServerLogging}. Thread-safe. */
final class ServerLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  ServerLogger(String name) {
    this.name = name;
  }

  @Override
  public boolean isTraceEnabled() {
    return ServerLogging.enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return ServerLogging.enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return ServerLogging.enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return ServerLogging.enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return ServerLogging.enabled(Level.ERROR);
  }

  @Override
  protected @Nullable String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, @Nullable Marker marker, @Nullable String messagePattern,
      Object @Nullable [] arguments, @Nullable Throwable throwable) {
    String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
    ServerLogging.write(level, name, message == null ? "" : message, throwable);
  }
}
