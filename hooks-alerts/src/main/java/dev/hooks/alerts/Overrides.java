package dev.hooks.alerts;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link RoutingRule} changes for the alerts it matches; a null part keeps the endpoint's
 * value.
 *
 * @param board the ticket board, such as {@code Database Team}
 * @param priority the ticket priority, such as {@code High}
 * @param company the company identifier (HookWise's {@code customer_id})
 * @param status the status of a new ticket
 * @param sink the name of the sink that files the incident
 * @param template the description template, with {@code {$.path}} and {@code {{ name }}} placeholders
 */
public record Overrides(@Nullable String board, @Nullable String priority, @Nullable String company,
    @Nullable String status, @Nullable String sink, @Nullable String template) {

  /** Nothing overridden. */
  public static final Overrides NONE = new Overrides(null, null, null, null, null, null);

  /** These overrides, with every part {@code later} sets replacing this one's. */
  public Overrides then(Overrides later) {
    return new Overrides(pick(later.board, board), pick(later.priority, priority), pick(later.company, company),
        pick(later.status, status), pick(later.sink, sink), pick(later.template, template));
  }

  private static @Nullable String pick(@Nullable String a, @Nullable String b) {
    return a != null ? a : b;
  }
}
