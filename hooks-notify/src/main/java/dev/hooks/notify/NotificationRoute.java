package dev.hooks.notify;

import dev.hooks.event.WebhookEvent;
import dev.hooks.route.EventFilter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Which events notify which targets, and how: filters on provider, type, action, repository and
 * branch (globs, as {@link dev.hooks.route.Route} reads them), conditions (JsonPath or a
 * {@link Rule} such as {@code pr.status == 'approved' and pr.reviews >= 2}), the targets by
 * notifier name, an optional template for every event of the route, and an optional digest
 * window that turns the matching events of a window into one summary. Every filter given must
 * hold; a filter not given matches anything; several values of one filter are alternatives.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * NotificationRoute main = NotificationRoute.builder("github-main")
 *     .provider("github").type("push", "pull_request").branch("main", "release/*")
 *     .to("discord-dev")
 *     .build();
 * NotificationRoute activity = NotificationRoute.builder("activity")
 *     .provider("github").digest(Duration.ofMinutes(5)).to("discord-dev").build();
 * }</pre>
 */
public final class NotificationRoute {
  private final String name;
  private final EventFilter filter;
  private final List<String> targets;
  private final @Nullable MessageTemplate template;
  private final @Nullable Duration digest;
  private final @Nullable String digestGroupBy;
  private final int digestMaxItems;
  private final @Nullable MessageTemplate digestTemplate;

