package dev.hooks.parsers;

import dev.hooks.HooksException;

/**
 * A parser was configured wrongly: an unknown provider name, an unknown option, or a JsonPath
 * mapping that does not compile. Thrown when the parser is made (when the endpoint is
 * configured), never while parsing. The message names the bad setting and says the fix.
 */
public class ParserConfigurationException extends HooksException {
  private static final long serialVersionUID = 1L;

  public ParserConfigurationException(String message) {
    super(message);
  }

  public ParserConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
