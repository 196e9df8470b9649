package dev.hooks;

/**
 * The root of every unchecked exception hooks throws. Expected rejections of a delivery are
 * never exceptions: they are values ({@code IngressResult}, {@code Verification},
 * {@code ParseResult}). An exception means misconfiguration or an unavailable resource.
 */
public class HooksException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HooksException(String message) {
    super(message);
  }

  public HooksException(String message, Throwable cause) {
    super(message, cause);
  }
}
