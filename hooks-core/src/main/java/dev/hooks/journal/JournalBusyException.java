package dev.hooks.journal;

/**
 * The journal works but cannot take more writes now (its write queue stayed full). Ingress
 * answers 429 with {@code Retry-After}, not 503, so that senders back off and retry.
 */
public class JournalBusyException extends JournalUnavailableException {
  private static final long serialVersionUID = 1L;

  public JournalBusyException(String message) {
    super(message);
  }
}
