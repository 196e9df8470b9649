package dev.hooks.remediation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.HooksException;
import dev.hooks.remediation.ServiceKey;
import dev.hooks.remediation.ServicePhase;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The persisted state of one service, read and written as JSON in the state store. Mutable:
 * one instance per compare-and-set attempt, never shared between threads.
 */
public final class FailureRecord {
  /** Event ids remembered to make counting idempotent under redelivery. */
  static final int SEEN_IDS = 128;

  private static final ObjectMapper JSON = new ObjectMapper();

  public final ServiceKey service;
  public ServicePhase phase = ServicePhase.OK;
  /** Failures since the last reset (consecutive counting). */
  public int count;
  /** Instants of the recent failures (windowed counting), oldest first. */
  public List<Instant> failures = new ArrayList<>();
  /** Instants of recent recoveries (failing to healthy), oldest first, for flapping. */
  public List<Instant> recoveries = new ArrayList<>();
  public @Nullable Instant lastFailureAt;
  public @Nullable String lastFailureReason;
  public @Nullable Instant healthySince;
  public int attempts;
  public long incident;
  public @Nullable String incidentReason;
  public int incidentFailures;
  public @Nullable Instant lastRemediationAt;
  /** Meaning depends on the phase: remediation due (FAILING), lease end, verification due. */
  public @Nullable Instant dueAt;
  public @Nullable Instant quarantinedAt;
  public List<String> stepErrors = new ArrayList<>();
  public Deque<String> seen = new ArrayDeque<>();

  public FailureRecord(ServiceKey service) {
    this.service = service;
  }

  public boolean seen(String eventId) {
    return seen.contains(eventId);
  }

  public void remember(String eventId) {
    seen.addLast(eventId);
    while (seen.size() > SEEN_IDS) {
      seen.removeFirst();
    }
  }

  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("project", service.project());
    o.put("service", service.service());
    o.put("phase", phase.name());
    o.put("count", count);
    instants(o.putArray("failures"), failures);
    instants(o.putArray("recoveries"), recoveries);
    put(o, "last_failure_at", lastFailureAt);
    o.put("last_failure_reason", lastFailureReason);
    put(o, "healthy_since", healthySince);
    o.put("attempts", attempts);
    o.put("incident", incident);
    o.put("incident_reason", incidentReason);
    o.put("incident_failures", incidentFailures);
    put(o, "last_remediation_at", lastRemediationAt);
    put(o, "due_at", dueAt);
    put(o, "quarantined_at", quarantinedAt);
    ArrayNode errors = o.putArray("step_errors");
    stepErrors.forEach(errors::add);
    ArrayNode ids = o.putArray("seen");
    seen.forEach(ids::add);
    return o.toString();
  }

  public static FailureRecord fromJson(String text) {
    JsonNode o;
    try {
      o = JSON.readTree(text);
    } catch (Exception e) {
      throw new HooksException("unreadable remediation state: " + e.getMessage(), e);
    }
    FailureRecord r = new FailureRecord(ServiceKey.of(o.path("project").asText(), o.path("service").asText()));
    r.phase = ServicePhase.valueOf(o.path("phase").asText(ServicePhase.OK.name()));
    r.count = o.path("count").asInt();
    r.failures = instants(o.path("failures"));
    r.recoveries = instants(o.path("recoveries"));
    r.lastFailureAt = instant(o.path("last_failure_at"));
    r.lastFailureReason = text(o.path("last_failure_reason"));
    r.healthySince = instant(o.path("healthy_since"));
    r.attempts = o.path("attempts").asInt();
    r.incident = o.path("incident").asLong();
    r.incidentReason = text(o.path("incident_reason"));
    r.incidentFailures = o.path("incident_failures").asInt();
    r.lastRemediationAt = instant(o.path("last_remediation_at"));
    r.dueAt = instant(o.path("due_at"));
    r.quarantinedAt = instant(o.path("quarantined_at"));
    o.path("step_errors").forEach(n -> r.stepErrors.add(n.asText()));
    o.path("seen").forEach(n -> r.seen.addLast(n.asText()));
    return r;
  }

  private static void put(ObjectNode o, String name, @Nullable Instant value) {
    if (value == null) {
      o.putNull(name);
    } else {
      o.put(name, value.toString());
    }
  }

  private static void instants(ArrayNode array, List<Instant> values) {
    values.forEach(v -> array.add(v.toString()));
  }

  private static List<Instant> instants(JsonNode array) {
    List<Instant> out = new ArrayList<>();
    array.forEach(n -> out.add(Instant.parse(n.asText())));
    return out;
  }

  private static @Nullable Instant instant(JsonNode node) {
    return node.isTextual() ? Instant.parse(node.asText()) : null;
  }

  private static @Nullable String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }
}
