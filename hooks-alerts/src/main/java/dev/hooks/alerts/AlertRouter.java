package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.HooksException;
import dev.hooks.alerts.internal.Masking;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.dispatch.PermanentFailureException;
import dev.hooks.event.WebhookEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert router: maps each delivery into alerts ({@link AlertMapper}), checks maintenance,
 * and turns each alert into an incident effect through its sink: open on an open value, a note
 * on a repeat (no second ticket), close on a close value, reopen within the endpoint's window.
 * Each alert's effect is applied once: the incident keeps the key of the last alert applied, and
 * an open adopts a ticket the sink already has ({@link IncidentSink#findOpen}). A sink failure
 * is recorded as failed with the sink's reason and thrown, so the dispatcher retries the delivery
 * with backoff and dead-letters it in the end. Thread-safe.
 *
 * <pre>{@code
 * AlertRouter router = AlertRouter.builder().endpoint(kuma).sink(connectWise).build();
 * Hooks hooks = Hooks.builder().route(Route.builder("alerts").endpoint("kuma").handler(router.handler()).build())...
 * }</pre>
 */
public final class AlertRouter {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRouter.class);

  private final Map<String, AlertEndpoint> endpoints;
  private final Map<String, IncidentSink> sinks;
  private final String defaultSink;
  private final IncidentStore store;
  private final AlertHistory history;
  private final Maintenance maintenance;
  private final Clock clock;
  private final boolean closeInMaintenance;
  private final @Nullable MeterRegistry meters;
  private final @Nullable OllamaRootCause rootCause;
  private final AtomicInteger replays = new AtomicInteger();

  private AlertRouter(Builder b) {
    this.endpoints = new java.util.concurrent.ConcurrentHashMap<>(b.endpoints);
    this.sinks = Map.copyOf(b.sinks);
    this.defaultSink = b.defaultSink != null ? b.defaultSink : b.sinks.keySet().iterator().next();
    this.store = b.store;
    this.history = b.history;
    this.maintenance = b.maintenance;
    this.clock = b.clock;
    this.closeInMaintenance = b.closeInMaintenance;
    this.meters = b.meters;
    this.rootCause = b.rootCause;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<String, AlertEndpoint> endpoints() {
    return Map.copyOf(endpoints);
  }

  /** Whether {@code id} is one of the router's endpoints now. */
  public boolean hasEndpoint(String id) {
    return endpoints.containsKey(id);
  }

  /**
   * Adds an endpoint, or replaces the one of the same id: alert endpoints created at run time.
   *
   * @throws IllegalArgumentException if it names a sink that is not configured
   */
  public void putEndpoint(AlertEndpoint e) {
    checkSinks(e, sinks);
    endpoints.put(e.id(), e);
  }

  /** Removes endpoint {@code id}; its later deliveries fail permanently, as those of an unknown endpoint. */
  public void removeEndpoint(String id) {
    endpoints.remove(id);
  }

  public Map<String, IncidentSink> sinks() {
    return sinks;
  }

  public IncidentStore store() {
    return store;
  }

  public AlertHistory history() {
    return history;
  }

  public Maintenance maintenance() {
    return maintenance;
  }

  /** The handler to route the alert endpoints' events to. */
  public EventHandler handler() {
    return new EventHandler() {
      @Override
      public void handle(WebhookEvent event) {
        process(event.endpointId(), event.id(), event.payload());
      }

      @Override
      public String name() {
        return "alerts";
      }
    };
  }

  /**
   * Handles one delivery of endpoint {@code endpointId}.
   *
   * @return one history entry per alert
   * @throws SinkException if a sink failed in a way worth retrying
   * @throws PermanentFailureException if a sink refused (a 4xx) or the endpoint is unknown
   */
  public List<HistoryEntry> process(String endpointId, String requestId, JsonNode payload) {
    AlertEndpoint e = endpoints.get(endpointId);
    if (e == null) {
      throw new PermanentFailureException("no alert endpoint '" + endpointId + "'");
    }
    Instant now = clock.instant();
    if (history.stored(requestId).isEmpty()) {
      history.received(requestId, endpointId, payload, now);
      count("hooks_alerts_received", "endpoint", e.name());
    }
    List<Alert> alerts = AlertMapper.map(e, requestId, payload);
    List<HistoryEntry> out = new ArrayList<>();
    for (Alert a : alerts) {
      out.add(apply(e, a));
    }
    return out;
  }

  /**
   * Re-runs a delivery kept in history as a new delivery, whatever its first outcome.
   *
   * @return the new entries, or empty if {@code requestId} is not (or no longer) in history
   */
  public Optional<List<HistoryEntry>> replay(String requestId) {
    Optional<AlertHistory.Stored> s = history.stored(requestId);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    String id = requestId + ":replay-" + replays.incrementAndGet() + "-" + clock.millis();
    return Optional.of(process(s.get().endpointId(), id, s.get().payload()));
  }

  private HistoryEntry apply(AlertEndpoint e, Alert a) {
    Instant now = clock.instant();
    String sinkName = a.overrides().sink() != null ? a.overrides().sink() : e.sink() != null ? e.sink() : defaultSink;
    IncidentSink sink = sinks.get(sinkName);
    if (sink == null) {
      return record(e, a, Outcome.FAILED, "sink '" + sinkName + "' is not configured", null, null);
    }
    Optional<String> suppressed = maintenance.suppressedBy(a, now);
    if (suppressed.isPresent() && !(a.action() == AlertAction.CLOSE && closeInMaintenance)) {
      return record(e, a, Outcome.SKIPPED, "suppressed by " + suppressed.get(), sinkName, null);
    }
    Ticket ticket = new Ticket(a.fingerprint(), a.summary(), a.description(), a.severity(),
        a.overrides().board() != null ? a.overrides().board() : e.board(), a.company(),
        a.overrides().priority() != null ? a.overrides().priority() : e.priority(), a.overrides().status());
    Object[] result = new Object[3];
    Timer.Sample sample = meters == null ? null : Timer.start(meters);
    try {
      store.update(a.fingerprint(), current -> {
        if (current.isPresent() && current.get().lastKey().equals(a.key())) {
          result[0] = Outcome.SKIPPED;
          result[1] = "already applied";
          result[2] = current.get().ticket();
          return Optional.empty();
        }
        Optional<Incident> next = effect(e, a, sink, ticket, current, now, result);
        result[2] = next.map(Incident::ticket).orElse(current.map(Incident::ticket).orElse(null));
        return next;
      });
    } catch (SinkException ex) {
      record(e, a, Outcome.FAILED, ex.getMessage(), sinkName, null);
      LOG.debug("{} {} failed on sink {}: {}", a.key(), e.name(), sinkName, ex.getMessage());
      if (ex.retryable()) {
        throw ex;
      }
      throw new PermanentFailureException(ex.getMessage(), ex);
    } catch (RuntimeException ex) {
      record(e, a, Outcome.FAILED, String.valueOf(ex.getMessage()), sinkName, null);
      throw ex;
    } catch (Exception ex) {
      record(e, a, Outcome.FAILED, String.valueOf(ex.getMessage()), sinkName, null);
      throw new HooksException("alert " + a.key() + " failed: " + ex.getMessage(), ex);
    } finally {
      if (sample != null) {
        sample.stop(meters.timer("hooks_alerts_sink_latency", "sink", sinkName));
      }
    }
    HistoryEntry h = record(e, a, (Outcome) result[0], (String) result[1], sinkName, (String) result[2]);
    if (rootCause != null && h.outcome() == Outcome.CREATED && h.reason().equals("ticket created") && h.ticket() != null) {
      rootCauseNote(e, a, sink, ticket, h.ticket());
    }
    return h;
  }

  // after the ticket is filed and stored: the model's failure or slowness never holds it back
  private void rootCauseNote(AlertEndpoint e, Alert a, IncidentSink sink, Ticket t, String ref) {
    Optional<String> note = rootCause.analyze(a, e.rootCauseInstructions());
    if (note.isEmpty()) {
      count("hooks_alerts_root_cause", "result", "none");
      return;
    }
    try {
      sink.note(ref, t, "Root-cause analysis (" + rootCause.model() + "):\n" + note.get());
      count("hooks_alerts_root_cause", "result", "noted");
    } catch (SinkException ex) {
      count("hooks_alerts_root_cause", "result", "failed");
      LOG.debug("{} root-cause note on {} failed: {}", a.key(), ref, ex.getMessage());
    }
  }

  private Optional<Incident> effect(AlertEndpoint e, Alert a, IncidentSink sink, Ticket t, Optional<Incident> current,
      Instant now, Object[] result) throws SinkException {
    Incident cur = current.orElse(null);
    switch (a.action()) {
      case OPEN -> {
        if (cur != null && cur.open()) {
          sink.note(cur.ticket(), t, "Repeat alert at " + now + ": " + (a.description().isEmpty() ? a.summary() : a.description()));
          result[0] = Outcome.UPDATED;
          result[1] = "note added to open ticket";
          return Optional.of(new Incident(cur.fingerprint(), cur.sink(), cur.ticket(), true, cur.openedAt(), cur.closedAt(),
              cur.updates() + 1, a.key()));
        }
        if (cur != null && cur.closedAt() != null && !e.reopenWithin().isZero()
            && Duration.between(cur.closedAt(), now).compareTo(e.reopenWithin()) <= 0 && cur.sink().equals(sink.name())) {
          sink.reopen(cur.ticket(), t);
          result[0] = Outcome.REOPENED;
          result[1] = "reopened within " + e.reopenWithin();
          return Optional.of(new Incident(cur.fingerprint(), cur.sink(), cur.ticket(), true, now, cur.closedAt(), cur.updates(), a.key()));
        }
        Optional<String> existing = sink.findOpen(t);
        if (existing.isPresent() && store.findOpenByTicket(sink.name(), existing.get())
            .filter(other -> !other.fingerprint().equals(a.fingerprint())).isPresent()) {
          // the ticket found belongs to another incident with the same summary (two alerts of one group)
          existing = Optional.empty();
        }
        String ref = existing.isPresent() ? existing.get() : sink.open(t);
        result[0] = Outcome.CREATED;
        result[1] = existing.isPresent() ? "adopted open ticket " + ref : "ticket created";
        return Optional.of(new Incident(a.fingerprint(), sink.name(), ref, true, now, null, 0, a.key()));
      }
      case CLOSE -> {
        if (cur == null || !cur.open()) {
          result[0] = Outcome.SKIPPED;
          result[1] = "close value with no open incident";
          return Optional.empty();
        }
        IncidentSink owner = sinks.getOrDefault(cur.sink(), sink);
        owner.close(cur.ticket(), t);
        result[0] = Outcome.CLOSED;
        result[1] = "ticket closed";
        return Optional.of(new Incident(cur.fingerprint(), cur.sink(), cur.ticket(), false, cur.openedAt(), now, cur.updates(), a.key()));
      }
      default -> {
        if (cur != null && cur.open()) {
          sink.note(cur.ticket(), t, "Status " + a.trigger() + " at " + now + ": " + a.description());
          result[0] = Outcome.UPDATED;
          result[1] = "note added (status " + a.trigger() + ")";
          return Optional.of(new Incident(cur.fingerprint(), cur.sink(), cur.ticket(), true, cur.openedAt(), cur.closedAt(),
              cur.updates() + 1, a.key()));
        }
        result[0] = Outcome.SKIPPED;
        result[1] = "trigger value " + (a.trigger() == null ? "absent" : "'" + a.trigger() + "'")
            + " is neither an open value " + e.openValues() + " nor a close value " + e.closeValues();
        return Optional.empty();
      }
    }
  }

  private HistoryEntry record(AlertEndpoint e, Alert a, Outcome o, String reason, @Nullable String sink, @Nullable String ticket) {
    HistoryEntry h = new HistoryEntry(a.key(), e.id(), a.requestId(), clock.instant(), o, reason, a.fingerprint(), a.summary(), sink, ticket,
        a.companyRule(), a.companyCandidates(), a.matchedRules(), Masking.mask(a.payload()).toString());
    history.record(h);
    count("hooks_alerts_outcomes", "outcome", o.name().toLowerCase(java.util.Locale.ROOT));
    return h;
  }

  private void count(String name, String tag, String value) {
    if (meters != null) {
      meters.counter(name, tag, value).increment();
    }
  }

  /** Health of each sink's last effect and the store, for {@code GET /health/services}. */
  public Map<String, Object> health() {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      store.list();
      m.put("incident_store", "up");
    } catch (RuntimeException ex) {
      m.put("incident_store", "down");
    }
    m.put("sinks", List.copyOf(sinks.keySet()));
    m.put("maintenance", maintenance.global());
    return m;
  }

  /** Builds an {@link AlertRouter}. Not thread-safe. */
  private static void checkSinks(AlertEndpoint e, Map<String, IncidentSink> sinks) {
    if (e.sink() != null && !sinks.containsKey(e.sink())) {
      throw new IllegalArgumentException("alert endpoint '" + e.name() + "' names sink '" + e.sink() + "', which is not declared (declared: " + sinks.keySet() + ")");
    }
    for (RoutingRule r : e.rules()) {
      if (r.overrides().sink() != null && !sinks.containsKey(r.overrides().sink())) {
        throw new IllegalArgumentException("routing rule '" + r.name() + "' names sink '" + r.overrides().sink() + "', which is not declared (declared: " + sinks.keySet() + ")");
      }
    }
  }

  public static final class Builder {
    private final Map<String, AlertEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, IncidentSink> sinks = new LinkedHashMap<>();
    private @Nullable String defaultSink;
    private IncidentStore store = new InMemoryIncidentStore();
    private AlertHistory history = new InMemoryAlertHistory(10_000);
    private Maintenance maintenance = new Maintenance();
    private Clock clock = Clock.systemUTC();
    private boolean closeInMaintenance = true;
    private @Nullable MeterRegistry meters;
    private @Nullable OllamaRootCause rootCause;

    private Builder() {}

    /** A model that writes a root-cause note on each new ticket; none by default. */
    public Builder rootCause(@Nullable OllamaRootCause rca) {
      this.rootCause = rca;
      return this;
    }

    public Builder endpoint(AlertEndpoint e) {
      if (endpoints.putIfAbsent(e.id(), e) != null) {
        throw new IllegalArgumentException("alert endpoint '" + e.name() + "' is declared twice");
      }
      return this;
    }

    public Builder sink(IncidentSink s) {
      sinks.put(s.name(), s);
      return this;
    }

    /** The sink of endpoints and rules that name none; default the first sink. */
    public Builder defaultSink(String name) {
      this.defaultSink = name;
      return this;
    }

    public Builder store(IncidentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    public Builder history(AlertHistory history) {
      this.history = Objects.requireNonNull(history, "history");
      return this;
    }

    public Builder maintenance(Maintenance m) {
      this.maintenance = Objects.requireNonNull(m, "maintenance");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Whether a close value received in maintenance still closes an open incident; default true. */
    public Builder closeInMaintenance(boolean on) {
      this.closeInMaintenance = on;
      return this;
    }

    /** Where the {@code hooks_alerts_*} counters and timers go; none by default. */
    public Builder meterRegistry(@Nullable MeterRegistry registry) {
      this.meters = registry;
      return this;
    }

    /** @throws IllegalArgumentException naming what refers to a sink that is not configured */
    public AlertRouter build() {
      if (sinks.isEmpty()) {
        throw new IllegalArgumentException("the alert router has no sink; declare one, such as a connectwise sink");
      }
      if (defaultSink != null && !sinks.containsKey(defaultSink)) {
        throw new IllegalArgumentException("default sink '" + defaultSink + "' is not declared (declared: " + sinks.keySet() + ")");
      }
      for (AlertEndpoint e : endpoints.values()) {
        checkSinks(e, sinks);
      }
      return new AlertRouter(this);
    }
  }
}
