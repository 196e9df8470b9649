package dev.hooks.notify;

import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import dev.hooks.notify.internal.DigestWindow;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.outbox.OutboxMessage;
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
 * {@link #handle} or {@link #flushDigests}. Digest windows are kept in memory: a restart loses
 * the window in progress, never an enqueued message.
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

  private NotifyHandler(Builder b) {
    this.outbox = b.outbox;
    this.notifiers = b.notifiers;
    this.routes = List.copyOf(b.routes.values());
    this.templates = b.templates;
    this.clock = b.clock;
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
        synchronized (windows) {
          windows.computeIfAbsent(route.name(), r -> new DigestWindow(clock.instant(), digest.get())).add(event);
        }
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
    int enqueued = 0;
    for (Map.Entry<String, DigestWindow> w : due.entrySet()) {
      NotificationRoute route = routes.stream().filter(r -> r.name().equals(w.getKey())).findFirst().orElseThrow();
      String windowId = "digest:" + route.name() + ":" + w.getValue().start().toEpochMilli();
      for (String target : route.targets()) {
        Optional<Notifier> notifier = notifiers.find(target);
        if (notifier.isEmpty()) {
          LOG.warn("route {} names notifier {} which is not registered; digest not sent to it", route.name(), target);
          continue;
        }
        enqueue(windowId, route.name(), notifier.get(), w.getValue().summary(notifier.get().format()));
        enqueued++;
      }
    }
    return enqueued;
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

    public NotifyHandler build() {
      return new NotifyHandler(this);
    }
  }
}
