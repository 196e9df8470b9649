package dev.hooks.deploy;

/** A build that did not produce an image; the message says why (never a secret). */
public final class BuildFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  public BuildFailedException(String message) {
    super(message);
  }

  public BuildFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
