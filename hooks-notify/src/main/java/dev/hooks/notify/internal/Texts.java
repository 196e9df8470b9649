package dev.hooks.notify.internal;

import java.util.ArrayList;
import java.util.List;

/** Length limits: splitting on line boundaries and truncating. Not API. */
public final class Texts {
  private Texts() {}

  /**
   * Splits {@code text} into chunks of at most {@code limit} characters, breaking between
   * lines; a single line longer than the limit is broken inside it (never inside a surrogate
   * pair). Empty text gives no chunk.
   */
  public static List<String> splitLines(String text, int limit) {
    List<String> chunks = new ArrayList<>();
    if (text.isEmpty()) {
      return chunks;
    }
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      int needed = current.length() == 0 ? line.length() : current.length() + 1 + line.length();
      if (needed <= limit) {
        if (current.length() > 0) {
          current.append('\n');
        }
        current.append(line);
        continue;
      }
      if (current.length() > 0) {
        chunks.add(current.toString());
        current.setLength(0);
      }
      String rest = line;
      while (rest.length() > limit) {
        int cut = limit;
        if (Character.isHighSurrogate(rest.charAt(cut - 1))) {
          cut--;
        }
        chunks.add(rest.substring(0, cut));
        rest = rest.substring(cut);
      }
      current.append(rest);
    }
    if (current.length() > 0) {
      chunks.add(current.toString());
    }
    chunks.replaceAll(c -> c.replaceAll("^\n+|\n+$", ""));
    chunks.removeIf(String::isBlank);
    return chunks;
  }

  /** {@code text} cut to {@code limit} characters, ending with an ellipsis when cut. */
  public static String truncate(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    int cut = limit - 1;
    if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + "…";
  }
}
