package dev.hooks.parsers.internal;

import org.jspecify.annotations.Nullable;

/** Repository names from the URLs CI systems report. */
public final class Repositories {
  private Repositories() {}

  /**
   * {@code owner/name} (subgroups kept) from a git remote: {@code https://github.com/o/r(.git)},
   * {@code git@github.com:o/r.git}, {@code ssh://git@host:22/o/r.git}; null when it has no path.
   */
  public static @Nullable String fromGitUrl(@Nullable String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    String s = url.trim();
    int scheme = s.indexOf("://");
    String path;
    if (scheme >= 0) {
      int slash = s.indexOf('/', scheme + 3);
      path = slash < 0 ? "" : s.substring(slash + 1);
    } else {
      int colon = s.indexOf(':');
      path = colon < 0 ? s : s.substring(colon + 1);
    }
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.endsWith(".git")) {
      path = path.substring(0, path.length() - 4);
    }
    return path.isEmpty() || !path.contains("/") ? null : path;
  }
}
