package dev.hooks.spring;

import dev.hooks.notify.DiscordNotifier;
import dev.hooks.notify.MessageTemplate;
import dev.hooks.notify.NotificationRoute;
import dev.hooks.notify.Notifier;
import dev.hooks.metrics.HooksMetrics;
import dev.hooks.notify.NotifierRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import dev.hooks.notify.NotifyHandler;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.notify.OutboxSender;
import dev.hooks.notify.SlackNotifier;
import dev.hooks.notify.TeamsNotifier;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.spring.HooksProperties.NotifyRoute;
import dev.hooks.spring.HooksProperties.Target;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * Notifications from {@code hooks.notify.*}: the targets (and the application's own
 * {@link Notifier} beans, by their {@link Notifier#name()}), the {@code notify} handler that
 * routes name in {@code hooks.routes[*].handlers}, and the outbox sender that delivers, with
 * retries, rate limits and dead letters.
 */
@AutoConfiguration(before = HooksAutoConfiguration.class)
@ConditionalOnClass(NotifyHandler.class)
@ConditionalOnProperty(prefix = "hooks", name = {"enabled", "notify.enabled"}, matchIfMissing = true)
public class HooksNotifyAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public NotifierRegistry hooksNotifierRegistry(HooksProperties properties, List<Notifier> notifiers, ObjectProvider<MeterRegistry> meters) {
    List<Notifier> all = new ArrayList<>(notifiers);
    properties.getNotify().getTargets().forEach((name, t) -> all.add(notifier(name, t == null ? new Target() : t)));
    // With a MeterRegistry (Actuator), each send's outcome is counted: hooks.outbox.sent, failed, throttled.
    MeterRegistry registry = meters.getIfUnique();
    return NotifierRegistry.of(all.stream().map(n -> registry == null ? n : HooksMetrics.metered(registry, n)).toArray(Notifier[]::new));
  }

  /** The {@code notify} handler of the routes. */
  @Bean
  @ConditionalOnMissingBean
  public NotifyHandler notify(HooksProperties properties, NotificationOutbox outbox, NotifierRegistry notifiers) {
    NotifyHandler.Builder b = NotifyHandler.builder(outbox, notifiers);
    List<NotifyRoute> routes = properties.getNotify().getRoutes();
    String[] all = notifiers.all().stream().map(Notifier::name).toArray(String[]::new);
    if (routes.isEmpty() && all.length > 0) {
      b.route(NotificationRoute.builder("notify-all").to(all).build());
    }
    for (int i = 0; i < routes.size(); i++) {
      b.route(route(routes.get(i), i, notifiers, all));
    }
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  public HooksOutboxLifecycle hooksOutboxSender(NotificationOutbox outbox, NotifierRegistry notifiers) {
    return new HooksOutboxLifecycle(OutboxSender.builder(outbox, notifiers).build());
  }

  /** Runs the outbox sender while the application runs: started after hooks, stopped before it (what is enqueued meanwhile waits in the durable outbox). */
  public static final class HooksOutboxLifecycle implements SmartLifecycle {
    private final OutboxSender sender;
    private volatile boolean running;

    HooksOutboxLifecycle(OutboxSender sender) {
      this.sender = sender;
    }

    /** The sender, for tests and status pages. */
    public OutboxSender sender() {
      return sender;
    }

    @Override
    public synchronized void start() {
      if (!running) {
        sender.start();
        running = true;
      }
    }

    @Override
    public synchronized void stop() {
      if (running) {
        running = false;
        sender.close();
      }
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return HooksLifecycle.PHASE + 1;
    }
  }

  private static NotificationRoute route(NotifyRoute r, int index, NotifierRegistry notifiers, String[] all) {
    String name = r.getName() != null ? r.getName() : "notify-" + (index + 1);
    String at = "hooks.notify.routes[" + index + "]";
    for (String to : r.getTo()) {
      if (notifiers.find(to).isEmpty()) {
        throw new HooksConfigurationException(at + ".to", "names target '" + to + "', which is not declared",
            "Declare it under hooks.notify.targets." + to + " (type and url), or declare a Notifier bean of that name.");
      }
    }
    String[] to = r.getTo().isEmpty() ? all : r.getTo().toArray(String[]::new);
    if (to.length == 0) {
      throw new HooksConfigurationException(at + ".to", "no target to send to",
          "Declare a target under hooks.notify.targets (for example discord.url=${DISCORD_WEBHOOK_URL}).");
    }
    try {
      NotificationRoute.Builder b = NotificationRoute.builder(name)
          .provider(r.getProvider().toArray(String[]::new))
          .type(r.getType().toArray(String[]::new))
          .action(r.getAction().toArray(String[]::new))
          .branch(r.getBranch().toArray(String[]::new))
          .to(to);
      for (String when : r.getWhen()) {
        b.when(when);
      }
      if (r.getTemplate() != null) {
        b.template(MessageTemplate.of(r.getTemplate()));
      }
      if (r.getDigest() != null) {
        b.digest(r.getDigest());
      }
      return b.build();
    } catch (RuntimeException ex) {
      throw new HooksConfigurationException(at, ex.getMessage(), "Correct the template, JsonPath condition or digest of " + at + ".", ex);
    }
  }

  static Notifier notifier(String name, Target t) {
    String at = "hooks.notify.targets." + name;
    String type = (t.getType() != null ? t.getType() : name).strip().toLowerCase(Locale.ROOT);
    if (t.getUrl() == null || t.getUrl().isBlank()) {
      throw new HooksConfigurationException(at + ".url", "is empty",
          "Set " + at + ".url to the target's incoming-webhook URL, usually ${" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_WEBHOOK_URL}.");
    }
    URI url;
    try {
      url = new URI(t.getUrl().strip());
    } catch (URISyntaxException ex) {
      // the URL carries the webhook's token: never in the message
      throw new HooksConfigurationException(at + ".url", "is not a URL", "Copy the webhook URL again from the chat's settings.", ex);
    }
    if (url.getHost() == null) {
      throw new HooksConfigurationException(at + ".url", "has no host", "Copy the webhook URL again from the chat's settings.");
    }
    OutboundPolicy policy = OutboundPolicy.builder().allowHost(url.getHost())
        .allowPlainHttp(t.isAllowPlainHttp() || isLoopback(url.getHost())).build();
    try {
      return switch (type) {
        case "discord" -> DiscordNotifier.builder(name, url).outbound(policy).build();
        case "slack" -> SlackNotifier.builder(name, url).outbound(policy).build();
        case "teams" -> TeamsNotifier.builder(name, url).outbound(policy).build();
        default -> throw new HooksConfigurationException(at + ".type", "'" + type + "' is not a target type",
            "Set " + at + ".type to discord, slack or teams, or declare a Notifier bean named '" + name + "'.");
      };
    } catch (HooksConfigurationException ex) {
      throw ex;
    } catch (RuntimeException ex) {
      throw new HooksConfigurationException(at + ".url", "is not usable (" + ex.getClass().getSimpleName() + ")",
          "Copy the webhook URL again from the chat's settings.", ex);
    }
  }

  /** Plain HTTP is allowed to this machine only (a local relay, a test server), unless asked. */
  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // a name: no lookup here
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException ex) {
      return false;
    }
  }
}
