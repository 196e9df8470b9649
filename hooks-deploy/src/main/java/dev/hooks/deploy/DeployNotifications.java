package dev.hooks.deploy;

import dev.hooks.event.Severity;
import dev.hooks.notify.Notification;
import dev.hooks.notify.Notifier;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.RenderedMessage;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.outbox.OutboxMessage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each deployment step to the service's notification targets through hooks-notify: the
 * step is rendered by each target's {@link Notifier} (a Discord embed, a Slack message...) and
 * enqueued in the {@link NotificationOutbox} under the key (deployment, step, target, part), so
 * a step told twice (after a restart) is sent once; the outbox sender delivers them, oldest
 * first per target. Each message carries the event name ({@code build_failed}...), service,
 * commit, author, message, duration, and for failures the reason and a log excerpt. Thread-safe.
 *
 * <pre>{@code
 * DeployNotifications notify = DeployNotifications.builder(outbox, notifiers).service("web", List.of("discord")).build();
 * Deployer deployer = Deployer.builder(store, docker, dir).service(web).listener(notify).build();
 * }</pre>
 */
public final class DeployNotifications implements DeployListener {
  private static final Logger LOG = LoggerFactory.getLogger(DeployNotifications.class);
  private static final int EXCERPT_CHARS = 900;

  private final NotificationOutbox outbox;
  private final NotifierRegistry notifiers;
  private final Map<String, List<String>> targets;

  private DeployNotifications(Builder b) {
    this.outbox = b.outbox;
    this.notifiers = b.notifiers;
    this.targets = Map.copyOf(b.targets);
  }

  public static Builder builder(NotificationOutbox outbox, NotifierRegistry notifiers) {
    return new Builder(outbox, notifiers);
  }

  @Override
  public void onEvent(DeployEvent event) {
    List<String> names = targets.getOrDefault(event.service(), List.of());
    if (names.isEmpty()) {
      return;
    }
    Notification n = notification(event);
    String route = "deploy:" + event.service() + ":" + event.type().wireName();
    for (String target : names) {
      Optional<Notifier> notifier = notifiers.find(target);
      if (notifier.isEmpty()) {
        LOG.warn("service {} notifies {}, which is not registered; {} not sent to it", event.service(), target, event.type().wireName());
        continue;
      }
      List<RenderedMessage> parts = notifier.get().render(n);
      for (int i = 0; i < parts.size(); i++) {
        RenderedMessage m = parts.get(i);
        String key = OutboxMessage.idempotencyKey(event.deploymentId(), route, target, i);
        outbox.enqueue(new OutboxMessage(key, event.deploymentId(), route, target, m.contentType(), m.body(), event.at()));
      }
    }
  }

  /** The notification of one step, the same for every target. */
  static Notification notification(DeployEvent e) {
    String commit = e.shortCommit().orElse("branch head");
    Notification.Builder b = Notification.builder()
        .kind("deploy." + e.type().wireName())
        .title(e.type().wireName() + ": " + e.service() + " @ " + commit)
        .description(describe(e))
        .severity(severity(e.type()))
        .color(color(e.type()))
        .timestamp(e.at())
        .footer("hooks-deploy · " + e.type().wireName() + " · deployment " + e.deploymentId())
        .field("Event", e.type().wireName(), true)
        .field("Service", e.service(), true)
        .field("Commit", commit, true);
    if (e.author() != null) {
      b.field("Author", e.author(), true);
    }
    if (e.duration() != null) {
      b.field("Duration", seconds(e.duration()), true);
    }
    if (e.message() != null) {
      b.field("Message", e.message(), false);
    }
    if (e.detail() != null) {
      b.field("Reason", e.detail(), false);
    }
    if (e.logExcerpt() != null && !e.logExcerpt().isBlank()) {
      String log = e.logExcerpt();
      if (log.length() > EXCERPT_CHARS) {
        log = log.substring(log.length() - EXCERPT_CHARS);
      }
      b.field("Log", log, false);
    }
    return b.build();
  }

  private static String describe(DeployEvent e) {
    return switch (e.type()) {
      case WEBHOOK_RECEIVED -> "Push received for " + e.service();
      case BUILD_STARTED -> "Build started";
      case BUILD_COMPLETED -> "Build completed";
      case BUILD_FAILED -> "Build failed; the running deployment is untouched";
      case DEPLOYMENT_STARTED -> "Deployment started";
      case DEPLOYMENT_COMPLETED -> "Deployment successful: the new container is healthy and serving";
      case DEPLOYMENT_FAILED -> "Deployment failed";
      case DEPLOYMENT_ROLLBACK -> "Rolled back: the previous deployment is serving";
      case DEPLOYMENT_ROLLBACK_FAILED -> "Rollback failed: the service is failed, manual intervention required";
    };
  }

  private static Severity severity(DeployEventType t) {
    return switch (t) {
      case BUILD_FAILED, DEPLOYMENT_FAILED -> Severity.ERROR;
      case DEPLOYMENT_ROLLBACK -> Severity.WARNING;
      case DEPLOYMENT_ROLLBACK_FAILED -> Severity.CRITICAL;
      case BUILD_COMPLETED, DEPLOYMENT_COMPLETED -> Severity.OK;
      default -> Severity.INFO;
    };
  }

  private static int color(DeployEventType t) {
    return switch (severity(t)) {
      case CRITICAL -> 0x8B0000;
      case ERROR -> 0xE74C3C;
      case WARNING -> 0xF1C40F;
      case OK -> 0x2ECC71;
      default -> 0x3498DB;
    };
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final NotificationOutbox outbox;
    private final NotifierRegistry notifiers;
    private final Map<String, List<String>> targets = new LinkedHashMap<>();

    private Builder(NotificationOutbox outbox, NotifierRegistry notifiers) {
      this.outbox = Objects.requireNonNull(outbox, "outbox");
      this.notifiers = Objects.requireNonNull(notifiers, "notifiers");
    }

    /** The targets of {@code service}'s steps, by notifier name. */
    public Builder service(String service, List<String> targetNames) {
      targets.put(Objects.requireNonNull(service, "service"), List.copyOf(targetNames));
      return this;
    }

    public DeployNotifications build() {
      return new DeployNotifications(this);
    }
  }
}
