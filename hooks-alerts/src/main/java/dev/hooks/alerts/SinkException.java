package dev.hooks.alerts;

import dev.hooks.HooksException;

/**
 * A sink refused or failed an effect. The message is the sink's own reason (such as ConnectWise's
 * error body), never a credential. A retryable failure (a 5xx, a timeout, 429) is retried with
 * backoff; one that is not (a 4xx) goes to the dead letters at once.
 */
public class SinkException extends HooksException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public SinkException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public SinkException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
