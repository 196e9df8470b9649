package dev.hooks.parsers.internal;

/**
 * Thrown inside a parser when the payload lacks what the event needs; turned into a
 * {@link dev.hooks.parse.ParseResult#failed failed result} before leaving the parser. The reason
 * names the bad input and never quotes a header value.
 */
public final class ParseFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ParseFailure(String reason) {
    // no stack trace: this is an expected outcome, taken once per bad delivery
    super(reason, null, false, false);
  }

  public String reason() {
    return getMessage();
  }
}
