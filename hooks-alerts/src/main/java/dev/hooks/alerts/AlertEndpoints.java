package dev.hooks.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.Hooks;
import dev.hooks.admin.AdminException;
import dev.hooks.endpoints.EndpointStore;
import dev.hooks.ingress.Endpoint;
import dev.hooks.signatures.GenericHmacSpec;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.state.StateStore;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HookWise's endpoints, {@code POST /webhook/{id}} with {@code Authorization: Bearer <token>} and
 * an optional {@code X-HookWise-Signature} (hex HMAC-SHA256 of the body), kept as entries of kind
 * {@value EndpointStore#ALERT} of the {@link EndpointStore} the hub and push-to-deploy share:
 * their tokens and HMAC secrets sealed with the registry's key, every change in its audit log.
 *
 * <p>Two sources: endpoints declared in configuration ({@link #declare}, whose token the
 * configuration holds; the registry keeps a sealed copy), and endpoints created at run time
 * ({@link #create}): their id is 64 URL-safe characters of {@code SecureRandom} (the URL cannot be
 * guessed), their token generated, both answered once and never again; they are restored by
 * {@link #start}, and can be listed (without secrets), disabled and deleted.
 *
 * <p>The endpoint behind {@code /webhook/{id}} is the hooks endpoint {@link #internalId(String)
 * internalId(id)}, so that journal, logs and history never print the id, a capability like the token.
 *
 * <p>Thread-safe; changes are serialized.
 *
 * <pre>{@code
 * AlertEndpoints alerts = AlertEndpoints.builder(registry, router).clock(clock).build();
 * alerts.start(hooks);
 * Map<String, Object> made = alerts.create("token:admin", Map.of("name", "kuma",
 *     "trigger", Map.of("path", "$.heartbeat.status", "open", List.of("0"), "close", List.of("1"))));
 * }</pre>
 */
public final class AlertEndpoints {
  /** HookWise's optional signature header: the hex HMAC-SHA256 of the raw body. */
  public static final String SIGNATURE_HEADER = "X-HookWise-Signature";
  /** The options {@link #create} takes. */
  public static final Set<String> OPTIONS = Set.of("name", "ticket_prefix", "trigger", "mapping", "rules", "sink", "board",
      "priority", "company", "fingerprint", "split", "reopen_within_minutes", "hmac", "allowed_cidrs");

  private static final Logger LOG = LoggerFactory.getLogger(AlertEndpoints.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9._~-]{1,200}");
  private static final String SOURCE_CONFIG = "config";
  private static final String SOURCE_API = "api";

  private final EndpointStore registry;
  private final AlertRouter router;
  private final Clock clock;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private @Nullable Hooks hooks;

  /** One stored endpoint; holds its token, so no record. */
  private static final class Entry {
    final String id;
    final String name;
    final String token;
    final @Nullable String hmacSecret;
    final boolean enabled;
    final String source;
    final Map<String, Object> settings;
    final String created;
    long version;

    Entry(String id, String name, String token, @Nullable String hmacSecret, boolean enabled, String source,
        Map<String, Object> settings, String created, long version) {
      this.id = id;
      this.name = name;
      this.token = token;
      this.hmacSecret = hmacSecret;
      this.enabled = enabled;
      this.source = source;
      this.settings = settings;
      this.created = created;
      this.version = version;
    }

    Entry enabled(boolean on) {
      return new Entry(id, name, token, hmacSecret, on, source, settings, created, version);
    }

    String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("name", name);
      m.put("token", token);
      if (hmacSecret != null) {
        m.put("hmac_secret", hmacSecret);
      }
      m.put("enabled", enabled);
      m.put("source", source);
      m.put("settings", settings);
      m.put("created", created);
      try {
        return JSON.writeValueAsString(m);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }

    static Entry fromJson(String json, long version) {
      Map<String, Object> m;
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> read = JSON.readValue(json, LinkedHashMap.class);
        m = read;
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("not JSON");
      }
      Object settings = m.get("settings");
      Map<String, Object> s = new LinkedHashMap<>();
      if (settings instanceof Map<?, ?> raw) {
        raw.forEach((k, v) -> s.put(String.valueOf(k), v));
      }
      return new Entry(text(m, "id"), text(m, "name"), text(m, "token"), (String) m.get("hmac_secret"),
          !Boolean.FALSE.equals(m.get("enabled")), String.valueOf(m.getOrDefault("source", SOURCE_API)), s,
          String.valueOf(m.getOrDefault("created", "")), version);
    }

    private static String text(Map<String, Object> m, String key) {
      if (!(m.get(key) instanceof String v) || v.isEmpty()) {
        throw new IllegalArgumentException("no '" + key + "'");
      }
      return v;
    }

    @Override
    public String toString() {
      return "AlertEndpoints.Entry[" + name + ", token=****]";
    }
  }

  private AlertEndpoints(Builder b) {
    this.registry = b.registry;
    this.router = b.router;
    this.clock = b.clock;
  }

  /**
   * @param registry where the endpoints are kept, sealed
   * @param router the router their events go to; endpoints created at run time are added to it
   */
  public static Builder builder(EndpointStore registry, AlertRouter router) {
    return new Builder(registry, router);
  }

  /**
   * The hooks endpoint id of the alert endpoint served at {@code /webhook/{id}}: {@code alert-}
   * and 24 hex digits of the id's SHA-256. HookWise's generated ids (URL-safe base64) may start
   * with '-' or '_', which a hooks endpoint id may not; and the journal, logs and history name
   * this id, never the one of the URL. An unknown id maps to an unknown endpoint: ingress's 404.
   */
  public static String internalId(String externalId) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(externalId.getBytes(StandardCharsets.UTF_8));
      return "alert-" + HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException ex) {
      throw new AssertionError("every JVM has SHA-256", ex);
    }
  }

  /** Whether {@code id} may be the path segment of {@code /webhook/{id}}: 1 to 200 of {@code A-Z a-z 0-9 . _ ~ -}. */
  public static boolean isValidId(String id) {
    return EXTERNAL_ID.matcher(id).matches();
  }

  /**
   * The hooks endpoint of an alert endpoint: bearer {@code token}, and when {@code hmacSecret} is
   * given also {@value #SIGNATURE_HEADER}; the body read by {@link AlertPayloadParser}.
   *
   * @throws IllegalArgumentException if a CIDR range does not parse
   */
  public static Endpoint hooksEndpoint(String externalId, String token, @Nullable String hmacSecret, List<String> allowedCidrs,
      boolean enabled, Clock clock) {
    SignatureVerifier verifier = SignatureVerifiers.bearer(List.of(Secret.of(token)), clock);
    if (hmacSecret != null && !hmacSecret.isBlank()) {
      verifier = SignatureVerifiers.allOf(verifier, SignatureVerifiers.genericHmac(GenericHmacSpec.builder(SIGNATURE_HEADER).build(),
          List.of(Secret.of(hmacSecret)), clock));
    }
    Endpoint.Builder eb = Endpoint.builder(internalId(externalId)).provider("alerts").verifier(verifier)
        .parser(new AlertPayloadParser()).enabled(enabled);
    for (String c : allowedCidrs) {
      eb.allowCidr(c);
    }
    return eb.build();
  }

  /**
   * Keeps a sealed copy of a configured endpoint's token (and HMAC secret) in the registry, written
   * only when it changed. The endpoint itself is the configuration's.
   */
  public synchronized void declare(String externalId, String name, String token, @Nullable String hmacSecret) {
    String internal = internalId(externalId);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("url_id", externalId);
    Optional<StateStore.Versioned> current = registry.get(EndpointStore.ALERT, internal);
    String created = current.map(v -> Entry.fromJson(v.value(), v.version()).created).orElse(clock.instant().toString());
    Entry e = new Entry(internal, name, token, hmacSecret == null || hmacSecret.isBlank() ? null : hmacSecret, true, SOURCE_CONFIG,
        settings, created, 0);
    String json = e.toJson();
    if (current.isPresent() && current.get().value().equals(json)) {
      return;
    }
    // a declared entry is the configuration's: a racing write is overwritten at the next start
    if (current.isEmpty()) {
      registry.create(EndpointStore.ALERT, internal, json);
    } else {
      registry.replace(EndpointStore.ALERT, internal, current.get().version(), json);
    }
    registry.audit("config", current.isPresent() ? "update" : "declare", EndpointStore.ALERT, internal, Map.of("name", name));
  }

  /**
   * Restores the endpoints created at run time: into {@code hooks}' endpoints and the router.
   * An entry that cannot be read is skipped with a warning naming it (never its id).
   */
  public synchronized AlertEndpoints start(Hooks hooks) {
    this.hooks = Objects.requireNonNull(hooks, "hooks");
    entries.clear();
    for (Map.Entry<String, StateStore.Versioned> kv : registry.list(EndpointStore.ALERT).entrySet()) {
      Entry e;
      try {
        e = Entry.fromJson(kv.getValue().value(), kv.getValue().version());
      } catch (IllegalArgumentException ex) {
        LOG.warn("alert endpoint entry {} cannot be read and is skipped: {}", kv.getKey(), ex.getMessage());
        continue;
      }
      if (!SOURCE_API.equals(e.source)) {
        continue;
      }
      try {
        install(e);
        entries.put(e.id, e);
      } catch (IllegalArgumentException | AdminException ex) {
        LOG.warn("alert endpoint '{}' cannot be restored and is skipped: {}", e.name, ex.getMessage());
      }
    }
    LOG.info("alerts: {} endpoint(s) created at run time", entries.size());
    return this;
  }

  /**
   * Creates an endpoint: a new id and token (and HMAC secret with {@code "hmac": true}), answered
   * here once: {@code id}, {@code url} ({@code /webhook/{id}}), {@code token}, {@code hmac_secret}.
   * Options: {@link #OPTIONS}; {@code trigger} is {@code {"path", "open", "close"}}, {@code mapping}
   * field → JsonPath or template, {@code rules} a list of {@code {"name", "path", "regex", "overrides"}}.
   *
   * @throws AdminException (400) naming the bad option, (409) if the registry refused the write
   * @throws IllegalStateException before {@link #start}
   */
  public synchronized Map<String, Object> create(String actor, Map<String, Object> options) {
    if (hooks == null) {
      throw new IllegalStateException("start the alert endpoints before creating one");
    }
    for (String k : options.keySet()) {
      if (!OPTIONS.contains(k)) {
        throw AdminException.invalid("unknown option '" + k + "'; use " + new TreeSet<>(OPTIONS));
      }
    }
    Object hmac = options.get("hmac");
    if (hmac != null && !(hmac instanceof Boolean)) {
      throw AdminException.invalid("'hmac' must be true or false");
    }
    String externalId = EndpointStore.newId();
    String internal = internalId(externalId);
    Map<String, Object> settings = new LinkedHashMap<>(options);
    settings.remove("hmac");
    settings.put("url_id", externalId);
    String name = options.get("name") instanceof String n && !n.isBlank() ? n.strip() : "endpoint-" + internal.substring(6, 14);
    Entry e = new Entry(internal, name, EndpointStore.newSecret(), Boolean.TRUE.equals(hmac) ? EndpointStore.newSecret() : null, true,
        SOURCE_API, settings, clock.instant().toString(), 0);
    alertEndpoint(e);
    hooksEndpoint(e);
    java.util.OptionalLong v = registry.create(EndpointStore.ALERT, internal, e.toJson());
    if (v.isEmpty()) {
      throw AdminException.conflict("an alert endpoint with this id exists; create again");
    }
    e.version = v.getAsLong();
    install(e);
    entries.put(internal, e);
    registry.audit(actor, "create", EndpointStore.ALERT, internal, Map.of("name", Map.of("to", name)));
    LOG.info("alert endpoint '{}' created", name);
    Map<String, Object> out = view(e);
    out.put("token", e.token);
    if (e.hmacSecret != null) {
      out.put("hmac_secret", e.hmacSecret);
    }
    return out;
  }

  /** The endpoints created at run time, without token or HMAC secret. */
  public synchronized List<Map<String, Object>> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    entries.values().forEach(e -> out.add(view(e)));
    return out;
  }

  /**
   * @throws AdminException (404) if there is no such endpoint created at run time
   */
  public synchronized Map<String, Object> get(String id) {
    return view(require(id));
  }

  /**
   * Enables or disables endpoint {@code id}; a disabled endpoint's deliveries are refused by ingress.
   *
   * @throws AdminException (404) if unknown, (409) if another process changed it meanwhile
   */
  public synchronized Map<String, Object> enabled(String actor, String id, boolean on) {
    Entry before = require(id);
    Entry next = before.enabled(on);
    java.util.OptionalLong v = registry.replace(EndpointStore.ALERT, before.id, before.version, next.toJson());
    if (v.isEmpty()) {
      throw AdminException.conflict("the endpoint was changed by another process; read it and retry");
    }
    next.version = v.getAsLong();
    install(next);
    entries.put(next.id, next);
    registry.audit(actor, on ? "enable" : "disable", EndpointStore.ALERT, next.id,
        Map.of("enabled", Map.of("from", before.enabled, "to", on)));
    return view(next);
  }

  /**
   * Deletes endpoint {@code id}: its URL answers 404 from now on.
   *
   * @throws AdminException (404) if unknown, (409) if another process changed it meanwhile
   */
  public synchronized void delete(String actor, String id) {
    Entry e = require(id);
    if (!registry.delete(EndpointStore.ALERT, e.id, e.version)) {
      throw AdminException.conflict("the endpoint was changed by another process; read it and retry");
    }
    entries.remove(e.id);
    Objects.requireNonNull(hooks).endpoints().remove(e.id);
    router.removeEndpoint(e.id);
    registry.audit(actor, "delete", EndpointStore.ALERT, e.id, Map.of("name", Map.of("from", e.name)));
    LOG.info("alert endpoint '{}' deleted", e.name);
  }

  /** The audit log of the registry, latest {@code limit} entries. */
  public List<Map<String, Object>> audit(int limit) {
    return registry.audit(limit);
  }

  /** Looks an endpoint up by the id of its URL or by its internal id. */
  private Entry require(String id) {
    Entry e = entries.get(id);
    if (e == null && isValidId(id)) {
      e = entries.get(internalId(id));
    }
    if (e == null) {
      throw AdminException.notFound(id.length() > 12 ? id.substring(0, 6) + "…" : id);
    }
    return e;
  }

  private void install(Entry e) {
    AlertEndpoint ae = alertEndpoint(e);
    Endpoint he = hooksEndpoint(e);
    router.putEndpoint(ae);
    Objects.requireNonNull(hooks).endpoints().put(he);
  }

  private Endpoint hooksEndpoint(Entry e) {
    try {
      return hooksEndpoint(urlId(e), e.token, e.hmacSecret, strings(e.settings.get("allowed_cidrs"), "allowed_cidrs"), e.enabled, clock);
    } catch (IllegalArgumentException ex) {
      throw AdminException.invalid(ex.getMessage());
    }
  }

  private static String urlId(Entry e) {
    return String.valueOf(e.settings.get("url_id"));
  }

  private Map<String, Object> view(Entry e) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", urlId(e));
    v.put("name", e.name);
    v.put("url", "/webhook/" + urlId(e));
    v.put("enabled", e.enabled);
    v.put("hmac", e.hmacSecret != null);
    Map<String, Object> settings = new LinkedHashMap<>(e.settings);
    settings.remove("url_id");
    settings.remove("name");
    v.put("settings", settings);
    v.put("created", e.created);
    return v;
  }

  /** The router's endpoint of an entry's settings; a bad setting is a 400 naming it. */
  private AlertEndpoint alertEndpoint(Entry e) {
    Map<String, Object> s = e.settings;
    try {
      AlertEndpoint.Builder b = AlertEndpoint.builder(e.id).name(e.name);
      text(s, "ticket_prefix").ifPresent(b::ticketPrefix);
      if (s.get("trigger") != null) {
        if (!(s.get("trigger") instanceof Map<?, ?> t) || !(t.get("path") instanceof String path) || path.isBlank()) {
          throw AdminException.invalid("'trigger' must be {\"path\": \"$.heartbeat.status\", \"open\": [...], \"close\": [...]}");
        }
        b.trigger(path.strip(), split(strings(t.get("open"), "trigger.open")), split(strings(t.get("close"), "trigger.close")));
      }
      if (s.get("mapping") != null) {
        if (!(s.get("mapping") instanceof Map<?, ?> m)) {
          throw AdminException.invalid("'mapping' must be an object of field → JsonPath or template");
        }
        for (Map.Entry<?, ?> kv : m.entrySet()) {
          if (!(kv.getValue() instanceof String path)) {
            throw AdminException.invalid("mapping." + kv.getKey() + " must be a string");
          }
          b.map(String.valueOf(kv.getKey()), path);
        }
      }
      if (s.get("rules") != null) {
        if (!(s.get("rules") instanceof List<?> rules)) {
          throw AdminException.invalid("'rules' must be a list of {\"name\", \"path\", \"regex\", \"overrides\"}");
        }
        for (int i = 0; i < rules.size(); i++) {
          b.rule(rule(rules.get(i), i));
        }
      }
      b.sink(text(s, "sink").orElse(null)).board(text(s, "board").orElse(null)).priority(text(s, "priority").orElse(null))
          .company(text(s, "company").orElse(null)).fingerprint(text(s, "fingerprint").orElse(null))
          .splitPath(text(s, "split").orElse(null));
      if (s.get("reopen_within_minutes") != null) {
        if (!(s.get("reopen_within_minutes") instanceof Number n) || n.longValue() < 0) {
          throw AdminException.invalid("'reopen_within_minutes' must be a number of minutes");
        }
        b.reopenWithin(Duration.ofMinutes(n.longValue()));
      }
      AlertEndpoint built = b.build();
      if (built.sink() != null && !router.sinks().containsKey(built.sink())) {
        throw AdminException.invalid("sink '" + built.sink() + "' is not configured (configured: " + router.sinks().keySet() + ")");
      }
      return built;
    } catch (AdminException ex) {
      throw ex;
    } catch (RuntimeException ex) {
      throw AdminException.invalid(String.valueOf(ex.getMessage()));
    }
  }

  private static RoutingRule rule(Object raw, int index) {
    if (!(raw instanceof Map<?, ?> r)) {
      throw AdminException.invalid("rules[" + index + "] must be an object");
    }
    String name = r.get("name") instanceof String n ? n : "rule-" + (index + 1);
    Map<String, String> o = new LinkedHashMap<>();
    if (r.get("overrides") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> o.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    }
    Set<String> known = Set.of("board", "priority", "company", "customer_id", "status", "sink", "template");
    for (String k : o.keySet()) {
      if (!known.contains(k)) {
        throw AdminException.invalid("rules[" + index + "]: unknown override '" + k + "'; use one of " + new TreeSet<>(known));
      }
    }
    Overrides overrides = new Overrides(o.get("board"), o.get("priority"), o.containsKey("company") ? o.get("company") : o.get("customer_id"),
        o.get("status"), o.get("sink"), o.get("template"));
    return RoutingRule.of(name, String.valueOf(r.get("path")), String.valueOf(r.get("regex")), overrides);
  }

  private static Optional<String> text(Map<String, Object> s, String key) {
    Object v = s.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String t)) {
      throw AdminException.invalid("'" + key + "' must be a string");
    }
    return t.isBlank() ? Optional.empty() : Optional.of(t.strip());
  }

  private static List<String> strings(@Nullable Object v, String key) {
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    for (Object item : v instanceof List<?> l ? l : List.of(v)) {
      if (!(item instanceof String || item instanceof Number)) {
        throw AdminException.invalid("'" + key + "' must be a string or a list of strings");
      }
      out.add(String.valueOf(item));
    }
    return out;
  }

  // HookWise writes "CRITICAL, WARNING" in one field: a comma-separated value is a list
  private static List<String> split(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "AlertEndpoints[" + entries.size() + " created at run time]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final EndpointStore registry;
    private final AlertRouter router;
    private Clock clock = Clock.systemUTC();

    private Builder(EndpointStore registry, AlertRouter router) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.router = Objects.requireNonNull(router, "router");
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public AlertEndpoints build() {
      return new AlertEndpoints(this);
    }
  }
}
