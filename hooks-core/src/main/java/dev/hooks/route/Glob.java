package dev.hooks.route;

import java.util.regex.Pattern;

/**
 * A branch or tag pattern: {@code *} matches within one path segment, {@code **} across
 * segments, {@code ?} one character; everything else is literal. {@code release/*} matches
 * {@code release/1.2} but not {@code release/1/2}. Immutable and thread-safe.
 */
public final class Glob {
  private final String source;
  private final Pattern pattern;

  private Glob(String source, Pattern pattern) {
    this.source = source;
    this.pattern = pattern;
  }

  public static Glob of(String glob) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          re.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        if (c == '?') {
          re.append("[^/]");
        } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          re.append(".*");
          i++;
        } else {
          re.append("[^/]*");
        }
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
    }
    return new Glob(glob, Pattern.compile(re.toString()));
  }

  public boolean matches(String value) {
    return pattern.matcher(value).matches();
  }

  @Override
  public String toString() {
    return source;
  }
}
