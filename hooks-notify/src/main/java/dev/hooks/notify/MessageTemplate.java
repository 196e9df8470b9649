package dev.hooks.notify;

import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.notify.internal.TemplateEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one kind of event reads: Mustache templates for the title, body, link, footer, mention and
 * each field, and a colour. Templates see the event's normalized fields ({@code {{branch}}},
 * {@code {{actor}}}, {@code {{subject}}}...), its attributes ({@code {{attributes.exit_code}}}),
 * its payload ({@code {{payload.head_commit.message}}}, or top-level keys directly such as
 * {@code {{message}}}), ready-made facts ({@code {{commit_count}}}, {@code {{latest_commit}}},
 * {@code {{pr_number}}}, {@code {{duration}}}, {@code {{exit_code}}}, {@code {{last_logs_block}}}...)
 * and JsonPath placeholders {@code {$.path}} into the payload (else the normalized fields).
 * {@code {{x}}} is escaped for the sink's {@link TextFormat}; {@code {{{x}}}} is not. A field whose
 * value renders blank is left out; blank lines in the body are collapsed. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * MessageTemplate push = MessageTemplate.builder()
 *     .title("📤 {{author}} pushed to {{branch}}")
 *     .field("Commits", "{{commit_count}}", true)
 *     .description("Latest: {$.head_commit.message}")
 *     .build();
 * MessageTemplate custom = MessageTemplate.of("🔔 {{event}}: {{message}}");
 * }</pre>
 */
public final class MessageTemplate {
  /** Green: succeeded, resolved, up. */
  public static final int GREEN = 0x2ECC71;
  /** Red: failed, down, critical. */
  public static final int RED = 0xE74C3C;
  /** Orange: warnings and critical remediation. */
  public static final int ORANGE = 0xE67E22;
  /** Blue: informational. */
  public static final int BLUE = 0x3498DB;
  /** Purple: pull requests. */
  public static final int PURPLE = 0x9B59B6;
  /** Grey: unknown. */
  public static final int GREY = 0x95A5A6;

  private record FieldTemplate(String name, String value, boolean inline) {}

  private final String title;
  private final String description;
  private final String url;
  private final String footer;
  private final String mention;
  private final @Nullable Integer color;
  private final List<FieldTemplate> fields;

  private MessageTemplate(Builder b) {
    this.title = b.title;
    this.description = b.description;
    this.url = b.url;
    this.footer = b.footer;
    this.mention = b.mention;
    this.color = b.color;
    this.fields = List.copyOf(b.fields);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A template of one text, such as {@code "🔔 {{event}}: {{message}}"} or several lines: the
   * text is the body, with no title.
   *
   * @throws IllegalArgumentException if the text does not compile
   */
  public static MessageTemplate of(String text) {
    return builder().description(text).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.title = title;
    b.description = description;
    b.url = url;
    b.footer = footer;
    b.mention = mention;
    b.color = color;
    b.fields.addAll(fields);
    return b;
  }

  /** Renders the notification of {@code event} with values escaped for {@code format}. */
  public Notification render(WebhookEvent event, TextFormat format) {
    TemplateEngine.Context ctx = TemplateEngine.Context.of(event, format);
    Notification.Builder n = Notification.builder()
        .kind(event.type() + event.action().map(a -> "/" + a).orElse(""))
        .title(oneLine(TemplateEngine.render(title, format, ctx)))
        .description(tidy(TemplateEngine.render(description, format, ctx)))
        // A link is not markup: its placeholders are not escaped.
        .url(TemplateEngine.render(url, TextFormat.PLAIN, ctx).strip())
        .footer(oneLine(TemplateEngine.render(footer, format, ctx)))
        .mention(TemplateEngine.render(mention, TextFormat.PLAIN, ctx).strip())
        .color(color != null ? color : colorOf(event))
        .severity(event.severity())
        .timestamp(event.occurredAt().orElse(event.receivedAt()));
    for (FieldTemplate f : fields) {
      String value = tidy(TemplateEngine.render(f.value(), format, ctx));
      if (!value.isBlank()) {
        n.field(oneLine(TemplateEngine.render(f.name(), format, ctx)), value, f.inline());
      }
    }
    return n.build();
  }

  /** The colour of an event by what happened: red for failures, green for successes... */
  public static int colorOf(WebhookEvent e) {
    String action = e.action().orElse("").toLowerCase(Locale.ROOT);
    switch (action) {
      case "failed", "failure", "died", "down", "unhealthy", "oom", "killed", "error", "final", "errored", "cancelled":
        return RED;
      case "succeeded", "success", "resolved", "up", "healthy", "merged", "completed", "passed", "published":
        return GREEN;
      case "critical", "firing", "restarted", "stopped":
        return e.severity() == Severity.CRITICAL || e.severity() == Severity.ERROR ? RED : ORANGE;
      default:
        break;
    }
    switch (e.severity()) {
      case CRITICAL, ERROR:
        return RED;
      case WARNING:
        return ORANGE;
      case OK:
        return GREEN;
      default:
        return e.type().equals("pull_request") ? PURPLE : BLUE;
    }
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*\\n\\s*", " ").strip();
  }

  private static String tidy(String s) {
    return s.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
  }

  /** Not thread-safe. */
  public static final class Builder {
    private String title = "";
    private String description = "";
    private String url = "{{{url}}}";
    private String footer = "";
    private String mention = "";
    private @Nullable Integer color;
    private final List<FieldTemplate> fields = new ArrayList<>();

    private Builder() {}

    public Builder title(String template) {
      this.title = check(template);
      return this;
    }

    public Builder description(String template) {
      this.description = check(template);
      return this;
    }

    /** The title's link; defaults to the event's {@code url}. */
    public Builder url(String template) {
      this.url = check(template);
      return this;
    }

    public Builder footer(String template) {
      this.footer = check(template);
      return this;
    }

    /** A line that pings everyone where the sink can, such as {@code "@everyone - critical failure"}. */
    public Builder mention(String template) {
      this.mention = check(template);
      return this;
    }

    /** A fixed colour 0xRRGGBB; by default the colour follows the event (see {@link #colorOf}). */
    public Builder color(int rgb) {
      this.color = rgb;
      return this;
    }

    public Builder field(String name, String valueTemplate, boolean inline) {
      fields.add(new FieldTemplate(check(name), check(valueTemplate), inline));
      return this;
    }

    public Builder clearFields() {
      fields.clear();
      return this;
    }

    public MessageTemplate build() {
      return new MessageTemplate(this);
    }

    private static String check(String template) {
      TemplateEngine.validate(Objects.requireNonNull(template, "template"));
      return template;
    }
  }
}
