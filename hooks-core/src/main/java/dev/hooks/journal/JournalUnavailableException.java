package dev.hooks.journal;

import dev.hooks.HooksException;

/** The journal could not store or read entries. Ingress answers 503 and never 202. */
public class JournalUnavailableException extends HooksException {
  private static final long serialVersionUID = 1L;

  public JournalUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public JournalUnavailableException(String message) {
    super(message);
  }
}
