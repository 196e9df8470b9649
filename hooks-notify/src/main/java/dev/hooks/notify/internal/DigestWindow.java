package dev.hooks.notify.internal;

import dev.hooks.event.WebhookEvent;
import dev.hooks.notify.Notification;
import dev.hooks.notify.TextFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The events of one route in one digest window, kept as counts (a window of a million events
 * holds a few counters). Not thread-safe; the owner locks. Not API.
 */
public final class DigestWindow {
  private static final int MAX_NAMES = 8;
  /** Past this many, further names are not counted: a window's memory stays bounded. */
  private static final int MAX_COUNTED_NAMES = 10_000;
  private static final Map<String, String> LABELS = Map.ofEntries(
      Map.entry("push", "Pushes"), Map.entry("tag", "Tags"), Map.entry("pull_request", "PRs"),
      Map.entry("issue", "Issues"), Map.entry("release", "Releases"), Map.entry("workflow", "Workflows"),
      Map.entry("ci.pipeline", "Pipelines"), Map.entry("ci.job", "Jobs"), Map.entry("commit_status", "Statuses"),
      Map.entry("image", "Images"),
      Map.entry("pipeline", "Pipelines"), Map.entry("job", "Jobs"), Map.entry("build", "Builds"),
      Map.entry("deployment", "Deployments"), Map.entry("container", "Containers"), Map.entry("alert", "Alerts"),
      Map.entry("monitor", "Monitors"), Map.entry("process", "Processes"), Map.entry("remediation", "Remediations"));

  private final Instant start;
  private final Instant end;
  private final Duration length;
  private final Set<String> providers = new LinkedHashSet<>();
  private final Map<String, Integer> countsByType = new LinkedHashMap<>();
  private final Map<String, Map<String, Integer>> actionsByType = new LinkedHashMap<>();
  private final Map<String, Set<String>> namesByType = new LinkedHashMap<>();
  private final Map<String, Set<String>> moreNames = new LinkedHashMap<>();
  private int events;

  public DigestWindow(Instant start, Duration length) {
    this.start = start;
    this.end = start.plus(length);
    this.length = length;
  }

  public Instant start() {
    return start;
  }

  public Instant end() {
    return end;
  }

  public int events() {
    return events;
  }

  public void add(WebhookEvent e) {
    events++;
    providers.add(e.provider());
    String type = e.type();
    countsByType.merge(type, 1, Integer::sum);
    e.action().map(DigestWindow::actionWord).ifPresent(a -> actionsByType.computeIfAbsent(type, t -> new LinkedHashMap<>()).merge(a, 1, Integer::sum));
    String name = switch (type) {
      case "push", "workflow", "pipeline", "ci.pipeline", "ci.job", "commit_status", "deployment" -> e.branch().orElse(null);
      case "tag", "release" -> e.tag().orElse(null);
      case "container", "alert", "monitor", "build", "image", "remediation" -> e.subject().orElse(null);
      default -> null;
    };
    if (name != null) {
      Set<String> names = namesByType.computeIfAbsent(type, t -> new LinkedHashSet<>());
      if (names.size() < MAX_NAMES || names.contains(name)) {
        names.add(name);
      } else {
        Set<String> more = moreNames.computeIfAbsent(type, t -> new java.util.HashSet<>());
        if (more.size() < MAX_COUNTED_NAMES) {
          more.add(name);
        }
      }
    }
  }

  /** Provider verbs folded into what a reader cares about: a PR "synchronize" is an update. */
  private static String actionWord(String action) {
    return switch (action) {
      case "synchronize", "edited", "updated", "update", "reopened", "ready_for_review", "review_requested" -> "updated";
      default -> action;
    };
  }

  /**
   * The summary: {@code 📊 GitHub Activity (last 5m)} and one line per type, such as
   * {@code Pushes: 3 (main, feature-oauth, dev)} and {@code PRs: 1 opened, 2 updated}.
   */
  public Notification summary(TextFormat format) {
    String who = providers.size() == 1 ? Facts.providerName(providers.iterator().next()) + " " : "";
    List<String> lines = lines(format);
    return Notification.builder()
        .kind("digest")
        .title("📊 " + who + "Activity (last " + shortDuration(length) + ")")
        .description(String.join("\n", lines))
        .footer(events + (events == 1 ? " event" : " events"))
        .color(0x3498DB)
        .timestamp(end)
        .build();
  }

  /** The window's length as a digest title says it: {@code 5m}, {@code 1h}. */
  public String lengthText() {
    return shortDuration(length);
  }

  /** One line per event type, such as {@code Pushes: 3 (main, feature-oauth, dev)}, escaped for {@code format}. */
  public List<String> lines(TextFormat format) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Integer> t : countsByType.entrySet()) {
      String type = t.getKey();
      String label = LABELS.getOrDefault(type, Facts.capitalize(type.replace('_', ' ')) + " events");
      StringBuilder line = new StringBuilder(format.escape(label)).append(": ");
      Map<String, Integer> actions = actionsByType.get(type);
      Set<String> names = namesByType.get(type);
      if (type.equals("push") || actions == null) {
        line.append(t.getValue());
      } else {
        List<String> parts = new ArrayList<>();
        actions.forEach((a, n) -> parts.add(n + " " + format.escape(a)));
        int withoutAction = t.getValue() - actions.values().stream().mapToInt(Integer::intValue).sum();
        if (withoutAction > 0) {
          parts.add(withoutAction + " other");
        }
        line.append(String.join(", ", parts));
      }
      if (names != null && !names.isEmpty()) {
        List<String> escaped = new ArrayList<>();
        names.forEach(n -> escaped.add(format.escape(n)));
        int more = moreNames.getOrDefault(type, Set.of()).size();
        line.append(" (").append(String.join(", ", escaped)).append(more > 0 ? ", +" + more + " more" : "").append(')');
      }
      lines.add(line.toString());
    }
    return lines;
  }

  static String shortDuration(Duration d) {
    long s = d.toSeconds();
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return Facts.human(d);
  }
}
