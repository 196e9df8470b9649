package dev.hooks;

import dev.hooks.dispatch.Dispatcher;
import dev.hooks.ingress.Endpoint;
import dev.hooks.ingress.EndpointRegistry;
import dev.hooks.ingress.Ingress;
import dev.hooks.ingress.IngressStats;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.journal.JournalEntry;
import dev.hooks.parse.ParseResult;
import dev.hooks.route.Route;
import dev.hooks.route.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One hooks instance: endpoints, journal, router, ingress and dispatcher wired together. HTTP
 * adapters ({@code HooksServlet}, the Spring starter) hand requests to {@link #ingress()} and
 * read {@link #status()}. Thread-safe; one per application.
 *
 * <pre>{@code
 * Hooks hooks = Hooks.builder()
 *     .endpoint(Endpoint.builder("github").provider("github").verifier(v).parser(p).build())
 *     .journal(journal)
 *     .route(Route.builder("log").handler(e -> System.out.println(e)).build())
 *     .build();
 * hooks.start();
 * }</pre>
 */
public final class Hooks implements AutoCloseable {
  private final EndpointRegistry endpoints;
  private final EventJournal journal;
  private final AtomicReference<Router> router;
  private final Dispatcher dispatcher;
  private final Ingress ingress;
  private final Clock clock;

  private Hooks(Builder b) {
    this.endpoints = new EndpointRegistry(b.endpoints);
    this.journal = b.journal != null ? b.journal : new InMemoryEventJournal();
    this.router = new AtomicReference<>(Router.of(b.routes));
    this.clock = b.clock;
    Dispatcher.Builder d = Dispatcher.builder(journal, router::get, this::reparse).clock(clock).lease(b.lease);
    b.dispatcher.accept(d);
    this.dispatcher = d.build();
    this.ingress = new Ingress(endpoints, journal, dispatcher, clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts dispatching, resuming entries an earlier process left pending. */
  public Hooks start() {
    dispatcher.start();
    return this;
  }

  public Ingress ingress() {
    return ingress;
  }

  /** The endpoints served; add or remove endpoints here at run time. */
  public EndpointRegistry endpoints() {
    return endpoints;
  }

  public EventJournal journal() {
    return journal;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  public Router router() {
    return router.get();
  }

  /** Replaces the routes; events dispatched from now on use the new ones. */
  public void router(Router newRouter) {
    router.set(Objects.requireNonNull(newRouter, "router"));
  }

  /** Whether the journal can store deliveries now. */
  public boolean isHealthy() {
    try {
      return journal.isReachable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Counters for a status page: received, accepted, duplicates, rejected by reason, pending,
   * dead letters, in flight. Pending and dead letters are -1 when the journal cannot be read.
   */
  public Map<String, Object> status() {
    IngressStats s = ingress.stats();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("received", s.received());
    out.put("accepted", s.accepted());
    out.put("duplicates", s.duplicates());
    out.put("rejected", s.rejectedByReason());
    EventJournal.Backlog backlog;
    try {
      backlog = journal.backlog();
    } catch (RuntimeException e) {
      backlog = new EventJournal.Backlog(-1, -1);
    }
    out.put("pending", backlog.pending());
    out.put("dead_letters", backlog.dead());
    out.put("in_flight", dispatcher.inFlight());
    out.put("dispatched", dispatcher.completedCount());
    out.put("retries", dispatcher.retriedCount());
    out.put("journal", journal.durability().name().toLowerCase(java.util.Locale.ROOT));
    return out;
  }

  /** Stops taking deliveries, drains the dispatcher and closes the journal. */
  @Override
  public void close() {
    dispatcher.close();
    journal.close();
  }

  private ParseResult reparse(JournalEntry entry) {
    return endpoints.find(entry.endpointId())
        .map(e -> e.parser().parse(entry.delivery()))
        .orElseGet(() -> ParseResult.failed("endpoint '" + entry.endpointId() + "' no longer exists"));
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private @Nullable EventJournal journal;
    private Clock clock = Clock.systemUTC();
    private Duration lease = Duration.ofSeconds(30);
    private Consumer<Dispatcher.Builder> dispatcher = d -> {};

    private Builder() {}

    public Builder endpoint(Endpoint endpoint) {
      endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
      return this;
    }

    public Builder route(Route route) {
      routes.add(Objects.requireNonNull(route, "route"));
      return this;
    }

    /** The journal; default an {@link InMemoryEventJournal} (not durable). */
    public Builder journal(EventJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a process holds an entry before another may take it over; after a crash,
     * pending entries are resumed within this time. Default 30 s.
     */
    public Builder lease(Duration lease) {
      this.lease = Objects.requireNonNull(lease, "lease");
      return this;
    }

    /** Tunes the dispatcher: capacity, threads, attempts, backoff, ordering key, lease. */
    public Builder dispatcher(Consumer<Dispatcher.Builder> settings) {
      this.dispatcher = Objects.requireNonNull(settings, "settings");
      return this;
    }

    public Hooks build() {
      return new Hooks(this);
    }
  }
}
