package dev.hooks.endpoints.hub;

import dev.hooks.Hooks;
import dev.hooks.HooksException;
import dev.hooks.admin.AdminException;
import dev.hooks.admin.EndpointAdmin;
import dev.hooks.endpoints.EncryptionKeyException;
import dev.hooks.endpoints.EndpointStore;
import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.ingress.Endpoint;
import dev.hooks.ingress.InboundRequest;
import dev.hooks.ingress.IngressResult;
import dev.hooks.notify.DiscordNotifier;
import dev.hooks.notify.MessageTemplate;
import dev.hooks.notify.MessageTemplates;
import dev.hooks.notify.NotificationRoute;
import dev.hooks.notify.Notifier;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.NotifyHandler;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.notify.SlackNotifier;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.PayloadParsers;
import dev.hooks.route.Route;
import dev.hooks.route.Router;
import dev.hooks.signatures.GenericHmacSpec;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.state.StateStore;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound endpoints and their notifications, managed at run time: the operations behind the
 * {@code !hook} commands. Each hub endpoint is an {@link Endpoint} in {@link Hooks#endpoints()}
 * ({@code POST /hooks/{id}}) with a generated secret, plus a route that sends its events, through
 * a {@link NotifyHandler} and the durable outbox, to one notifier target. Changes are stored as
 * entries of kind {@value EndpointStore#HUB} of the {@link EndpointStore} the alert and deploy
 * endpoints share ({@code endpoints/hub/{id}} of its state store; compare-and-set: a change that
 * raced another process's is refused with 409), audited in its one log, and restored by
 * {@link #start()}.
 *
 * <table>
 *   <caption>Kinds, and what their senders send</caption>
 *   <tr><th>kind</th><th>parser</th><th>proof of origin</th></tr>
 *   <tr><td>{@code github}</td><td>github</td><td>{@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}
 *       (set the secret in the repository's webhook settings)</td></tr>
 *   <tr><td>{@code gitlab}</td><td>gitlab</td><td>{@code X-Gitlab-Token: <secret>} (GitLab's "Secret token")</td></tr>
 *   <tr><td>{@code docker}</td><td>detecting (Docker Engine events, Docker Hub)</td><td rowspan="3">
 *       {@code X-Hooks-Token: <secret>}, or with option {@code "signature": "hmac"}
 *       {@code X-Hooks-Signature: sha256=<hex HMAC-SHA256 of the body>}. Docker Hub's own webhooks
 *       can set neither: forward them, or Engine events, with a script ({@code curl -H}).</td></tr>
 *   <tr><td>{@code ci}</td><td>detecting (Jenkins, CircleCI, GitLab and GitHub pipelines...)</td></tr>
 *   <tr><td>{@code custom}</td><td>generic JSON; {@code X-Hooks-Delivery} names a delivery</td></tr>
 * </table>
 *
 * <p>{@link #create} options: {@code id} (default {@code hook_001}, {@code hook_002}...),
 * {@code target} (a notifier name of the registry, default the builder's default target; or a
 * Discord or Slack incoming-webhook URL whose host {@link Builder#outbound} allows, kept like
 * the secret and shown as {@code target_host} only),
 * {@code signature} ({@code token} or {@code hmac}, for docker, ci and custom), the filters of
 * {@link #filters} and {@code template}. Filters: {@code events} (event types; {@code pr} reads
 * as {@code pull_request}), {@code actions}, {@code branch} and {@code repository} (globs); each
 * a string, a comma-separated string or a list.
 *
 * <p>The secret is 32 bytes of {@link SecureRandom} in URL-safe base64, answered once by
 * {@link #create} and never again, never logged. It is stored in the registry (the hub must
 * recompute signatures), sealed when the registry has a {@link dev.hooks.endpoints.SecretCipher}.
 *
 * <p>Thread-safe; changes are serialized. One hub per {@link Hooks}: the hub owns the routes
 * named {@code hub-*} of its router and keeps the others.
 *
 * <pre>{@code
 * NotificationHub hub = NotificationHub.builder(hooks, journals.stateStore(), outbox, notifiers)
 *     .publicUrl(URI.create("https://hooks.example.com"))
 *     .defaultTarget("discord")
 *     .build()
 *     .start();
 * Map<String, Object> created = hub.create("github", Map.of("branch", "main"));
 * }</pre>
 */
public final class NotificationHub implements EndpointAdmin {
  /** The state store key prefix of the hub's endpoints: entries of kind {@value EndpointStore#HUB} of the {@link EndpointStore}. */
  public static final String KEY_PREFIX = EndpointStore.KEY_PREFIX + EndpointStore.HUB + "/";
  /** The state store key prefix of the audit log, {@link EndpointStore}'s; its values hold no secret. */
  public static final String AUDIT_PREFIX = EndpointStore.AUDIT_PREFIX;
  /** Where hub endpoints were kept before the {@link EndpointStore}; {@link #start()} moves plain ones. */
  public static final String LEGACY_PREFIX = "hub/endpoints/";
  /** The actor of changes made through the hub itself rather than through {@link #as}. */
  public static final String UNATTRIBUTED = "api";
  /** The kinds {@link #create} takes. */
  public static final List<String> KINDS = List.of("github", "gitlab", "docker", "ci", "custom");

  static final String SIGNATURE_TOKEN = "token";
  static final String SIGNATURE_HMAC = "hmac";

  private static final Logger LOG = LoggerFactory.getLogger(NotificationHub.class);
  private static final String ROUTE_PREFIX = "hub-";
  private static final Pattern SEQUENTIAL = Pattern.compile("hook_(\\d+)");
  private static final Set<String> CREATE_OPTIONS =
      Set.of("id", "target", "signature", "events", "actions", "branch", "repository", "template");
  private static final Set<String> FILTER_OPTIONS = Set.of("events", "actions", "branch", "repository");
  private static final Set<String> UPDATE_OPTIONS = Set.of("target", "filters", "template", "enabled");
  private static final int MAX_ACTOR = 200;

  private final Hooks hooks;
  private final EndpointStore store;
  private final NotificationOutbox outbox;
  private final NotifierRegistry notifiers;
  private final MessageTemplates templates;
  private final @Nullable URI publicUrl;
  private final @Nullable String defaultTarget;
  private final @Nullable OutboundPolicy outbound;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Stored> entries = new TreeMap<>();

  private record Stored(HubEntry entry, long version) {}

  private NotificationHub(Builder b) {
    this.hooks = b.hooks;
    this.store = b.store != null ? b.store : EndpointStore.builder(Objects.requireNonNull(b.stateStore)).clock(b.clock).build();
    this.outbox = b.outbox;
    this.notifiers = b.notifiers;
    this.templates = b.templates;
    this.publicUrl = b.publicUrl;
    this.defaultTarget = b.defaultTarget;
    this.outbound = b.outbound;
    this.clock = b.clock;
  }

  /**
   * @param hooks where endpoints are registered and routes installed
   * @param store where the hub's endpoints are kept, such as hooks-jdbc's {@code JdbcStateStore}
   * @param outbox where notifications are enqueued; an {@code OutboxSender} delivers them
   * @param notifiers the targets endpoints may name
   */
  public static Builder builder(Hooks hooks, StateStore store, NotificationOutbox outbox, NotifierRegistry notifiers) {
    return new Builder(hooks, Objects.requireNonNull(store, "store"), null, outbox, notifiers);
  }

  /**
   * A hub whose endpoints are entries of kind {@value EndpointStore#HUB} of {@code registry},
   * sealed and audited as it seals and audits.
   *
   * @param registry the registry of run-time endpoints the alert and deploy endpoints share
   */
  public static Builder builder(Hooks hooks, EndpointStore registry, NotificationOutbox outbox, NotifierRegistry notifiers) {
    return new Builder(hooks, null, Objects.requireNonNull(registry, "registry"), outbox, notifiers);
  }

  /**
   * Loads the stored endpoints, registers them in {@link Hooks#endpoints()} and installs their
   * routes. An entry that cannot be read is skipped with a warning naming its key.
   *
   * @return this hub
   * @throws HooksException if the state store cannot be read
   */
  public synchronized NotificationHub start() {
    entries.clear();
    try {
      store.migrate(LEGACY_PREFIX, EndpointStore.HUB, null);
    } catch (EncryptionKeyException ex) {
      LOG.warn("hub entries under {} are encrypted and stay there: {}", LEGACY_PREFIX, ex.getMessage());
    }
    for (Map.Entry<String, StateStore.Versioned> kv : store.list(EndpointStore.HUB).entrySet()) {
      try {
        HubEntry e = HubEntry.fromJson(kv.getValue().value());
        if (e.targetUrl != null) {
          notifiers.register(urlNotifier(e.target, e.targetUrl));
        }
        hooks.endpoints().put(endpoint(e));
        entries.put(e.id, new Stored(e, kv.getValue().version()));
      } catch (IllegalArgumentException | AdminException ex) {
        LOG.warn("hub entry {} cannot be read and is skipped: {}", kv.getKey(), ex.getMessage());
      }
    }
    publishRoutes();
    LOG.info("notification hub serves {} endpoint(s)", entries.size());
    return this;
  }

  @Override
  public Map<String, Object> create(String kind, Map<String, Object> options) {
    return create(UNATTRIBUTED, kind, options);
  }

  synchronized Map<String, Object> create(String actor, String kind, Map<String, Object> options) {
    String k = kind.trim().toLowerCase(Locale.ROOT);
    if (!KINDS.contains(k)) {
      throw AdminException.invalid("unknown kind '" + kind + "'; use one of " + String.join(", ", KINDS));
    }
    unknownOptions(options, CREATE_OPTIONS);
    String id = optionalText(options, "id").orElseGet(this::nextId);
    try {
      Endpoint.builder(id);
    } catch (IllegalArgumentException ex) {
      throw AdminException.invalid(ex.getMessage());
    }
    if (entries.containsKey(id) || hooks.endpoints().find(id).isPresent()) {
      throw AdminException.conflict("endpoint '" + id + "' exists");
    }
    String target = optionalText(options, "target").orElse(defaultTarget);
    if (target == null) {
      throw AdminException.invalid("no target; set 'target' to one of " + targetNames());
    }
    String targetUrl = null;
    if (target.contains("://")) {
      targetUrl = target;
      target = ROUTE_PREFIX + id;
      urlNotifier(target, targetUrl);
    } else if (notifiers.find(target).isEmpty()) {
      throw AdminException.invalid("unknown target '" + target + "'; use one of " + targetNames());
    }
    String signature = optionalText(options, "signature").orElse(SIGNATURE_TOKEN);
    if (!signature.equals(SIGNATURE_TOKEN) && !signature.equals(SIGNATURE_HMAC)) {
      throw AdminException.invalid("signature must be 'token' or 'hmac', not '" + signature + "'");
    }
    if (k.equals("github") || k.equals("gitlab")) {
      if (options.containsKey("signature")) {
        throw AdminException.invalid("a " + k + " endpoint is signed as " + k + " signs; 'signature' is for docker, ci and custom");
      }
      signature = k;
    }
    String template = optionalText(options, "template").orElse(null);
    if (template != null) {
      compile(template);
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    HubEntry e = new HubEntry(id, k, secret, signature, true, events(options), list(options, "actions"),
        list(options, "branch"), list(options, "repository"), template, target, targetUrl, clock.instant());
    Endpoint endpoint = endpoint(e);
    OptionalLong version = store.create(EndpointStore.HUB, id, e.toJson());
    if (version.isEmpty()) {
      throw AdminException.conflict("endpoint '" + id + "' was created by another process");
    }
    entries.put(id, new Stored(e, version.getAsLong()));
    if (targetUrl != null) {
      notifiers.register(urlNotifier(target, targetUrl));
    }
    hooks.endpoints().put(endpoint);
    publishRoutes();
    LOG.info("hub endpoint {} ({}) created, notifying {}", id, k, target);
    record(actor, "create", id, Map.of(), view(e));
    Map<String, Object> view = view(e);
    view.put("secret", secret);
    return view;
  }

  @Override
  public synchronized List<Map<String, Object>> list() {
    return entries.values().stream().map(s -> view(s.entry())).toList();
  }

  @Override
  public synchronized Map<String, Object> get(String id) {
    return view(require(id).entry());
  }

  @Override
  public void delete(String id) {
    delete(UNATTRIBUTED, id);
  }

  synchronized void delete(String actor, String id) {
    Stored s = require(id);
    if (!store.delete(EndpointStore.HUB, id, s.version())) {
      throw AdminException.conflict("endpoint '" + id + "' was changed by another process; read it and retry");
    }
    entries.remove(id);
    hooks.endpoints().remove(id);
    publishRoutes();
    if (s.entry().targetUrl != null) {
      notifiers.remove(s.entry().target);
    }
    LOG.info("hub endpoint {} deleted", id);
    record(actor, "delete", id, view(s.entry()), Map.of());
  }

  @Override
  public Map<String, Object> enabled(String id, boolean enabled) {
    return update(UNATTRIBUTED, id, Map.of("enabled", enabled), enabled ? "enable" : "disable");
  }

  @Override
  public Map<String, Object> filters(String id, Map<String, Object> filters) {
    return update(UNATTRIBUTED, id, Map.of("filters", filters), "filters");
  }

  @Override
  public Map<String, Object> template(String id, @Nullable String template) {
    Map<String, Object> changes = new LinkedHashMap<>();
    changes.put("template", template);
    return update(UNATTRIBUTED, id, changes, "template");
  }

  @Override
  public Map<String, Object> target(String id, String target) {
    return update(UNATTRIBUTED, id, Map.of("target", target), "target");
  }

  /**
   * Changes any of {@code target}, {@code filters}, {@code template} and {@code enabled} in one
   * compare-and-set write, after checking every value; see {@link EndpointAdmin#update}.
   */
  @Override
  public Map<String, Object> update(String id, Map<String, Object> changes) {
    return update(UNATTRIBUTED, id, changes, "update");
  }

  /**
   * This hub acting for {@code actor}: its changes are audited under that name (control
   * characters removed, at most 200 characters).
   *
   * @throws NullPointerException if {@code actor} is null
   * @throws IllegalArgumentException if {@code actor} is blank
   */
  @Override
  public EndpointAdmin as(String actor) {
    String name = Objects.requireNonNull(actor, "actor").replaceAll("\\p{Cntrl}", "").strip();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("an actor needs a name");
    }
    return new Acting(name.length() > MAX_ACTOR ? name.substring(0, MAX_ACTOR) : name);
  }

  /**
   * The latest {@code limit} entries of the audit log, oldest first; see {@link EndpointAdmin#audit}.
   *
   * @throws HooksException if the state store cannot be read
   */
  @Override
  public List<Map<String, Object>> audit(int limit) {
    return store.audit(limit);
  }

  synchronized Map<String, Object> update(String actor, String id, Map<String, Object> changes, String action) {
    Stored s = require(id);
    unknownOptions(changes, UPDATE_OPTIONS);
    if (changes.isEmpty()) {
      throw AdminException.invalid("nothing to change; send any of " + String.join(", ", new java.util.TreeSet<>(UPDATE_OPTIONS)));
    }
    HubEntry before = s.entry();
    HubEntry next = before;
    if (changes.containsKey("enabled")) {
      if (!(changes.get("enabled") instanceof Boolean on)) {
        throw AdminException.invalid("'enabled' must be true or false");
      }
      next = next.withEnabled(on);
    }
    if (changes.containsKey("filters")) {
      if (!(changes.get("filters") instanceof Map<?, ?> raw)) {
        throw AdminException.invalid("'filters' must be an object");
      }
      Map<String, Object> filters = new LinkedHashMap<>();
      raw.forEach((k, v) -> filters.put(String.valueOf(k), v));
      unknownOptions(filters, FILTER_OPTIONS);
      next = next.withFilters(events(filters), list(filters, "actions"), list(filters, "branch"), list(filters, "repository"));
    }
    if (changes.containsKey("template")) {
      Object t = changes.get("template");
      if (t != null && !(t instanceof String)) {
        throw AdminException.invalid("'template' must be a string or null");
      }
      String text = t == null || ((String) t).isBlank() ? null : (String) t;
      if (text != null) {
        compile(text);
      }
      next = next.withTemplate(text);
    }
    Notifier byUrl = null;
    if (changes.containsKey("target")) {
      if (!(changes.get("target") instanceof String raw) || raw.isBlank()) {
        throw AdminException.invalid("'target' must be a non-blank string");
      }
      String name = raw.strip();
      String url = null;
      if (name.contains("://")) {
        url = name;
        name = ROUTE_PREFIX + id;
        byUrl = urlNotifier(name, url);
      } else if (notifiers.find(name).isEmpty() || name.startsWith(ROUTE_PREFIX)) {
        throw AdminException.invalid("unknown target '" + name + "'; use one of " + targetNames() + " or a webhook URL");
      }
      next = next.withTarget(name, url);
    }
    if (byUrl != null) {
      notifiers.register(byUrl);
    }
    HubEntry changed = update(s, next);
    if (before.targetUrl != null && changed.targetUrl == null) {
      notifiers.remove(before.target);
    }
    if (changes.containsKey("target")) {
      LOG.info("hub endpoint {} now notifies {}", id,
          changed.targetUrl == null ? changed.target : "a webhook URL of " + URI.create(changed.targetUrl).getHost());
    }
    record(actor, action, id, view(before), view(changed));
    return view(changed);
  }

  /**
   * Appends one entry to the audit log: the settings of the endpoint's view that differ, from
   * and to. Views hold no secret and show a target URL by its host only.
   */
  private void record(String actor, String action, String id, Map<String, Object> before, Map<String, Object> after) {
    Map<String, Object> changes = new LinkedHashMap<>();
    Set<String> keys = new java.util.LinkedHashSet<>(before.keySet());
    keys.addAll(after.keySet());
    keys.removeAll(Set.of("url", "created", "signature", "id"));
    for (String k : keys) {
      Object from = before.get(k);
      Object to = after.get(k);
      if (!Objects.equals(from, to)) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("from", from);
        change.put("to", to);
        changes.put(k, change);
      }
    }
    store.audit(actor, action, EndpointStore.HUB, id, changes);
  }

  /** The hub, with changes attributed to one actor. */
  private final class Acting implements EndpointAdmin {
    private final String actor;

    Acting(String actor) {
      this.actor = actor;
    }

    @Override
    public Map<String, Object> create(String kind, Map<String, Object> options) {
      return NotificationHub.this.create(actor, kind, options);
    }

    @Override
    public List<Map<String, Object>> list() {
      return NotificationHub.this.list();
    }

    @Override
    public Map<String, Object> get(String id) {
      return NotificationHub.this.get(id);
    }

    @Override
    public void delete(String id) {
      NotificationHub.this.delete(actor, id);
    }

    @Override
    public Map<String, Object> enabled(String id, boolean enabled) {
      return NotificationHub.this.update(actor, id, Map.of("enabled", enabled), enabled ? "enable" : "disable");
    }

    @Override
    public Map<String, Object> filters(String id, Map<String, Object> filters) {
      return NotificationHub.this.update(actor, id, Map.of("filters", filters), "filters");
    }

    @Override
    public Map<String, Object> template(String id, @Nullable String template) {
      Map<String, Object> changes = new LinkedHashMap<>();
      changes.put("template", template);
      return NotificationHub.this.update(actor, id, changes, "template");
    }

    @Override
    public Map<String, Object> target(String id, String target) {
      return NotificationHub.this.update(actor, id, Map.of("target", target), "target");
    }

    @Override
    public Map<String, Object> update(String id, Map<String, Object> changes) {
      return NotificationHub.this.update(actor, id, changes, "update");
    }

    @Override
    public Map<String, Object> test(String id) {
      return NotificationHub.this.test(id);
    }

    @Override
    public EndpointAdmin as(String other) {
      return NotificationHub.this.as(other);
    }

    @Override
    public List<Map<String, Object>> audit(int limit) {
      return NotificationHub.this.audit(limit);
    }
  }

  @Override
  public Map<String, Object> test(String id) {
    HubEntry e;
    synchronized (this) {
      e = require(id).entry();
    }
    if (!e.enabled) {
      throw AdminException.conflict("endpoint '" + id + "' is disabled; enable it before testing");
    }
    Optional<String> dropped = droppedBySampleFilter(e, endpoint(e), Samples.request(e, url(id)));
    IngressResult result = hooks.ingress().accept(Samples.request(e, url(id)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("status", result.status());
    out.put("request_id", result.requestId());
    out.put("stored", result.isStored());
    result.error().ifPresent(err -> out.put("error", err.code()));
    String reason = null;
    if (result.error().isPresent()) {
      reason = "rejected: the endpoint answered the sample " + result.status() + " " + result.error().get().code();
    } else if (dropped.isPresent()) {
      reason = "filtered: " + dropped.get();
    } else if (result.status() != 202) {
      reason = "duplicate: this sample carries the delivery id of one received before, so it is not sent again";
    }
    out.put("sent", reason == null);
    if (reason != null) {
      out.put("reason", reason);
    }
    LOG.info("hub endpoint {} tested: {} ({}){}", id, result.status(), result.requestId(), reason == null ? "" : ", not sent: " + reason);
    return out;
  }

  private HubEntry update(Stored s, HubEntry changed) {
    Endpoint endpoint = endpoint(changed);
    OptionalLong version = store.replace(EndpointStore.HUB, changed.id, s.version(), changed.toJson());
    if (version.isEmpty()) {
      throw AdminException.conflict("endpoint '" + changed.id + "' was changed by another process; read it and retry");
    }
    entries.put(changed.id, new Stored(changed, version.getAsLong()));
    hooks.endpoints().put(endpoint);
    publishRoutes();
    return changed;
  }

  private Stored require(String id) {
    Stored s = entries.get(id);
    if (s == null) {
      throw AdminException.notFound(id);
    }
    return s;
  }

  private String nextId() {
    int max = 0;
    Collection<String> ids = new ArrayList<>(entries.keySet());
    ids.addAll(store.list(EndpointStore.HUB).keySet());
    for (String id : ids) {
      Matcher m = SEQUENTIAL.matcher(id);
      if (m.matches() && m.group(1).length() < 9) {
        max = Math.max(max, Integer.parseInt(m.group(1)));
      }
    }
    String id;
    do {
      id = String.format(Locale.ROOT, "hook_%03d", ++max);
    } while (hooks.endpoints().find(id).isPresent());
    return id;
  }

  private Endpoint endpoint(HubEntry e) {
    List<Secret> secrets = List.of(Secret.of(e.secret));
    SignatureVerifier verifier;
    PayloadParser parser;
    switch (e.kind) {
      case "github" -> {
        verifier = SignatureVerifiers.githubSha256(secrets, clock);
        parser = PayloadParsers.forProvider("github");
      }
      case "gitlab" -> {
        verifier = SignatureVerifiers.gitlabToken(secrets, clock);
        parser = PayloadParsers.forProvider("gitlab");
      }
      default -> {
        verifier = SIGNATURE_HMAC.equals(e.signature)
            ? SignatureVerifiers.genericHmac(GenericHmacSpec.builder(Samples.SIGNATURE_HEADER).prefix("sha256=").build(), secrets, clock)
            : SignatureVerifiers.headerToken(Samples.TOKEN_HEADER, "", secrets, clock);
        parser = e.kind.equals("custom")
            ? PayloadParsers.forProvider("generic", Map.of("type", "custom", "id-header", Samples.DELIVERY_HEADER))
            : PayloadParsers.detecting();
      }
    }
    return Endpoint.builder(e.id).provider(e.kind).verifier(verifier).parser(parser).enabled(e.enabled)
        .secretHeader(Samples.TOKEN_HEADER).build();
  }

  private void publishRoutes() {
    List<Route> routes = new ArrayList<>();
    for (Route r : hooks.router().routes()) {
      if (!r.name().startsWith(ROUTE_PREFIX)) {
        routes.add(r);
      }
    }
    for (Stored s : entries.values()) {
      HubEntry e = s.entry();
      NotificationRoute route = route(e);
      NotifyHandler handler = NotifyHandler.builder(outbox, notifiers).templates(templates).clock(clock).route(route).build();
      routes.add(Route.builder(ROUTE_PREFIX + e.id).endpoint(e.id).handler(handler).build());
    }
    hooks.router(Router.of(routes));
  }

  /** The notification route of an endpoint: its filters, template and target. */
  private static NotificationRoute route(HubEntry e) {
    NotificationRoute.Builder nr = NotificationRoute.builder(ROUTE_PREFIX + e.id).to(e.target);
    if (!e.events.isEmpty()) {
      nr.type(e.events.toArray(String[]::new));
    }
    if (!e.actions.isEmpty()) {
      nr.action(e.actions.toArray(String[]::new));
    }
    if (!e.branches.isEmpty()) {
      nr.branch(e.branches.toArray(String[]::new));
    }
    if (!e.repositories.isEmpty()) {
      nr.repository(e.repositories.toArray(String[]::new));
    }
    if (e.template != null) {
      nr.template(MessageTemplate.of(e.template));
    }
    return nr.build();
  }

  /**
   * Why the endpoint's own filters drop its test sample, naming the sample and the filters; empty
   * when the sample passes them and reaches the target.
   */
  private Optional<String> droppedBySampleFilter(HubEntry e, Endpoint endpoint, InboundRequest sample) {
    byte[] body;
    try (InputStream in = sample.body()) {
      body = in.readAllBytes();
    } catch (IOException ex) {
      return Optional.empty();
    }
    ParseResult parsed = endpoint.parser().parse(Delivery.builder(e.id).method("POST").url(sample.url()).headers(sample.headers())
        .body(body).build());
    if (!parsed.isOk()) {
      return Optional.empty();
    }
    WebhookEvent event = parsed.event();
    if (route(e).matches(event)) {
      return Optional.empty();
    }
    return Optional.of("the endpoint's filters (events " + e.events + ", actions " + e.actions + ", branch " + e.branches
        + ", repository " + e.repositories + ") drop the " + e.kind + " sample (a '" + event.type() + "' event), so nothing is sent to "
        + e.target + "; widen the filters with PUT /admin/endpoints/" + e.id + "/filters to see a test message");
  }

  private Map<String, Object> view(HubEntry e) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", e.id);
    v.put("kind", e.kind);
    v.put("url", url(e.id));
    v.put("enabled", e.enabled);
    v.put("target", e.target);
    if (e.targetUrl != null) {
      // the URL's path holds the webhook's token: only its host is shown
      v.put("target_host", URI.create(e.targetUrl).getHost());
    }
    v.put("signature", switch (e.signature) {
      case "github" -> "X-Hub-Signature-256";
      case "gitlab" -> "X-Gitlab-Token";
      case SIGNATURE_HMAC -> Samples.SIGNATURE_HEADER;
      default -> Samples.TOKEN_HEADER;
    });
    v.put("events", e.events);
    v.put("actions", e.actions);
    v.put("branch", e.branches);
    v.put("repository", e.repositories);
    v.put("template", e.template);
    v.put("created", e.created.toString());
    return v;
  }

  private String url(String id) {
    String path = "hooks/" + id;
    if (publicUrl == null) {
      return "/" + path;
    }
    String base = publicUrl.toString();
    return base.endsWith("/") ? base + path : base + "/" + path;
  }

  /**
   * The notifier of a Discord or Slack webhook URL target, reaching only hosts the outbound
   * policy allows. Messages name the host, never the URL (its path holds a token).
   */
  private Notifier urlNotifier(String name, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException ex) {
      throw AdminException.invalid("target is not a URL");
    }
    if (outbound == null || !outbound.isAllowed(uri)) {
      throw AdminException.invalid("target host '" + uri.getHost() + "' is not allowed (a target URL must use the scheme, host"
          + " and port of a configured target, with a path without dot segments or encoded slashes); allowed hosts: "
          + (outbound == null ? "none" : new java.util.TreeSet<>(outbound.hosts())));
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.startsWith("/api/webhooks/")) {
      return DiscordNotifier.builder(name, uri).outbound(outbound).build();
    }
    if (path.startsWith("/services/")) {
      return SlackNotifier.builder(name, uri).outbound(outbound).build();
    }
    throw AdminException.invalid("a target URL must be a Discord (/api/webhooks/...) or Slack (/services/...) incoming webhook;"
        + " configure other targets as notifiers and name them");
  }

  private String targetNames() {
    return notifiers.all().stream().map(n -> n.name()).sorted().toList().toString();
  }

  private static void compile(String template) {
    try {
      MessageTemplate.of(template);
    } catch (RuntimeException ex) {
      throw AdminException.invalid("template does not compile: " + ex.getMessage());
    }
  }

  private static void unknownOptions(Map<String, Object> options, Set<String> known) {
    for (String key : options.keySet()) {
      if (!known.contains(key)) {
        throw AdminException.invalid("unknown option '" + key + "'; use " + String.join(", ", new java.util.TreeSet<>(known)));
      }
    }
  }

  private static Optional<String> optionalText(Map<String, Object> options, String key) {
    Object v = options.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw AdminException.invalid("'" + key + "' must be a non-blank string");
    }
    return Optional.of(s.trim());
  }

  private static List<String> events(Map<String, Object> options) {
    return list(options, "events").stream().map(ev -> ev.equals("pr") ? "pull_request" : ev).distinct().toList();
  }

  private static List<String> list(Map<String, Object> options, String key) {
    Object v = options.get(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    List<?> items = v instanceof List<?> l ? l : List.of(v);
    for (Object item : items) {
      if (!(item instanceof String s)) {
        throw AdminException.invalid("'" + key + "' must be a string or a list of strings");
      }
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final Hooks hooks;
    private final @Nullable StateStore stateStore;
    private final @Nullable EndpointStore store;
    private final NotificationOutbox outbox;
    private final NotifierRegistry notifiers;
    private MessageTemplates templates = MessageTemplates.defaults();
    private @Nullable URI publicUrl;
    private @Nullable String defaultTarget;
    private @Nullable OutboundPolicy outbound;
    private Clock clock = Clock.systemUTC();

    private Builder(Hooks hooks, @Nullable StateStore stateStore, @Nullable EndpointStore store, NotificationOutbox outbox,
        NotifierRegistry notifiers) {
      this.hooks = Objects.requireNonNull(hooks, "hooks");
      this.stateStore = stateStore;
      this.store = store;
      this.outbox = Objects.requireNonNull(outbox, "outbox");
      this.notifiers = Objects.requireNonNull(notifiers, "notifiers");
    }

    /**
     * Where senders reach the hooks servlet, such as {@code https://hooks.example.com}: an
     * endpoint's URL is this followed by {@code /hooks/{id}}. Default none: URLs are paths.
     */
    public Builder publicUrl(URI publicUrl) {
      this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
      return this;
    }

    /** The notifier an endpoint created without a {@code target} sends to. */
    public Builder defaultTarget(String notifierName) {
      this.defaultTarget = Objects.requireNonNull(notifierName, "notifierName");
      return this;
    }

    /** The templates by kind of endpoints without their own; default {@link MessageTemplates#defaults()}. */
    public Builder templates(MessageTemplates templates) {
      this.templates = Objects.requireNonNull(templates, "templates");
      return this;
    }

    /**
     * The hosts a {@code target} given as a Discord or Slack webhook URL may reach; default none:
     * targets are then notifier names only.
     */
    public Builder outbound(OutboundPolicy outbound) {
      this.outbound = Objects.requireNonNull(outbound, "outbound");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the default target is not a notifier of the registry
     */
    public NotificationHub build() {
      if (defaultTarget != null && notifiers.find(defaultTarget).isEmpty()) {
        throw new IllegalArgumentException("hub default target '" + defaultTarget + "' is not a configured notifier");
      }
      return new NotificationHub(this);
    }
  }
}
