package dev.hooks.notify;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import dev.hooks.notify.internal.DigestWindow;
import dev.hooks.notify.internal.DurableDigests;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.outbox.OutboxMessage;
import dev.hooks.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns events into notifications: for every {@link NotificationRoute} that matches, renders the
 * event with the route's template (else the {@link MessageTemplates} by kind, escaped for each
 * target's {@link TextFormat}) and enqueues each rendered request in the
 * {@link NotificationOutbox} under the key {@code (event id, route, target, part)}; the
 * {@link OutboxSender} delivers them. Handling an event twice enqueues nothing new. Events of a
 * route with a digest are counted into the route's current window instead; once the window has
 * passed (by the injected {@link Clock}) one summary per target is enqueued, on the next
 * {@link #handle} or {@link #flushDigests}, or as soon as it holds the route's max items. With
 * a {@linkplain Builder#digestState state store} the windows' events are kept there and survive
 * a restart: a window open when the process died is summarized once, with every event, when it
 * ends; an event handled twice is counted once. Without one, windows are kept in memory and a
 * restart loses the window in progress, never an enqueued message.
 *
 * <p>Thread-safe. Called on dispatcher threads; blocks only on the outbox.
 *
 * <pre>{@code
 * NotifyHandler notify = NotifyHandler.builder(outbox, notifiers)
 *     .route(NotificationRoute.builder("dev").provider("github").to("discord-dev").build())
 *     .build();
 * Route all = Route.builder("notify").handler(notify).build();
 * }</pre>
 */
public final class NotifyHandler implements EventHandler {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyHandler.class);

  private final NotificationOutbox outbox;
  private final NotifierRegistry notifiers;
  private final List<NotificationRoute> routes;
  private final MessageTemplates templates;
  private final Clock clock;
  private final Map<String, DigestWindow> windows = new HashMap<>();
  private final @Nullable DurableDigests durable;

  private NotifyHandler(Builder b) {
    this.outbox = b.outbox;
    this.notifiers = b.notifiers;
    this.routes = List.copyOf(b.routes.values());
    this.templates = b.templates;
    this.clock = b.clock;
    this.durable = b.digestState == null ? null : new DurableDigests(b.digestState);
  }

  public static Builder builder(NotificationOutbox outbox, NotifierRegistry notifiers) {
    return new Builder(outbox, notifiers);
  }

  @Override
  public String name() {
    return "notify";
  }

  public List<NotificationRoute> routes() {
    return routes;
  }

  /**
   * Enqueues the notifications of {@code event}, or counts it into digests.
   *
   * @throws dev.hooks.HooksException if the outbox cannot store; the dispatcher retries, and the
   *     keys keep the retry from duplicating what was stored
   */
  @Override
  public void handle(WebhookEvent event) {
    flushDigests();
    for (NotificationRoute route : routes) {
      if (!route.matches(event)) {
        continue;
      }
      Optional<Duration> digest = route.digest();
      if (digest.isPresent()) {
        addToDigest(route, digest.get(), event);
        continue;
      }
      MessageTemplate template = route.template().orElseGet(() -> templates.forEvent(event));
      for (String target : route.targets()) {
        Optional<Notifier> notifier = notifiers.find(target);
        if (notifier.isEmpty()) {
          LOG.warn("route {} names notifier {} which is not registered; event {} not sent to it", route.name(), target, event.id());
          continue;
        }
        Notification n = template.render(event, notifier.get().format());
        enqueue(event.id(), route.name(), notifier.get(), n);
      }
    }
  }

  /**
   * Enqueues the summary of every digest window that has ended.
   *
   * @return how many summaries were enqueued (one per window and target)
   */
  public int flushDigests() {
    Instant now = clock.instant();
    int enqueued = 0;
    if (durable != null) {
      synchronized (windows) {
        for (DurableDigests.Open open : durable.all()) {
          Optional<NotificationRoute> route = routeNamed(open.route());
          if (route.isEmpty() || route.get().digest().isEmpty()) {
            // a route no longer configured: its window is sent to nobody and dropped
            durable.finish(open);
            continue;
          }
          if (!open.start().plus(route.get().digest().get()).isAfter(now)) {
            enqueued += sendDurable(route.get(), open);
          }
        }
      }
    }
    Map<String, DigestWindow> due = new LinkedHashMap<>();
    synchronized (windows) {
      windows.entrySet().removeIf(w -> {
        if (!w.getValue().end().isAfter(now)) {
          due.put(w.getKey(), w.getValue());
          return true;
        }
        return false;
      });
    }
    for (Map.Entry<String, DigestWindow> w : due.entrySet()) {
      enqueued += sendMemory(w.getKey(), w.getValue());
    }
    return enqueued;
  }

  private void addToDigest(NotificationRoute route, Duration length, WebhookEvent event) {
    String group = route.digestGroupOf(event);
    Instant now = clock.instant();
    if (durable != null) {
      synchronized (windows) {
        DurableDigests.Open open = durable.open(route.name(), group).orElse(null);
        if (open != null && !open.start().plus(length).isAfter(now)) {
          sendDurable(route, open);
          open = null;
        }
        if (open == null) {
          open = durable.openAt(route.name(), group, now);
        }
        if (durable.add(open, event, now) >= route.digestMaxItems()) {
          sendDurable(route, open);
        }
      }
      return;
    }
    String key = route.name() + "\u0000" + group;
    DigestWindow full = null;
    synchronized (windows) {
      DigestWindow w = windows.computeIfAbsent(key, r -> new DigestWindow(now, length));
      w.add(event);
      if (w.events() >= route.digestMaxItems()) {
        full = windows.remove(key);
      }
    }
    if (full != null) {
      sendMemory(key, full);
    }
  }

  /** Enqueues the summary of a stored window, then forgets the window; the owner holds the lock. */
  private int sendDurable(NotificationRoute route, DurableDigests.Open open) {
    DigestWindow w = durable.window(open, route.digest().orElseThrow());
    int enqueued = w.events() == 0 ? 0 : sendSummary(route, open.group(), open.windowId(), w);
    durable.finish(open);
    return enqueued;
  }

  private int sendMemory(String key, DigestWindow w) {
    int cut = key.indexOf('\u0000');
    String routeName = key.substring(0, cut);
    String group = key.substring(cut + 1);
    NotificationRoute route = routeNamed(routeName).orElseThrow();
    String windowId = "digest:" + route.name() + ":" + (group.isEmpty() ? "" : group + ":") + w.start().toEpochMilli();
    return sendSummary(route, group, windowId, w);
  }

  private int sendSummary(NotificationRoute route, String group, String windowId, DigestWindow w) {
    int enqueued = 0;
    for (String target : route.targets()) {
      Optional<Notifier> notifier = notifiers.find(target);
      if (notifier.isEmpty()) {
        LOG.warn("route {} names notifier {} which is not registered; digest not sent to it", route.name(), target);
        continue;
      }
      TextFormat format = notifier.get().format();
      Notification summary = route.digestTemplate()
          .map(t -> t.render(WebhookEvent.builder(windowId, "hooks", "digest")
              .subject(group.isEmpty() ? null : group)
              .receivedAt(w.end())
              .attribute("count", Integer.toString(w.events()))
              .attribute("window", w.lengthText())
              .attribute("group", group.isEmpty() ? null : group)
              .attribute("summary", String.join("\n", w.lines(TextFormat.PLAIN)))
              .build(), format))
          .orElseGet(() -> w.summary(format));
      enqueue(windowId, route.name(), notifier.get(), summary);
      enqueued++;
    }
    return enqueued;
  }

  private Optional<NotificationRoute> routeNamed(String name) {
    return routes.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /**
   * Calls {@link #flushDigests} every {@code period} on {@code scheduler}, so that a quiet window
   * is summarized without waiting for the next event.
   */
  public ScheduledFuture<?> scheduleDigests(ScheduledExecutorService scheduler, Duration period) {
    long ms = period.toMillis();
    return scheduler.scheduleWithFixedDelay(() -> {
      try {
        flushDigests();
      } catch (RuntimeException e) {
        LOG.warn("digest flush failed; retried in {}", period, e);
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void enqueue(String eventId, String route, Notifier notifier, Notification n) {
    List<RenderedMessage> parts = notifier.render(n);
    Instant now = clock.instant();
    List<OutboxMessage> messages = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      RenderedMessage m = parts.get(i);
      String key = OutboxMessage.idempotencyKey(eventId, route, notifier.name(), i);
      messages.add(new OutboxMessage(key, eventId, route, notifier.name(), m.contentType(), m.body(), now));
    }
    for (OutboxMessage m : messages) {
      if (!outbox.enqueue(m)) {
        LOG.debug("{} already in the outbox", m);
      }
    }
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final NotificationOutbox outbox;
    private final NotifierRegistry notifiers;
    private final Map<String, NotificationRoute> routes = new LinkedHashMap<>();
    private MessageTemplates templates = MessageTemplates.defaults();
    private Clock clock = Clock.systemUTC();
    private @Nullable StateStore digestState;

    private Builder(NotificationOutbox outbox, NotifierRegistry notifiers) {
      this.outbox = Objects.requireNonNull(outbox, "outbox");
      this.notifiers = Objects.requireNonNull(notifiers, "notifiers");
    }

    /**
     * @throws IllegalArgumentException if a route of the same name was added
     */
    public Builder route(NotificationRoute route) {
      if (routes.putIfAbsent(route.name(), route) != null) {
        throw new IllegalArgumentException("two notification routes are named '" + route.name() + "'; names must be unique");
      }
      return this;
    }

    /** Templates by event kind; defaults to {@link MessageTemplates#defaults()}. */
    public Builder templates(MessageTemplates templates) {
      this.templates = Objects.requireNonNull(templates, "templates");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Keeps digest windows in {@code state} instead of the heap, so that a window's events
     * survive a restart and are summarized once when it ends.
     */
    public Builder digestState(StateStore state) {
      this.digestState = Objects.requireNonNull(state, "state");
      return this;
    }

    public NotifyHandler build() {
      return new NotifyHandler(this);
    }
  }
}
