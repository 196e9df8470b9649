package dev.hooks.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One Discord webhook message: content, up to ten embeds, and who may be pinged. Mentions are off
 * ({@code "allowed_mentions": {"parse": []}}) unless {@link Builder#mentionEveryone} is set, so a
 * commit message saying {@code @everyone} pings nobody. Immutable and thread-safe.
 *
 * <pre>{@code
 * DiscordMessage m = DiscordMessage.builder()
 *     .content("@everyone - critical failure detected").mentionEveryone(true)
 *     .embed(embed)
 *     .build();
 * discord.post(m);
 * }</pre>
 */
public final class DiscordMessage {
  public static final int CONTENT_LIMIT = 2000;
  public static final int EMBEDS_LIMIT = 10;

  private final String content;
  private final List<DiscordEmbed> embeds;
  private final boolean mentionEveryone;
  private final @Nullable String username;
  private final @Nullable String avatarUrl;

  private DiscordMessage(Builder b) {
    this.content = b.content;
    this.embeds = List.copyOf(b.embeds);
    this.mentionEveryone = b.mentionEveryone;
    this.username = b.username;
    this.avatarUrl = b.avatarUrl;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String content() {
    return content;
  }

  public List<DiscordEmbed> embeds() {
    return embeds;
  }

  /** Whether {@code @everyone} and {@code @here} in the content ping. */
  public boolean mentionEveryone() {
    return mentionEveryone;
  }

  /** Overrides the webhook's name for this message. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  public Optional<String> avatarUrl() {
    return Optional.ofNullable(avatarUrl);
  }

  /** Not thread-safe. */
  public static final class Builder {
    private String content = "";
    private final List<DiscordEmbed> embeds = new ArrayList<>();
    private boolean mentionEveryone;
    private @Nullable String username;
    private @Nullable String avatarUrl;

    private Builder() {}

    public Builder content(String content) {
      this.content = Objects.requireNonNull(content, "content");
      return this;
    }

    public Builder embed(DiscordEmbed embed) {
      embeds.add(Objects.requireNonNull(embed, "embed"));
      return this;
    }

    public Builder mentionEveryone(boolean mention) {
      this.mentionEveryone = mention;
      return this;
    }

    public Builder username(@Nullable String username) {
      this.username = username;
      return this;
    }

    public Builder avatarUrl(@Nullable String avatarUrl) {
      this.avatarUrl = avatarUrl;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the message is empty or over a Discord limit
     */
    public DiscordMessage build() {
      if (content.isEmpty() && embeds.isEmpty()) {
        throw new IllegalArgumentException("a Discord message needs content or an embed");
      }
      if (content.length() > CONTENT_LIMIT) {
        throw new IllegalArgumentException("content has " + content.length() + " characters, Discord allows " + CONTENT_LIMIT);
      }
      if (embeds.size() > EMBEDS_LIMIT) {
        throw new IllegalArgumentException(embeds.size() + " embeds, Discord allows " + EMBEDS_LIMIT);
      }
      int total = embeds.stream().mapToInt(DiscordEmbed::length).sum();
      if (total > DiscordEmbed.TOTAL_LIMIT) {
        throw new IllegalArgumentException("embeds have " + total + " characters together, Discord allows " + DiscordEmbed.TOTAL_LIMIT);
      }
      return new DiscordMessage(this);
    }
  }
}
