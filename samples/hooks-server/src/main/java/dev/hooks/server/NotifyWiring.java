package dev.hooks.server;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.notify.DiscordNotifier;
import dev.hooks.notify.MessageTemplate;
import dev.hooks.notify.NotificationRoute;
import dev.hooks.notify.Notifier;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.NotifyHandler;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.notify.OutboxSender;
import dev.hooks.notify.SlackNotifier;
import dev.hooks.notify.TeamsNotifier;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.server.ServerConfig.DigestConfig;
import dev.hooks.server.ServerConfig.HandlerConfig;
import dev.hooks.server.ServerConfig.NotifyConfig;
import dev.hooks.server.ServerConfig.NotifyFilterConfig;
import dev.hooks.server.ServerConfig.NotifyTargetConfig;
import dev.hooks.state.StateStore;
import java.io.Closeable;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code notify:} section and the {@code notify} handlers: the targets (each counted by
 * {@link ServerMetrics}), one {@link NotifyHandler} per handler of type {@code notify} with one
 * {@link NotificationRoute} named after the handler, the {@link OutboxSender} that delivers from
 * the journal database's outbox, and the timer that sends digests whose window has ended (their
 * events are kept in the state store, so a restart loses none). Only wires; not thread-safe
 * until started.
 */
final class NotifyWiring implements Closeable {
  private static final Pattern RATE = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\S+)\\s*");

  private final NotifierRegistry targets;
  private final NotifierRegistry sending;
  private final Map<String, NotifyHandler> handlers = new LinkedHashMap<>();
  private final OutboxSender sender;
  private final Duration digestCheck;
  private @Nullable ScheduledExecutorService digestTimer;

  private NotifyWiring(NotifierRegistry targets, NotifierRegistry sending, OutboxSender sender, Duration digestCheck) {
    this.targets = targets;
    this.sending = sending;
    this.sender = sender;
    this.digestCheck = digestCheck;
  }

  /**
   * @throws ConfigException naming the key at fault
   */
  static NotifyWiring create(NotifyConfig config, Map<String, HandlerConfig> handlerConfigs, NotificationOutbox outbox, StateStore state,
      ServerMetrics metrics, Clock clock) {
    List<Notifier> plain = new ArrayList<>();
    Map<String, Notifier> unmetered = new LinkedHashMap<>();
    for (Map.Entry<String, NotifyTargetConfig> t : config.targets.entrySet()) {
      Notifier n = notifier(t.getKey(), t.getValue() == null ? new NotifyTargetConfig() : t.getValue());
      unmetered.put(n.name(), n);
      plain.add(metrics.metered(n));
    }
    NotifierRegistry targets = NotifierRegistry.of(plain.toArray(Notifier[]::new));
    // what the sender sends through: the targets, and each rate-limited handler's view of them
    NotifierRegistry sending = NotifierRegistry.of(plain.toArray(Notifier[]::new));
    Duration check = config.digestCheckInterval == null ? Duration.ofSeconds(5)
        : ConfigValues.duration(config.digestCheckInterval, "notify.digest-check-interval");
    if (check.isZero() || check.isNegative()) {
      throw new ConfigException("notify.digest-check-interval must be positive");
    }
    NotifyWiring w = new NotifyWiring(targets, sending, OutboxSender.builder(outbox, sending).build(), check);
    for (Map.Entry<String, HandlerConfig> h : handlerConfigs.entrySet()) {
      if ("notify".equals(h.getValue().type)) {
        w.handlers.put(h.getKey(), w.handler(h.getKey(), h.getValue(), unmetered, metrics, outbox, state, clock));
      }
    }
    return w;
  }

  private NotifyHandler handler(String name, HandlerConfig c, Map<String, Notifier> unmetered, ServerMetrics metrics,
      NotificationOutbox outbox, StateStore state, Clock clock) {
    String at = "handlers." + name;
    List<String> to = c.targets.isEmpty() ? targets.all().stream().map(Notifier::name).toList() : c.targets;
    if (to.isEmpty()) {
      throw new ConfigException(at + " has no target; declare one under notify.targets");
    }
    List<String> names = new ArrayList<>();
    for (String t : to) {
      Notifier target = java.util.Optional.ofNullable(unmetered.get(t)).orElseThrow(() -> new ConfigException(at + ".targets names '" + t
          + "', which is not declared under notify.targets (declared: " + targets.all().stream().map(Notifier::name).toList() + ")"));
      if (c.rateLimit != null) {
        Matcher m = RATE.matcher(c.rateLimit);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
          throw new ConfigException(at + ".rate-limit '" + c.rateLimit + "' is not a rate; write messages per period, such as 20/1m");
        }
        Duration per = ConfigValues.duration(m.group(2), at + ".rate-limit");
        if (per.isZero()) {
          throw new ConfigException(at + ".rate-limit's period must be positive");
        }
        String limited = t + "@" + name;
        // counted under its own name: its requests are counted once, held ones as throttled
        sending.register(metrics.metered(new RateLimitedNotifier(limited, target, Integer.parseInt(m.group(1)), per, clock)));
        names.add(limited);
      } else {
        names.add(t);
      }
    }
    NotifyFilterConfig f = c.filter;
    try {
      NotificationRoute.Builder r = NotificationRoute.builder(name)
          .provider(f.provider.toArray(String[]::new))
          .type(f.type.toArray(String[]::new))
          .action(f.action.toArray(String[]::new))
          .repository(f.repository.toArray(String[]::new))
          .branch(f.branch.toArray(String[]::new))
          .to(names.toArray(String[]::new));
      for (String when : f.when) {
        r.when(when);
      }
      for (String rule : f.rule) {
        r.rule(rule);
      }
      if (c.template != null) {
        r.template(MessageTemplate.of(c.template));
      }
      DigestConfig d = c.digest;
      if (d != null) {
        if (d.window == null) {
          throw new ConfigException(at + ".digest has no window; set " + at + ".digest.window, such as 5m");
        }
        r.digest(ConfigValues.duration(d.window, at + ".digest.window"));
        if (d.groupBy != null) {
          r.digestGroupBy(d.groupBy);
        }
        if (d.maxItems != null) {
          r.digestMaxItems(d.maxItems);
        }
        if (d.template != null) {
          r.digestTemplate(MessageTemplate.of(d.template));
        }
      }
      // the handler sends through the registry that knows the rate-limited names too
      return NotifyHandler.builder(outbox, sending).route(r.build()).clock(clock).digestState(state).build();
    } catch (ConfigException ex) {
      throw ex;
    } catch (RuntimeException ex) {
      throw new ConfigException(at + ": " + ex.getMessage() + "; correct its template, filter or digest", ex);
    }
  }

  /**
   * Every notifier the sender knows: the targets of {@code notify.targets} by name, the
   * {@code <target>@<handler>} views of rate-limited handlers, and those registered at run time
   * (the admin API's URL targets).
   */
  NotifierRegistry registry() {
    return sending;
  }

  /** The names declared under {@code notify.targets}, in order. */
  List<String> targetNames() {
    return targets.all().stream().map(Notifier::name).toList();
  }

  /** The {@code notify} handlers by name. */
  Map<String, ? extends EventHandler> handlers() {
    return handlers;
  }

  /** Starts delivering from the outbox and sending digests whose window has ended. */
  synchronized void start() {
    sender.start();
    boolean digests = handlers.values().stream().anyMatch(h -> h.routes().stream().anyMatch(r -> r.digest().isPresent()));
    if (digests && digestTimer == null) {
      digestTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hooks-digests");
        t.setDaemon(true);
        return t;
      });
      for (NotifyHandler h : handlers.values()) {
        h.scheduleDigests(digestTimer, digestCheck);
      }
    }
  }

  /** Stops the digest timer and the sender; what is enqueued waits in the outbox for the next start. */
  @Override
  public synchronized void close() {
    if (digestTimer != null) {
      digestTimer.shutdownNow();
      digestTimer = null;
    }
    sender.close();
  }

  static Notifier notifier(String name, NotifyTargetConfig t) {
    String where = "notify.targets." + name;
    String type = (t.type != null ? t.type : name).strip().toLowerCase(Locale.ROOT);
    if (t.url == null || t.url.isBlank()) {
      throw new ConfigException(where + ".url is empty; set it, usually to ${" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_WEBHOOK_URL}");
    }
    try {
      URI url = new URI(t.url.strip());
      if (url.getHost() == null) {
        throw new ConfigException(where + ".url has no host; copy the webhook URL again from the chat's settings");
      }
      OutboundPolicy policy = OutboundPolicy.builder().allowHost(url.getHost())
          .allowPlainHttp(t.allowPlainHttp || isLoopback(url.getHost())).build();
      return switch (type) {
        case "discord" -> DiscordNotifier.builder(name, url).outbound(policy).build();
        case "slack" -> SlackNotifier.builder(name, url).outbound(policy).build();
        case "teams" -> TeamsNotifier.builder(name, url).outbound(policy).build();
        default -> throw new ConfigException(where + ".type '" + type + "' is unknown; use discord, slack or teams");
      };
    } catch (ConfigException ex) {
      throw ex;
    } catch (URISyntaxException | RuntimeException ex) {
      // the message names the host at most, never the URL's token
      throw new ConfigException(where + ".url is not usable: " + ex.getClass().getSimpleName()
          + (ex instanceof URISyntaxException ? "" : ": " + ex.getMessage()), ex);
    }
  }

  /** Plain HTTP is allowed to this machine (a local relay) without asking; elsewhere only with allow-plain-http. */
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
