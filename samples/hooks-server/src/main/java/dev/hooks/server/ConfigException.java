package dev.hooks.server;

import dev.hooks.HooksException;

/**
 * The server's configuration cannot be used: the message names the key and says the fix, and
 * never holds a secret: JDBC passwords in it are masked, and the loader writes values taken from
 * the environment as {@code <value of ${NAME}>}.
 */
public final class ConfigException extends HooksException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(StartErrors.maskPasswords(message));
  }

  public ConfigException(String message, Throwable cause) {
    super(StartErrors.maskPasswords(message), cause);
  }
}
