package dev.hooks.notify;

import dev.hooks.event.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A message for people, before it is shaped for one sink: a title, a body, named fields, a
 * colour, a footer and a timestamp. A Discord embed, a Slack message, an Adaptive Card and a
 * Telegram HTML message are all made from it. Text is already in the sink's markup (templates
 * escape values for the sink's {@link TextFormat}). Immutable and thread-safe.
 *
 * <pre>{@code
 * Notification n = Notification.builder()
 *     .title("🚨 Container Stopped: phigen-bot")
 *     .field("Exit code", "137 (OOM)", true)
 *     .field("Uptime", "2h 15m", true)
 *     .description("Last logs:\n```\nMemoryError: Out of memory\n```")
 *     .color(0xE74C3C)
 *     .build();
 * }</pre>
 */
public final class Notification {

  /**
   * One named value, shown side by side with its neighbours when {@code inline}.
   *
   * @param name the label
   * @param value the value, in the sink's markup
   * @param inline whether it may share a row with other inline fields
   */
  public record Field(String name, String value, boolean inline) {
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  private final String kind;
  private final String title;
  private final String description;
  private final @Nullable String url;
  private final @Nullable Integer color;
  private final List<Field> fields;
  private final String footer;
  private final @Nullable Instant timestamp;
  private final @Nullable String mention;
  private final Severity severity;

  private Notification(Builder b) {
    this.kind = b.kind;
    this.title = b.title;
    this.description = b.description;
    this.url = b.url;
    this.color = b.color;
    this.fields = List.copyOf(b.fields);
    this.footer = b.footer;
    this.timestamp = b.timestamp;
    this.mention = b.mention;
    this.severity = b.severity;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.kind = kind;
    b.title = title;
    b.description = description;
    b.url = url;
    b.color = color;
    b.fields.addAll(fields);
    b.footer = footer;
    b.timestamp = timestamp;
    b.mention = mention;
    b.severity = severity;
    return b;
  }

  /** The event kind the message is about, such as {@code push} or {@code container/died}; may be empty. */
  public String kind() {
    return kind;
  }

  /** The headline; may be empty. */
  public String title() {
    return title;
  }

  /** The body, several lines; may be empty. */
  public String description() {
    return description;
  }

  /** Where the title links to. */
  public Optional<String> url() {
    return Optional.ofNullable(url);
  }

  /** The side colour as 0xRRGGBB. */
  public Optional<Integer> color() {
    return Optional.ofNullable(color);
  }

  public List<Field> fields() {
    return fields;
  }

  /** The small print under the message; may be empty. */
  public String footer() {
    return footer;
  }

  public Optional<Instant> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  /**
   * A line that must reach everyone, such as {@code "@everyone - critical failure detected"}:
   * sinks that can ping (Discord, Slack) ping with it; absent, nobody is pinged.
   */
  public Optional<String> mention() {
    return Optional.ofNullable(mention);
  }

  public Severity severity() {
    return severity;
  }

  /** The whole message as plain lines: title, fields as "name: value", description, footer. */
  public String toPlainText() {
    StringBuilder s = new StringBuilder();
    if (mention != null) s.append(mention).append('\n');
    if (!title.isEmpty()) s.append(title).append('\n');
    for (Field f : fields) s.append(f.name()).append(": ").append(f.value()).append('\n');
    if (!description.isEmpty()) s.append(description).append('\n');
    if (url != null) s.append(url).append('\n');
    if (!footer.isEmpty()) s.append(footer).append('\n');
    return s.toString().strip();
  }

  @Override
  public String toString() {
    return "Notification[" + kind + " " + title + "]";
  }

  /** Not thread-safe. {@code build()} copies. */
  public static final class Builder {
    private String kind = "";
    private String title = "";
    private String description = "";
    private @Nullable String url;
    private @Nullable Integer color;
    private final List<Field> fields = new ArrayList<>();
    private String footer = "";
    private @Nullable Instant timestamp;
    private @Nullable String mention;
    private Severity severity = Severity.UNKNOWN;

    private Builder() {}

    public Builder kind(String kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    public Builder url(@Nullable String url) {
      this.url = url == null || url.isBlank() ? null : url;
      return this;
    }

    /** @param rgb the colour as 0xRRGGBB, or null for the sink's default */
    public Builder color(@Nullable Integer rgb) {
      this.color = rgb;
      return this;
    }

    public Builder field(String name, String value, boolean inline) {
      fields.add(new Field(name, value, inline));
      return this;
    }

    public Builder field(String name, String value) {
      return field(name, value, false);
    }

    public Builder clearFields() {
      fields.clear();
      return this;
    }

    public Builder footer(String footer) {
      this.footer = Objects.requireNonNull(footer, "footer");
      return this;
    }

    public Builder timestamp(@Nullable Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** A line that pings everyone where the sink can; null for none. */
    public Builder mention(@Nullable String mention) {
      this.mention = mention == null || mention.isBlank() ? null : mention;
      return this;
    }

    public Builder severity(Severity severity) {
      this.severity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    public Notification build() {
      return new Notification(this);
    }
  }
}
