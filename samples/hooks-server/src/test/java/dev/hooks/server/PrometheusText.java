package dev.hooks.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
 * {@code # HELP} and {@code # TYPE} lines are checked for their shape and skipped, every sample
 * line becomes {@code name{labels}} → value, labels as written. A line of another shape fails.
 */
final class PrometheusText {
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*})?\\s+([-+]?(?:\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?|Inf)|NaN)(\\s+-?\\d+)?");
  private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]*( .*)?");

  private PrometheusText() {}

  static Map<String, Double> parse(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        if (!COMMENT.matcher(line).matches()) {
          throw new IllegalArgumentException("not a HELP or TYPE line: " + line);
        }
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      String labels = m.group(2) == null ? "" : m.group(2).replace(",}", "}");
      String v = m.group(3);
      double value = switch (v) {
        case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(v);
      };
      if (out.put(m.group(1) + labels, value) != null) {
        throw new IllegalArgumentException("sample given twice: " + line);
      }
    }
    return out;
  }
}
