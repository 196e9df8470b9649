package dev.hooks.notify.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.WebhookEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The values default templates show, taken from an event's attributes first (parsers may set
 * them) and else from the payload shapes of GitHub, GitLab, Docker and Alertmanager. Not API.
 */
public final class Facts {
  private static final Map<String, String> PROVIDER_NAMES = Map.ofEntries(
      Map.entry("github", "GitHub"), Map.entry("gitlab", "GitLab"), Map.entry("bitbucket", "Bitbucket"),
      Map.entry("gitea", "Gitea"), Map.entry("dockerhub", "Docker Hub"), Map.entry("docker", "Docker"),
      Map.entry("autoheal", "Autoheal"), Map.entry("alertmanager", "Alertmanager"), Map.entry("grafana", "Grafana"),
      Map.entry("uptime-kuma", "Uptime Kuma"), Map.entry("zabbix", "Zabbix"), Map.entry("datadog", "Datadog"),
      Map.entry("jenkins", "Jenkins"), Map.entry("circleci", "CircleCI"), Map.entry("supervisor", "Supervisor"),
      Map.entry("generic", "Webhook"), Map.entry("hooks", "hooks"));

  private Facts() {}

  /** Every fact that has a value, by name. */
  public static Map<String, Object> of(WebhookEvent e) {
    Map<String, Object> f = new LinkedHashMap<>();
    JsonNode p = e.payload();
    put(f, "provider_name", providerName(e.provider()));
    put(f, "repo_name", first(e, "repo_name", p, "/repository/name", "/project/name")
        .or(() -> e.repository().map(r -> r.substring(r.lastIndexOf('/') + 1))));
    put(f, "short_commit", e.commit().map(c -> c.length() > 7 ? c.substring(0, 7) : c));
    put(f, "author", first(e, "author", p, "/head_commit/author/username", "/pull_request/user/login", "/user_username")
        .or(e::actor));
    Optional<String> count = first(e, "commit_count", p, "/total_commits_count")
        .or(() -> size(p.at("/commits")));
    put(f, "commit_count", count);
    Optional<String> latest = first(e, "latest_commit", p, "/head_commit/message")
        .or(() -> lastElement(p.at("/commits")).map(c -> c.path("message").asText("")))
        .map(Facts::firstLine);
    put(f, "latest_commit", latest);
    put(f, "latest_commit_message", latest);
    put(f, "files", first(e, "files").or(() -> files(p.at("/head_commit"))));
    put(f, "pr_number", first(e, "pr_number", p, "/pull_request/number", "/number", "/object_attributes/iid"));
    put(f, "pr_title", first(e, "pr_title", p, "/pull_request/title", "/object_attributes/title"));
    put(f, "pr_author", first(e, "pr_author", p, "/pull_request/user/login", "/user/username").or(e::actor));
    put(f, "pr_state", first(e, "pr_state").or(() -> prState(e, p)));
    put(f, "pr_files", first(e, "pr_files").or(() -> prFiles(p)));
    put(f, "issue_number", first(e, "issue_number", p, "/issue/number", "/object_attributes/iid"));
    put(f, "issue_title", first(e, "issue_title", p, "/issue/title", "/object_attributes/title"));
    put(f, "release_tag", first(e, "release_tag", p, "/release/tag_name", "/tag").or(e::tag));
    put(f, "release_name", first(e, "release_name", p, "/release/name", "/name"));
    put(f, "release_notes", first(e, "release_notes", p, "/release/body", "/description").map(n -> Texts.truncate(n.strip(), 1000)));
    put(f, "workflow_name", first(e, "workflow", p, "/workflow_run/name", "/workflow_job/workflow_name", "/workflow/name",
        "/pipeline/name").or(() -> first(e, "pipeline")));
    put(f, "conclusion", first(e, "conclusion", p, "/workflow_run/conclusion", "/object_attributes/status").or(e::status)
        .map(Facts::capitalize));
    put(f, "duration", first(e, "duration").or(() -> durationSeconds(e, p)).or(() -> runDuration(p)));
    put(f, "stage", first(e, "stage", p, "/build_stage", "/object_attributes/stage"));
    put(f, "next_stage", first(e, "next_stage"));
    put(f, "job", first(e, "job", p, "/build_name", "/workflow_job/name"));
    put(f, "error", first(e, "error"));
    put(f, "image", first(e, "image", p, "/Actor/Attributes/image", "/from"));
    put(f, "build_context", first(e, "context"));
    put(f, "size", first(e, "size"));
    put(f, "layers", first(e, "layers"));
    Optional<String> exit = first(e, "exit_code", p, "/Actor/Attributes/exitCode");
    put(f, "exit_code", exit);
    put(f, "exit_reason", first(e, "exit_reason").or(() -> exit.flatMap(Facts::exitReason)));
    put(f, "uptime", first(e, "uptime"));
    put(f, "last_logs", first(e, "last_logs", p, "/last_logs", "/logs").map(Facts::tail));
    put(f, "failures", first(e, "failures", p, "/failures").or(() -> first(e, "fail_count")).or(() -> first(e, "consecutive_failures")));
    put(f, "host", first(e, "host", p, "/hostname", "/host"));
    put(f, "summary", first(e, "summary", p, "/commonAnnotations/summary", "/alerts/0/annotations/summary", "/message", "/msg"));
    put(f, "alert_description", first(e, "description", p, "/commonAnnotations/description", "/alerts/0/annotations/description"));
    put(f, "severity_word", first(e, "severity", p, "/commonLabels/severity").or(() -> Optional.of(e.severity().name().toLowerCase(Locale.ROOT))));
    return f;
  }

