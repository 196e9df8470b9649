package dev.hooks.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One Discord embed: title, description, link, colour, fields, footer and timestamp, as the
 * Discord API's "Embed Object" has them. Discord's limits are constants here;
 * {@link DiscordNotifier} splits a {@link Notification} so that no embed exceeds them. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * DiscordEmbed e = DiscordEmbed.builder()
 *     .title("🚨 Monitoring alert - CRITICAL").color(0xE67E22)
 *     .field("Service", "your-app-prod", true)
 *     .footer("hooks").timestamp(clock.instant())
 *     .build();
 * }</pre>
 */
public final class DiscordEmbed {
  public static final int TITLE_LIMIT = 256;
  public static final int DESCRIPTION_LIMIT = 4096;
  public static final int FIELDS_LIMIT = 25;
  public static final int FIELD_NAME_LIMIT = 256;
  public static final int FIELD_VALUE_LIMIT = 1024;
  public static final int FOOTER_LIMIT = 2048;
  /** The characters of all embeds of one message together. */
  public static final int TOTAL_LIMIT = 6000;

  private final String title;
  private final String description;
  private final @Nullable String url;
  private final @Nullable Integer color;
  private final List<Notification.Field> fields;
  private final String footer;
  private final @Nullable Instant timestamp;

  private DiscordEmbed(Builder b) {
    this.title = b.title;
    this.description = b.description;
    this.url = b.url;
    this.color = b.color;
    this.fields = List.copyOf(b.fields);
    this.footer = b.footer;
    this.timestamp = b.timestamp;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String title() {
    return title;
  }

  public String description() {
    return description;
  }

  public Optional<String> url() {
    return Optional.ofNullable(url);
  }

  public Optional<Integer> color() {
    return Optional.ofNullable(color);
  }

  public List<Notification.Field> fields() {
    return fields;
  }

  public String footer() {
    return footer;
  }

  public Optional<Instant> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  /** The characters Discord counts toward {@link #TOTAL_LIMIT}: title, description, field names and values, footer. */
  public int length() {
    int n = title.length() + description.length() + footer.length();
    for (Notification.Field f : fields) {
      n += f.name().length() + f.value().length();
    }
    return n;
  }

  /** Not thread-safe. */
  public static final class Builder {
    private String title = "";
    private String description = "";
    private @Nullable String url;
    private @Nullable Integer color;
    private final List<Notification.Field> fields = new ArrayList<>();
    private String footer = "";
    private @Nullable Instant timestamp;

    private Builder() {}

    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    public Builder url(@Nullable String url) {
      this.url = url;
      return this;
    }

    public Builder color(@Nullable Integer rgb) {
      this.color = rgb;
      return this;
    }

    public Builder field(String name, String value, boolean inline) {
      fields.add(new Notification.Field(name, value, inline));
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

    /**
     * @throws IllegalArgumentException if a part is over Discord's limit
     */
    public DiscordEmbed build() {
      check(title.length() <= TITLE_LIMIT, "title", title.length(), TITLE_LIMIT);
      check(description.length() <= DESCRIPTION_LIMIT, "description", description.length(), DESCRIPTION_LIMIT);
      check(fields.size() <= FIELDS_LIMIT, "fields", fields.size(), FIELDS_LIMIT);
      for (Notification.Field f : fields) {
        check(f.name().length() <= FIELD_NAME_LIMIT, "field name", f.name().length(), FIELD_NAME_LIMIT);
        check(f.value().length() <= FIELD_VALUE_LIMIT, "field value", f.value().length(), FIELD_VALUE_LIMIT);
      }
      check(footer.length() <= FOOTER_LIMIT, "footer", footer.length(), FOOTER_LIMIT);
      return new DiscordEmbed(this);
    }

    private static void check(boolean ok, String what, int size, int limit) {
      if (!ok) {
        throw new IllegalArgumentException("embed " + what + " has " + size + ", Discord allows " + limit);
      }
    }
  }
}
