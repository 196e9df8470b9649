package dev.hooks.notify;

import dev.hooks.event.WebhookEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Templates by event kind, looked up as {@code type/action}, then {@code type}, then {@code *}.
 * {@link #defaults()} has one for every kind hooks normalizes (push, tag, pull request, issue,
 * release, workflow and pipeline start/stage/failure/success, build, container stopped with exit
 * code and last logs, alert firing/resolved, monitor down/up, remediation critical/final), written
 * to read like a team's chat: {@code 🚀 Push to main}, fields Repo, Author, Commits, then
 * {@code Latest: "Fix encryption bug"}. Immutable and thread-safe.
 *
 * <pre>{@code
 * MessageTemplates templates = MessageTemplates.defaults()
 *     .with("push", MessageTemplate.of("📤 **{{author}}** pushed to **{{branch}}**\nCommits: {{commit_count}}"));
 * Notification n = templates.forEvent(event).render(event, TextFormat.DISCORD_MARKDOWN);
 * }</pre>
 */
public final class MessageTemplates {
  private static final String FOOTER = "{{provider_name}}{{#repository}} · {{repository}}{{/repository}}";
  private static final MessageTemplates DEFAULTS = new MessageTemplates(defaultTemplates());

  private final Map<String, MessageTemplate> byKind;

  private MessageTemplates(Map<String, MessageTemplate> byKind) {
    this.byKind = Map.copyOf(byKind);
  }

  /** The built-in templates. */
  public static MessageTemplates defaults() {
    return DEFAULTS;
  }

