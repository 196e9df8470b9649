package dev.hooks.dispatch;

import dev.hooks.HooksException;

/**
 * Thrown by an {@link EventHandler} when retrying cannot help (the target answered 400, 404,
 * 410, the event is not for it): the entry goes to the dead letters with this message.
 */
public class PermanentFailureException extends HooksException {
  private static final long serialVersionUID = 1L;

  public PermanentFailureException(String message) {
    super(message);
  }

  public PermanentFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