  private NotificationRoute(Builder b) {
    this.name = b.name;
    this.filter = b.filter.build();
    this.targets = List.copyOf(b.targets);
    this.template = b.template;
    this.digest = b.digest;
    this.digestGroupBy = b.digestGroupBy;
    this.digestMaxItems = b.digestMaxItems;
    this.digestTemplate = b.digestTemplate;
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("notification route '" + name + "' has no target; add one with .to(\"notifier-name\")");
    }
  }

  /** @param name unique among routes; part of every idempotency key, so keep it stable */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** The names of the notifiers this route sends to. */
  public List<String> targets() {
    return targets;
  }

  /** The template for every event of this route, instead of the templates by kind. */
  public Optional<MessageTemplate> template() {
    return Optional.ofNullable(template);
  }

  /** The digest window, if events are summarized instead of sent one by one. */
  public Optional<Duration> digest() {
    return Optional.ofNullable(digest);
  }

  /**
   * The field whose value splits the route's digest into one window per value ({@code
   * provider}, {@code type}, {@code repository}, {@code branch}, {@code subject}, {@code
   * endpoint}), if any.
   */
  public Optional<String> digestGroupBy() {
    return Optional.ofNullable(digestGroupBy);
  }

  /** The most events of one digest window: a window that reaches it is sent at once. Default 1000. */
  public int digestMaxItems() {
    return digestMaxItems;
  }

  /**
   * The template of the digest's message, if not the built-in summary. It sees {@code
   * {{subject}}} (the group), {@code {{attributes.count}}}, {@code {{attributes.window}}} (such as
   * {@code 5m}), {@code {{attributes.group}}} and {@code {{attributes.summary}}} (one line per
   * event type, as the built-in summary has them).
   */
  public Optional<MessageTemplate> digestTemplate() {
    return Optional.ofNullable(digestTemplate);
  }

  /** The value of the digest's group field for {@code event}; empty when the route is not grouped. */
  public String digestGroupOf(WebhookEvent event) {
    if (digestGroupBy == null) {
      return "";
    }
    return (switch (digestGroupBy) {
      case "provider" -> Optional.of(event.provider());
      case "type" -> Optional.of(event.type());
      case "repository" -> event.repository();
      case "branch" -> event.branch();
      case "subject" -> event.subject();
      case "endpoint" -> Optional.of(event.endpointId());
      default -> Optional.<String>empty();
    }).orElse("-");
  }

  /** The filters and conditions of this route. */
  public EventFilter filter() {
    return filter;
  }

  /** Whether every filter and condition of this route holds for {@code event}. */
  public boolean matches(WebhookEvent event) {
    return filter.test(event);
  }

  @Override
  public String toString() {
    return "NotificationRoute[" + name + " -> " + targets + ", " + filter + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final EventFilter.Builder filter = EventFilter.builder();
    private final Set<String> targets = new LinkedHashSet<>();
    private @Nullable MessageTemplate template;
    private @Nullable Duration digest;
    private @Nullable String digestGroupBy;
    private int digestMaxItems = 1000;
    private @Nullable MessageTemplate digestTemplate;

    private Builder(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("route name must not be blank");
      }
      this.name = name;
    }

    public Builder provider(String... providers) {
      filter.provider(providers);
      return this;
    }

    /** Event types, such as {@code push}, {@code pull_request}, {@code alert}. */
    public Builder type(String... types) {
      filter.type(types);
      return this;
    }

    public Builder action(String... actions) {
      filter.action(actions);
      return this;
    }

    /** Repository globs, such as {@code octo-org/*}. */
    public Builder repository(String... globs) {
      filter.repository(globs);
      return this;
    }

    /** Branch globs, such as {@code main} or {@code release/*}. */
    public Builder branch(String... globs) {
      filter.branch(globs);
      return this;
    }

    /**
     * A JsonPath condition on the payload, as {@link dev.hooks.route.JsonPathCondition} reads it.
     *
     * @throws dev.hooks.HooksException if the path is invalid
     */
    public Builder when(String jsonPath) {
      filter.when(jsonPath);
      return this;
    }

    /** Any condition on the event. */
    public Builder when(Predicate<WebhookEvent> condition) {
      filter.when(condition);
      return this;
    }

    /**
     * A condition in the rule language of {@link Rule}, such as
     * {@code pr.status == 'approved' and pr.reviews >= 2}.
     *
     * @throws IllegalArgumentException naming the position of a syntax error
     */
    public Builder rule(String expression) {
      filter.when(Rule.parse(expression));
      return this;
    }

    /** The names of the notifiers to send to. */
    public Builder to(String... notifierNames) {
      targets.addAll(List.of(notifierNames));
      return this;
    }

    /** One template for every event of this route. */
    public Builder template(MessageTemplate template) {
      this.template = Objects.requireNonNull(template, "template");
      return this;
    }

    /** Summarize the matching events of each {@code window} into one message. */
    public Builder digest(Duration window) {
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("digest window must be positive: " + window);
      }
      this.digest = window;
      return this;
    }

    /**
     * One digest window per value of {@code field}: {@code provider}, {@code type}, {@code
     * repository}, {@code branch}, {@code subject} or {@code endpoint}.
     *
     * @throws IllegalArgumentException for another field
     */
    public Builder digestGroupBy(String field) {
      if (!Set.of("provider", "type", "repository", "branch", "subject", "endpoint").contains(field)) {
        throw new IllegalArgumentException("digest group-by '" + field
            + "' is not a field; use provider, type, repository, branch, subject or endpoint");
      }
      this.digestGroupBy = field;
      return this;
    }

    /**
     * The most events of one window, 1000 by default; a window that reaches it is sent at once.
     *
     * @throws IllegalArgumentException if {@code max} is below 1 or over 100000
     */
    public Builder digestMaxItems(int max) {
      if (max < 1 || max > 100_000) {
        throw new IllegalArgumentException("digest max-items must be between 1 and 100000, was " + max);
      }
      this.digestMaxItems = max;
      return this;
    }

    /** The template of the digest's message instead of the built-in summary; see {@link NotificationRoute#digestTemplate()}. */
    public Builder digestTemplate(MessageTemplate template) {
      this.digestTemplate = Objects.requireNonNull(template, "template");
      return this;
    }

    /**
     * @throws IllegalArgumentException if no target was given
     */
    public NotificationRoute build() {
      return new NotificationRoute(this);
    }
  }
}
