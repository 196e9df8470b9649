package dev.hooks.server;

import dev.hooks.HooksException;

/**
 * The server's configuration cannot be used: the message names the key and says the fix, and
 * never holds a secret.
 */
public final class ConfigException extends HooksException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