  static String providerName(String provider) {
    return PROVIDER_NAMES.getOrDefault(provider, capitalize(provider));
  }

  /** The first attribute named {@code name}, else the first payload pointer with a non-blank scalar. */
  private static Optional<String> first(WebhookEvent e, String name, JsonNode payload, String... pointers) {
    Optional<String> attr = e.attribute(name);
    if (attr.isPresent()) {
      return attr;
    }
    for (String ptr : pointers) {
      JsonNode n = payload.at(ptr);
      if (n.isValueNode() && !n.isNull() && !n.asText().isBlank()) {
        return Optional.of(n.asText());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> first(WebhookEvent e, String name) {
    return e.attribute(name);
  }

  private static void put(Map<String, Object> f, String name, Optional<String> value) {
    value.filter(v -> !v.isBlank()).ifPresent(v -> f.put(name, v));
  }

  private static void put(Map<String, Object> f, String name, String value) {
    f.put(name, value);
  }

  private static Optional<String> size(JsonNode n) {
    return n.isArray() ? Optional.of(Integer.toString(n.size())) : Optional.empty();
  }

  private static Optional<JsonNode> lastElement(JsonNode n) {
    return n.isArray() && n.size() > 0 ? Optional.of(n.get(n.size() - 1)) : Optional.empty();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  /** GitHub's head commit lists file names, not line counts: up to three names, else a count. */
  private static Optional<String> files(JsonNode commit) {
    List<String> names = new ArrayList<>();
    for (String k : new String[] {"added", "modified", "removed"}) {
      commit.path(k).forEach(n -> names.add(n.asText()));
    }
    if (names.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(names.size() <= 3 ? String.join(", ", names) : names.size() + " changed");
  }

  private static Optional<String> prState(WebhookEvent e, JsonNode p) {
    JsonNode pr = p.path("pull_request");
    if (pr.path("merged").asBoolean(false)) {
      return Optional.of("Merged");
    }
    String state = pr.path("state").asText(p.at("/object_attributes/state").asText(""));
    if (pr.path("draft").asBoolean(false)) {
      return Optional.of("Draft");
    }
    if (state.equals("opened")) {
      state = "open";
    }
    return state.isEmpty() ? e.action().filter(a -> a.equals("opened")).map(a -> "Open") : Optional.of(capitalize(state));
  }

  private static Optional<String> prFiles(JsonNode p) {
    JsonNode pr = p.path("pull_request");
    if (!pr.has("changed_files")) {
      return Optional.empty();
    }
    return Optional.of(pr.path("changed_files").asInt() + " changed (+" + pr.path("additions").asInt() + ", -" + pr.path("deletions").asInt() + ")");
  }

  private static Optional<String> durationSeconds(WebhookEvent e, JsonNode p) {
    Optional<String> secs = first(e, "duration_seconds", p, "/object_attributes/duration", "/build_duration");
    return secs.flatMap(s -> {
      try {
        return Optional.of(human(Duration.ofMillis((long) (Double.parseDouble(s) * 1000))));
      } catch (NumberFormatException ex) {
        return Optional.empty();
      }
    });
  }

  private static Optional<String> runDuration(JsonNode p) {
    JsonNode run = p.path("workflow_run");
    String start = run.path("run_started_at").asText("");
    String end = run.path("updated_at").asText("");
    if (start.isEmpty() || end.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(human(Duration.between(Instant.parse(start), Instant.parse(end))));
    } catch (DateTimeParseException ex) {
      return Optional.empty();
    }
  }

  /** A duration as people write it: {@code 3m 24s}, {@code 2h 15m}, {@code 45s}. */
  public static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    if (h > 0) {
      return h + "h " + m + "m";
    }
    if (m > 0) {
      return m + "m " + sec + "s";
    }
    return sec + "s";
  }

  private static Optional<String> exitReason(String code) {
    switch (code.trim()) {
      case "137":
        return Optional.of("OOM");
      case "139":
        return Optional.of("SIGSEGV");
      case "143":
        return Optional.of("SIGTERM");
      case "0":
        return Optional.of("clean exit");
      default:
        return Optional.empty();
    }
  }

  /** The last 15 lines and at most 900 characters of a log. */
  private static String tail(String logs) {
    String[] lines = logs.strip().split("\n");
    int from = Math.max(0, lines.length - 15);
    String t = String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    return t.length() > 900 ? t.substring(t.length() - 900) : t;
  }

  static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
