package dev.hooks.server;

import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes a start error safe to print: a value that came from the environment through
 * {@code ${NAME}} is written {@code <value of ${NAME}>}, and the password of a JDBC URL (the
 * {@code password=} parameter, the user-info of {@code scheme://user:password@host}) is written
 * {@code ****}. Thread-safe.
 */
final class StartErrors {
  /** {@code password=...} up to the next separator of JDBC URL parameters (PostgreSQL {@code &}, H2 {@code ;}). */
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)((?:password|pwd|passwd)=)[^&;\\s'\"]*");
  /** {@code //user:password@} in any URL. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@\\s:'\"]*:)[^@/\\s'\"]*@");
  /** Values this short would mask ordinary words and digits; they are masked as JDBC passwords only. */
  private static final int SHORTEST_MASKED = 3;

  private StartErrors() {}

  /** {@code message} with JDBC passwords masked. */
  static String maskPasswords(String message) {
    String s = PASSWORD_PARAMETER.matcher(message).replaceAll("$1****");
    return USER_INFO.matcher(s).replaceAll("$1****@");
  }

  /**
   * {@code message} with every substituted value replaced by {@code <value of ${NAME}>}, longest
   * first, then JDBC passwords masked.
   *
   * @param substituted each value taken from the environment, to the name of its variable
   */
  static String mask(String message, Map<String, String> substituted) {
    String s = message;
    for (Map.Entry<String, String> e : substituted.entrySet().stream()
        .sorted(Comparator.comparingInt((Map.Entry<String, String> v) -> v.getKey().length()).reversed()).toList()) {
      if (e.getKey().length() >= SHORTEST_MASKED) {
        s = s.replace(e.getKey(), "<value of ${" + e.getValue() + "}>");
      }
    }
    return maskPasswords(s);
  }
}
