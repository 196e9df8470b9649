package dev.hooks.spring;

import dev.hooks.Hooks;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.outbox.OutboxCounts;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code hooks} component of {@code /actuator/health}: UP while the journal answers, with the
 * dispatcher's backlog and the outbox's backlog and dead letters as details; DOWN when the
 * journal cannot be reached (deliveries then answer 503).
 */
public final class HooksHealthIndicator implements HealthIndicator {
  private final Hooks hooks;
  private final @Nullable NotificationOutbox outbox;
  private final List<HooksHealthContributor> contributors;

  public HooksHealthIndicator(Hooks hooks, @Nullable NotificationOutbox outbox) {
    this(hooks, outbox, List.of());
  }

  /** With further parts, each a detail of its name; one that throws makes the component DOWN. */
  public HooksHealthIndicator(Hooks hooks, @Nullable NotificationOutbox outbox, List<HooksHealthContributor> contributors) {
    this.hooks = hooks;
    this.outbox = outbox;
    this.contributors = List.copyOf(contributors);
  }

  @Override
  public Health health() {
    Map<String, Object> status = hooks.status();
    Health.Builder b = hooks.isHealthy() ? Health.up() : Health.down();
    b.withDetail("journal", status.get("journal"))
        .withDetail("pending", status.get("pending"))
        .withDetail("dead_letters", status.get("dead_letters"))
        .withDetail("in_flight", status.get("in_flight"));
    if (outbox != null) {
      try {
        OutboxCounts c = outbox.counts();
        b.withDetail("outbox_pending", c.pending()).withDetail("outbox_dead", c.dead());
      } catch (RuntimeException ex) {
        b.down().withDetail("outbox", "unreachable");
      }
    }
    for (HooksHealthContributor c : contributors) {
      try {
        b.withDetail(c.name(), c.check());
      } catch (Exception ex) {
        b.down().withDetail(c.name(), "unreachable");
      }
    }
    return b.build();
  }
}