  /** Templates with {@code kind} ({@code "push"}, {@code "pull_request/opened"}, {@code "*"}) set to {@code template}. */
  public MessageTemplates with(String kind, MessageTemplate template) {
    Map<String, MessageTemplate> m = new LinkedHashMap<>(byKind);
    m.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(template, "template"));
    return new MessageTemplates(m);
  }

  /**
   * The template of {@code event}: {@code type/action}, else {@code type}; for the CI types of the
   * vocabulary ({@code ci.pipeline}, {@code ci.job}) then the family of templates the provider's
   * own words name ({@code workflow} for GitHub Actions and CircleCI, {@code pipeline} and {@code
   * job} for the others), so a user's {@code ci.pipeline/failed} template wins over the built-in
   * ones; else {@code *}.
   */
  public MessageTemplate forEvent(WebhookEvent event) {
    MessageTemplate t = lookup(event.type(), event);
    if (t == null) {
      String family = family(event);
      t = family == null ? null : lookup(family, event);
    }
    if (t == null) {
      t = byKind.get("*");
    }
    return t != null ? t : DEFAULTS.byKind.get("*");
  }

  private @Nullable MessageTemplate lookup(String type, WebhookEvent event) {
    MessageTemplate t = event.action().map(a -> byKind.get(type + "/" + a)).orElse(null);
    return t != null ? t : byKind.get(type);
  }

  /** The built-in template family of a CI event, by the provider's own word for it. */
  private static @Nullable String family(WebhookEvent event) {
    String provider = event.provider();
    boolean workflows = provider.startsWith("github") || provider.equals("circleci") || provider.equals("gitea");
    return switch (event.type()) {
      case "ci.pipeline" -> workflows ? "workflow" : "pipeline";
      case "ci.job" -> workflows ? "workflow" : "job";
      default -> null;
    };
  }

  private static MessageTemplate.Builder base() {
    return MessageTemplate.builder().footer(FOOTER);
  }

  private static MessageTemplate.Builder workflowBase() {
    return base()
        .field("Status", "{{conclusion}}", true)
        .field("Duration", "{{duration}}", true)
        .field("Branch", "{{branch}}", true);
  }

  private static Map<String, MessageTemplate> defaultTemplates() {
    Map<String, MessageTemplate> m = new LinkedHashMap<>();
    m.put("push", base()
        .title("🚀 Push to {{branch}}")
        .field("Repo", "{{repo_name}}", true)
        .field("Author", "{{#author}}@{{author}}{{/author}}", true)
        .field("Commits", "{{commit_count}}", true)
        .description("{{#latest_commit}}Latest: \"{{latest_commit}}\"{{/latest_commit}}\n"
            + "{{#files}}Files: {{files}}{{/files}}\n\n"
            + "{{#url}}View: {{{url}}}{{/url}}")
        .color(MessageTemplate.BLUE)
        .build());
    m.put("tag", base()
        .title("🏷️ New tag {{tag}}")
        .field("Repo", "{{repo_name}}", true)
        .field("Author", "{{#author}}@{{author}}{{/author}}", true)
        .field("Commit", "{{short_commit}}", true)
        .description("{{#url}}View: {{{url}}}{{/url}}")
        .color(MessageTemplate.BLUE)
        .build());
    MessageTemplate.Builder pr = base()
        .title("📋 Pull Request #{{pr_number}} {{action}}")
        .field("Title", "{{pr_title}}", false)
        .field("Author", "{{#pr_author}}@{{pr_author}}{{/pr_author}}", true)
        .field("Status", "{{pr_state}}", true)
        .field("Files", "{{pr_files}}", true)
        .description("{{#url}}Review: {{{url}}}{{/url}}");
    m.put("pull_request", pr.build());
    m.put("pull_request/opened", pr.title("📋 New Pull Request #{{pr_number}}").color(MessageTemplate.PURPLE).build());
    m.put("pull_request/merged", pr.title("🔀 Pull Request #{{pr_number}} merged").color(MessageTemplate.GREEN).build());
    m.put("issue", base()
        .title("📝 Issue #{{issue_number}} {{action}}")
        .field("Title", "{{issue_title}}", false)
        .field("Author", "{{#author}}@{{author}}{{/author}}", true)
        .field("Repo", "{{repo_name}}", true)
        .description("{{#url}}View: {{{url}}}{{/url}}")
        .build());
    m.put("release", base()
        .title("📦 Release {{release_tag}}{{#release_name}} · {{release_name}}{{/release_name}}")
        .field("Repo", "{{repo_name}}", true)
        .field("Tag", "{{release_tag}}", true)
        .field("Author", "{{#author}}@{{author}}{{/author}}", true)
        .description("{{release_notes}}\n\n{{#url}}View: {{{url}}}{{/url}}")
        .color(MessageTemplate.GREEN)
        .build());

    m.put("workflow/started", base()
        .title("⚙️ Workflow \"{{workflow_name}}\" started")
        .field("Project", "{{repo_name}}", true)
        .field("Branch", "{{branch}}", true)
        .field("Triggered by", "{{#actor}}@{{actor}}{{/actor}}", true)
        .color(MessageTemplate.BLUE)
        .build());
    m.put("workflow/succeeded", workflowBase()
        .title("✅ Workflow \"{{workflow_name}}\" completed")
        .description("All checks passed ✓\n\n{{#url}}View: {{{url}}}{{/url}}")
        .color(MessageTemplate.GREEN)
        .build());
    m.put("workflow/failed", workflowBase()
        .title("❌ Workflow \"{{workflow_name}}\" failed")
        .description("{{#error}}Error: {{error}}{{/error}}\n\n{{#url}}View logs: {{{url}}}{{/url}}")
        .color(MessageTemplate.RED)
        .build());
    m.put("workflow", workflowBase().title("⚙️ Workflow \"{{workflow_name}}\" {{action}}").description("{{#url}}View: {{{url}}}{{/url}}")
        .build());

    m.put("pipeline/started", base()
        .title("⚙️ Pipeline Started")
        .field("Project", "{{repo_name}}", true)
        .field("Branch", "{{branch}}", true)
        .field("Stage", "{{stage}}", true)
        .description("{{#actor}}Triggered by: @{{actor}}{{/actor}}")
        .color(MessageTemplate.BLUE)
        .build());
    m.put("pipeline/succeeded", base()
        .title("✅ Pipeline Passed")
        .field("Project", "{{repo_name}}", true)
        .field("Branch", "{{branch}}", true)
        .field("Duration", "{{duration}}", true)
        .description("All stages passed ✓\n\n{{#url}}View: {{{url}}}{{/url}}")
        .color(MessageTemplate.GREEN)
        .build());
    m.put("pipeline/failed", base()
        .title("❌ Pipeline Failed")
        .field("Stage", "{{stage}}", true)
        .field("Job", "{{job}}", true)
        .field("Error", "{{error}}", false)
        .description("{{#url}}View logs: {{{url}}}{{/url}}")
        .color(MessageTemplate.RED)
        .build());
    m.put("pipeline", base()
        .title("⚙️ Pipeline {{action}}")
        .field("Project", "{{repo_name}}", true)
        .field("Branch", "{{branch}}", true)
        .field("Stage", "{{stage}}", true)
        .description("{{#url}}View: {{{url}}}{{/url}}")
        .build());
    m.put("job/started", base()
        .title("⚙️ Stage \"{{stage}}\" started")
        .field("Job", "{{job}}", true)
        .field("Branch", "{{branch}}", true)
        .color(MessageTemplate.BLUE)
        .build());
    m.put("job/succeeded", base()
        .title("✅ Stage \"{{stage}}\" passed")
        .field("Duration", "{{duration}}", true)
        .field("Next", "{{next_stage}}", true)
        .color(MessageTemplate.GREEN)
        .build());
    m.put("job/failed", base()
        .title("❌ Stage \"{{stage}}\" failed")
        .field("Job", "{{job}}", true)
        .field("Error", "{{error}}", false)
        .description("{{#url}}View logs: {{{url}}}{{/url}}")
        .color(MessageTemplate.RED)
        .build());
    m.put("job", base().title("⚙️ Stage \"{{stage}}\" {{action}}").field("Job", "{{job}}", true).build());

    m.put("build/started", base()
        .title("🔨 Building: {{subject}}")
        .field("Image", "{{image}}", true)
        .field("Context", "{{build_context}}", true)
        .color(MessageTemplate.BLUE)
        .build());
    m.put("build/succeeded", base()
        .title("✅ Build Complete: {{subject}}")
        .field("Duration", "{{duration}}", true)
        .field("Size", "{{size}}", true)
        .field("Layers", "{{layers}}", true)
        .description("Ready to deploy")
        .color(MessageTemplate.GREEN)
        .build());
    m.put("build/failed", base()
        .title("❌ Build Failed: {{subject}}")
        .field("Duration", "{{duration}}", true)
        .field("Error", "{{error}}", false)
        .description("{{#last_logs}}Last logs:\n{{{last_logs_block}}}{{/last_logs}}")
        .color(MessageTemplate.RED)
        .build());
    m.put("build", base().title("🔨 Build {{action}}: {{subject}}").field("Image", "{{image}}", true).build());

    MessageTemplate stopped = base()
        .title("🚨 Container Stopped: {{subject}}")
        .field("Exit code", "{{exit_code}}{{#exit_reason}} ({{exit_reason}}){{/exit_reason}}", true)
        .field("Uptime", "{{uptime}}", true)
        .field("Host", "{{host}}", true)
        .description("{{#last_logs}}Last logs:\n{{{last_logs_block}}}{{/last_logs}}")
        .color(MessageTemplate.RED)
        .build();
    m.put("container", stopped);
    m.put("container/started", base()
        .title("▶️ Container Started: {{subject}}")
        .field("Image", "{{image}}", true)
        .field("Host", "{{host}}", true)
        .color(MessageTemplate.GREEN)
        .build());
    m.put("container/restarted", base()
        .title("🔄 Container Restarted: {{subject}}")
        .field("Failures", "{{failures}}", true)
        .field("Exit code", "{{exit_code}}{{#exit_reason}} ({{exit_reason}}){{/exit_reason}}", true)
        .field("Host", "{{host}}", true)
        .color(MessageTemplate.ORANGE)
        .build());
    m.put("container/healthy", base()
        .title("💚 Container Healthy: {{subject}}")
        .field("Host", "{{host}}", true)
        .color(MessageTemplate.GREEN)
        .build());

    m.put("alert/firing", base()
        .title("🔥 Alert firing: {{subject}}")
        .field("Severity", "{{severity_word}}", true)
        .field("Status", "{{status}}", true)
        .field("Host", "{{host}}", true)
        .description("{{summary}}\n{{alert_description}}\n\n{{#url}}View: {{{url}}}{{/url}}")
        .build());
    m.put("alert/resolved", base()
        .title("✅ Alert resolved: {{subject}}")
        .field("Severity", "{{severity_word}}", true)
        .field("Host", "{{host}}", true)
        .description("{{summary}}\n\n{{#url}}View: {{{url}}}{{/url}}")
        .color(MessageTemplate.GREEN)
        .build());
    m.put("alert", base()
        .title("🔔 Alert {{action}}: {{subject}}")
        .field("Severity", "{{severity_word}}", true)
        .description("{{summary}}\n\n{{#url}}View: {{{url}}}{{/url}}")
        .build());
    m.put("monitor/down", base()
        .title("🔴 {{subject}} is down")
        .description("{{summary}}\n\n{{#url}}View: {{{url}}}{{/url}}")
        .color(MessageTemplate.RED)
        .build());
    m.put("monitor/up", base()
        .title("🟢 {{subject}} is up")
        .description("{{summary}}")
        .color(MessageTemplate.GREEN)
        .build());

    m.put("remediation/critical", base()
        .title("🚨 Monitoring alert - CRITICAL")
        .field("Service", "{{subject}}", true)
        .field("Consecutive failures", "{{failures}}", true)
        .field("Host", "{{host}}", true)
        .description("Action: starting critical remediation\n- Backing up logs\n- Restarting the whole stack")
        .color(MessageTemplate.ORANGE)
        .build());
    m.put("remediation/final", base()
        .title("🔴 FINAL STOP - INTERVENTION REQUIRED 🔴")
        .field("Service", "{{subject}}", true)
        .field("Failed attempts", "{{failures}}", true)
        .field("Host", "{{host}}", true)
        .description("Problem: automatic remediation failed{{#error}}\nError: {{error}}{{/error}}")
        .mention("@everyone - Critical failure detected")
        .color(MessageTemplate.RED)
        .build());
    m.put("remediation", base()
        .title("🛠️ Remediation {{action}}: {{subject}}")
        .field("Failures", "{{failures}}", true)
        .field("Host", "{{host}}", true)
        .build());

    m.put("ping", base().title("🏓 Ping from {{provider_name}}").description("Webhook is connected ✓").color(MessageTemplate.GREY).build());
    m.put("*", base()
        .title("🔔 {{provider_name}} {{type}}{{#action}} {{action}}{{/action}}")
        .field("Repo", "{{repo_name}}", true)
        .field("Subject", "{{subject}}", true)
        .field("Branch", "{{branch}}", true)
        .field("Status", "{{status}}", true)
        .description("{{summary}}\n\n{{#url}}View: {{{url}}}{{/url}}")
        .build());
    return m;
  }
}
