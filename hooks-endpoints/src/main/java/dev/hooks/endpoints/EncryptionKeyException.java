package dev.hooks.endpoints;

import dev.hooks.HooksException;

/**
 * An encryption key is missing, malformed or not the one values were sealed with. The message
 * names the key by its role and id and says the fix; it never shows a key.
 */
public final class EncryptionKeyException extends HooksException {
  private static final long serialVersionUID = 1L;

  public EncryptionKeyException(String message) {
    super(message);
  }
}
