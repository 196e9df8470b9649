package dev.hooks.server.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hooks.Hooks;
import dev.hooks.alerts.AlertEndpoint;
import dev.hooks.alerts.AlertPayloadParser;
import dev.hooks.alerts.JdbcAlertHistory;
import dev.hooks.alerts.AlertRouter;
import dev.hooks.alerts.ConnectWiseSink;
import dev.hooks.alerts.IncidentSink;
import dev.hooks.alerts.JdbcIncidentStore;
import dev.hooks.alerts.Maintenance;
import dev.hooks.alerts.MaintenanceWindow;
import dev.hooks.alerts.Overrides;
import dev.hooks.alerts.PagerDutySink;
import dev.hooks.alerts.RoutingRule;
import dev.hooks.alerts.Silence;
import dev.hooks.alerts.SignedWebhookSink;
import dev.hooks.alerts.AlertEndpoints;
import dev.hooks.alerts.ConnectWiseBoards;
import dev.hooks.endpoints.EndpointStore;
import dev.hooks.ingress.Endpoint;
import dev.hooks.route.Route;
import dev.hooks.server.ConfigException;
import dev.hooks.server.alerts.AlertsConfig.EndpointConfig;
import dev.hooks.server.alerts.AlertsConfig.RuleConfig;
import dev.hooks.server.alerts.AlertsConfig.SilenceConfig;
import dev.hooks.server.alerts.AlertsConfig.SinkConfig;
import dev.hooks.server.alerts.AlertsConfig.WindowConfig;
import dev.hooks.servlet.admin.AdminGuard;
import dev.hooks.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.Closeable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.jspecify.annotations.Nullable;

/**
 * Wires the {@code alerts:} section: one hooks {@link Endpoint} per alert endpoint (bearer token,
 * JSON body, journaled before the 202 like every delivery), a route of their events to the {@link
 * AlertRouter}, the incident store, the sinks, and {@link AlertsServlet}'s routes. The tokens are
 * kept sealed (AES-GCM) as entries of kind {@code alert} of the server's one {@link EndpointStore},
 * beside the endpoints created at run time ({@link AlertEndpoints}); a wrong key stops the start.
 * Only wires; decides nothing.
 */
public final class AlertsWiring implements Closeable {
  private static final java.util.regex.Pattern EXTERNAL_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._~-]{1,200}");

  static String internalId(String externalId) {
    return AlertEndpoints.internalId(externalId);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AlertsWiring.class);

  private final AlertRouter router;
  private final AlertEndpoints runtime;
  private final @Nullable ConnectWiseBoards boards;
  private final List<Endpoint> endpoints;
  private final @Nullable HikariDataSource pool;
  private final @Nullable String adminToken;
  private final AdminGuard guard;
  private final Duration retention;
  private final Clock clock;

  private AlertsWiring(AlertRouter router, AlertEndpoints runtime, @Nullable ConnectWiseBoards boards, List<Endpoint> endpoints,
      @Nullable HikariDataSource pool, @Nullable String adminToken, AdminGuard guard, Duration retention, Clock clock) {
    this.router = router;
    this.runtime = runtime;
    this.boards = boards;
    this.endpoints = endpoints;
    this.pool = pool;
    this.adminToken = adminToken;
    this.guard = guard;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * @param state the journal's state store
   * @param registry the registry of run-time endpoints, sealed with {@code alerts.encryption-key}, where the tokens are kept
   * @param hooksEndpointIds the ids under {@code endpoints:}, which alert endpoint ids must not reuse
   * @throws ConfigException naming the key at fault
   */
  public static AlertsWiring create(AlertsConfig c, Path dataDir, StateStore state, EndpointStore registry, Set<String> hooksEndpointIds,
      Clock clock, MeterRegistry meters) {
    if (c.adminToken != null && c.adminToken.strip().length() < 16) {
      throw new ConfigException("alerts.admin-token must be at least 16 characters; set it to ${HOOKS_ADMIN_TOKEN}"
          + " and export a long random value (openssl rand -hex 32)");
    }
    if (c.retentionDays < 1) {
      throw new ConfigException("alerts.retention-days must be at least 1, not " + c.retentionDays);
    }
    if (c.sinks.isEmpty()) {
      throw new ConfigException("alerts.sinks is empty; declare one, such as connectwise: {url: ${CW_URL}, ...}");
    }
    if (c.endpoints.isEmpty()) {
      throw new ConfigException("alerts.endpoints is empty; declare one with an id, a token and a mapping");
    }
    AdminGuard guard = guard(c.trustedCidrs);

    AlertRouter.Builder rb = AlertRouter.builder().clock(clock).meterRegistry(meters).closeInMaintenance(c.closeInMaintenance)
        .maintenance(maintenance(c.maintenance));
    for (Map.Entry<String, SinkConfig> s : c.sinks.entrySet()) {
      rb.sink(sink(s.getKey(), s.getValue() == null ? new SinkConfig() : s.getValue(), clock));
    }
    if (c.defaultSink != null) {
      rb.defaultSink(c.defaultSink);
    }
    if (c.rootCause != null) {
      rb.rootCause(rootCause(c.rootCause));
    }
    List<Endpoint> hooksEndpoints = new ArrayList<>();
    List<String[]> declared = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < c.endpoints.size(); i++) {
      EndpointConfig e = c.endpoints.get(i);
      String where = "alerts.endpoints[" + i + "]";
      if (e.id == null || e.id.isBlank()) {
        throw new ConfigException(where + ".id is empty; set it, usually to ${UPTIME_KUMA_ENDPOINT_ID} (openssl rand -base64 48 | tr '+/' '-_')");
      }
      if (!EXTERNAL_ID.matcher(e.id).matches()) {
        throw new ConfigException(where + ".id must be 1 to 200 letters, digits, '.', '-', '_' or '~' (the path /webhook/{id})");
      }
      if (!ids.add(e.id)) {
        throw new ConfigException(where + ".id is declared twice; give each alert endpoint its own");
      }
      String internal = internalId(e.id);
      if (hooksEndpointIds.contains(internal)) {
        throw new ConfigException(where + ": endpoint id '" + internal + "' under 'endpoints' is reserved for this alert endpoint; rename that one");
      }
      if (e.token == null || e.token.strip().length() < 16) {
        throw new ConfigException(where + ".token must be at least 16 characters; set it to ${...} and export a long random value");
      }
      rb.endpoint(endpoint(e, internal, "alert-endpoint-" + (i + 1), where));
      declared.add(new String[] {e.id, e.name != null ? e.name : e.id, e.token.strip(),
          e.hmacSecret == null || e.hmacSecret.isBlank() ? null : e.hmacSecret.strip()});
      for (int k = 0; k < e.allowedCidrs.size(); k++) {
        try {
          Endpoint.builder("cidr-check").allowCidr(e.allowedCidrs.get(k));
        } catch (IllegalArgumentException ex) {
          throw new ConfigException(where + ".allowed-cidrs[" + k + "] '" + e.allowedCidrs.get(k) + "' is not a range; write it like 10.0.0.0/8");
        }
      }
      try {
        hooksEndpoints.add(AlertEndpoints.hooksEndpoint(e.id, e.token.strip(), e.hmacSecret == null ? null : e.hmacSecret.strip(),
            e.allowedCidrs, true, clock));
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(where + ".id: " + ex.getMessage(), ex);
      }
    }
    Duration boardsTtl = c.boardsCache == null ? Duration.ofMinutes(5) : duration(c.boardsCache, "alerts.boards-cache");

    HikariDataSource pool = pool(c.store, dataDir);
    try {
      rb.store(new JdbcIncidentStore(pool)).history(new JdbcAlertHistory(pool));
      AlertRouter router;
      try {
        router = rb.build();
      } catch (IllegalArgumentException ex) {
        throw new ConfigException("alerts: " + ex.getMessage(), ex);
      }
      AlertEndpoints runtime = AlertEndpoints.builder(registry, router).clock(clock).build();
      for (String[] d : declared) {
        runtime.declare(d[0], d[1], d[2], d[3]);
      }
      ConnectWiseBoards boards = router.sinks().values().stream().filter(ConnectWiseSink.class::isInstance).map(ConnectWiseSink.class::cast)
          .findFirst().map(cw -> new ConnectWiseBoards(cw, boardsTtl, clock)).orElse(null);
      return new AlertsWiring(router, runtime, boards, List.copyOf(hooksEndpoints), pool, c.adminToken == null ? null : c.adminToken.strip(),
          guard, Duration.ofDays(c.retentionDays), clock);
    } catch (RuntimeException ex) {
      pool.close();
      throw ex;
    }
  }

  private static AdminGuard guard(List<String> cidrs) {
    AdminGuard.Builder g = AdminGuard.builder();
    for (int i = 0; i < cidrs.size(); i++) {
      try {
        g.trustedCidrs(List.of(cidrs.get(i)));
      } catch (IllegalArgumentException ex) {
        throw new ConfigException("alerts.trusted-cidrs[" + i + "] '" + cidrs.get(i) + "' is not a range; write it like 10.0.0.0/24 or 192.168.1.5/32");
      }
    }
    return g.build();
  }

  private static AlertEndpoint endpoint(EndpointConfig e, String internal, String defaultName, String where) {
    try {
      // the configured id is a capability, like a token: history and logs show the name
      AlertEndpoint.Builder b = AlertEndpoint.builder(internal).name(e.name != null ? e.name : defaultName);
      if (e.ticketPrefix != null) {
        b.ticketPrefix(e.ticketPrefix);
      }
      if (e.trigger != null) {
        if (e.trigger.path == null || e.trigger.path.isBlank()) {
          throw new ConfigException(where + ".trigger.path is empty; set it to a JsonPath such as $.heartbeat.status");
        }
        b.trigger(e.trigger.path.strip(), splitValues(e.trigger.open), splitValues(e.trigger.close));
      }
      e.mapping.forEach(b::map);
      for (int i = 0; i < e.rules.size(); i++) {
        b.rule(rule(e.rules.get(i), i));
      }
      b.sink(e.sink).board(e.board).priority(e.priority).company(e.company).fingerprint(e.fingerprint).splitPath(e.split)
          .rootCauseInstructions(e.rootCauseInstructions);
      if (e.reopenWithin != null) {
        b.reopenWithin(duration(e.reopenWithin, where + ".reopen-within"));
      }
      return b.build();
    } catch (ConfigException ex) {
      throw ex;
    } catch (IllegalArgumentException ex) {
      throw new ConfigException(where + ": " + ex.getMessage(), ex);
    }
  }

  // HookWise writes "CRITICAL, WARNING" in one field: a comma-separated value is a list
  private static List<String> splitValues(List<String> values) {
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

  private static RoutingRule rule(RuleConfig r, int index) {
    String name = r.name != null ? r.name : "rule-" + (index + 1);
    Map<String, String> o = new LinkedHashMap<>(r.overrides);
    Set<String> known = Set.of("board", "priority", "company", "customer_id", "status", "sink", "template");
    for (String k : o.keySet()) {
      if (!known.contains(k)) {
        throw new ConfigException("routing rule '" + name + "': unknown override '" + k + "'; use one of " + new java.util.TreeSet<>(known));
      }
    }
    Overrides overrides = new Overrides(o.get("board"), o.get("priority"), o.containsKey("company") ? o.get("company") : o.get("customer_id"),
        o.get("status"), o.get("sink"), o.get("template"));
    return RoutingRule.of(name, r.path, r.regex, overrides);
  }

  private static IncidentSink sink(String name, SinkConfig s, Clock clock) {
    String type = (s.type != null ? s.type : name).strip().toLowerCase(Locale.ROOT);
    String where = "alerts.sinks." + name;
    Duration timeout = s.timeout == null ? Duration.ofSeconds(10) : duration(s.timeout, where + ".timeout");
    try {
      return switch (type) {
        case "connectwise" -> {
          require(s.url, where + ".url is empty; set it to ${CW_URL} (https://<host>/v4_6_release/apis/3.0)");
          ConnectWiseSink.Builder b = ConnectWiseSink.builder(name, s.url.strip())
              .credentials(nz(s.company), nz(s.publicKey), nz(s.privateKey), nz(s.clientId))
              .board(nz(s.board)).statuses(nz(s.statusNew), nz(s.statusClosed)).timeout(timeout)
              .priority(blankToNull(s.priority)).defaultCompany(blankToNull(s.defaultCompany));
          yield b.build();
        }
        case "pagerduty" -> new PagerDutySink(name, s.url != null ? s.url.strip() : "https://events.pagerduty.com", nz(s.routingKey));
        case "webhook" -> {
          require(s.url, where + ".url is empty; set it to the receiver's URL");
          yield new SignedWebhookSink(name, URI.create(s.url.strip()), nz(s.secret), clock);
        }
        case "discord", "slack", "teams" -> {
          require(s.url, where + ".url is empty; set it to the " + type + " webhook URL, usually ${" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_WEBHOOK_URL}");
          URI url = URI.create(s.url.strip());
          dev.hooks.notify.OutboundPolicy policy = dev.hooks.notify.OutboundPolicy.builder().allowHost(url.getHost())
              .allowPlainHttp(s.allowPlainHttp).build();
          dev.hooks.notify.Notifier n = switch (type) {
            case "discord" -> dev.hooks.notify.DiscordNotifier.builder(name, url).outbound(policy).build();
            case "slack" -> dev.hooks.notify.SlackNotifier.builder(name, url).outbound(policy).build();
            default -> dev.hooks.notify.TeamsNotifier.builder(name, url).outbound(policy).build();
          };
          yield new dev.hooks.alerts.ChatSink(n);
        }
        default -> throw new ConfigException(where + ".type '" + type + "' is unknown; use connectwise, pagerduty, webhook, discord, slack or teams");
      };
    } catch (ConfigException ex) {
      throw ex;
    } catch (IllegalArgumentException ex) {
      throw new ConfigException(ex.getMessage(), ex);
    }
  }

  private static dev.hooks.alerts.OllamaRootCause rootCause(AlertsConfig.RootCauseConfig r) {
    require(r.url, "alerts.root-cause.url is empty; set it to the Ollama API, such as http://127.0.0.1:11434");
    require(r.model, "alerts.root-cause.model is empty; set it, such as phi3");
    try {
      dev.hooks.alerts.OllamaRootCause.Builder b = dev.hooks.alerts.OllamaRootCause.builder(r.url.strip(), r.model.strip());
      if (r.timeout != null) {
        b.timeout(duration(r.timeout, "alerts.root-cause.timeout"));
      }
      if (r.systemPrompt != null && !r.systemPrompt.isBlank()) {
        b.systemPrompt(r.systemPrompt);
      }
      return b.build();
    } catch (IllegalArgumentException ex) {
      throw new ConfigException("alerts.root-cause: " + ex.getMessage(), ex);
    }
  }

  private static Maintenance maintenance(AlertsConfig.MaintenanceConfig m) {
    Maintenance out = new Maintenance();
    out.global(m.global);
    for (int i = 0; i < m.windows.size(); i++) {
      out.window(window(m.windows.get(i), "alerts.maintenance.windows[" + i + "]"));
    }
    for (int i = 0; i < m.silences.size(); i++) {
      SilenceConfig s = m.silences.get(i);
      String where = "alerts.maintenance.silences[" + i + "]";
      try {
        out.silence(new Silence(s.id != null ? s.id : "silence-" + (i + 1), s.matchers, Instant.parse(nz(s.expiresAt))));
      } catch (DateTimeException ex) {
        throw new ConfigException(where + ".expires-at '" + s.expiresAt + "' is not an instant; write it like 2026-12-31T23:00:00Z");
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(where + ": " + ex.getMessage(), ex);
      }
    }
    return out;
  }

  private static MaintenanceWindow window(WindowConfig w, String where) {
    String name = w.name != null ? w.name : where;
    try {
      ZoneId zone = w.zone == null ? ZoneOffset.UTC : ZoneId.of(w.zone.strip());
      LocalTime start = LocalTime.parse(nz(w.start).strip());
      LocalTime end = LocalTime.parse(nz(w.end).strip());
      String kind = w.kind == null ? "daily" : w.kind.strip().toLowerCase(Locale.ROOT);
      return switch (kind) {
        case "daily" -> MaintenanceWindow.daily(name, zone, start, end);
        case "weekly" -> {
          Set<DayOfWeek> days = new HashSet<>();
          for (String d : w.days) {
            days.add(DayOfWeek.valueOf(d.strip().toUpperCase(Locale.ROOT)));
          }
          yield MaintenanceWindow.weekly(name, zone, days, start, end);
        }
        case "once" -> MaintenanceWindow.once(name, zone, LocalDate.parse(nz(w.date).strip()), start, end);
        default -> throw new ConfigException(where + ".kind '" + kind + "' is unknown; use daily, weekly or once");
      };
    } catch (ConfigException ex) {
      throw ex;
    } catch (DateTimeException | IllegalArgumentException ex) {
      throw new ConfigException(where + " (" + name + "): " + ex.getMessage()
          + "; times are HH:mm, dates 2026-12-31, days MONDAY..SUNDAY, zones such as Europe/Vienna", ex);
    }
  }

  private static HikariDataSource pool(AlertsConfig.StoreConfig s, Path dataDir) {
    HikariConfig h = new HikariConfig();
    String url = s.url != null ? s.url.strip() : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("alerts") + ";DB_CLOSE_ON_EXIT=FALSE";
    h.setJdbcUrl(url);
    h.setUsername(s.user);
    h.setPassword(s.password);
    h.setMaximumPoolSize(8);
    h.setPoolName("hooks-alerts");
    try {
      return new HikariDataSource(h);
    } catch (RuntimeException ex) {
      throw new ConfigException("alerts.store: cannot connect: " + ex.getMessage() + "; check alerts.store.url, user and password", ex);
    }
  }

  private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", java.util.regex.Pattern.CASE_INSENSITIVE);

  static Duration duration(String value, String key) {
    java.util.regex.Matcher m = DURATION.matcher(value.strip());
    if (!m.matches()) {
      throw new ConfigException(key + " '" + value + "' is not a duration; write it like 30s, 10m, 1h or 1d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static void require(@Nullable String v, String message) {
    if (v == null || v.isBlank()) {
      throw new ConfigException(message);
    }
  }

  private static String nz(@Nullable String v) {
    return v == null ? "" : v.strip();
  }

  private static @Nullable String blankToNull(@Nullable String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** The hooks endpoints of the alert endpoints. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** The route of the alert endpoints' events to the router: the configured ones and those created at run time. */
  public Route route() {
    return Route.builder("alerts").when(event -> router.hasEndpoint(event.endpointId())).handler(router.handler()).build();
  }

  /** Restores the alert endpoints created at run time into {@code hooks}; before {@link Hooks#start()}, so that replayed deliveries find them. */
  public void startEndpoints(Hooks hooks) {
    runtime.start(hooks);
  }

  public AlertRouter router() {
    return router;
  }

  /**
   * Mounts {@code /webhook/*}, {@code /admin/maintenance}, {@code /admin/incidents}, {@code /admin/alerts/endpoints*}, {@code /history/*},
   * {@code /api/stats}, {@code /api/cw/boards} and {@code /health/services}.
   */
  public void mount(ServletContextHandler context, Hooks hooks) {
    AlertsServlet servlet = new AlertsServlet(hooks, router, runtime, boards, adminToken, guard, retention, clock);
    // the ids are capabilities, like tokens: named here, never printed
    LOG.info("alerts: {} endpoints at /webhook/{{id}} ({}), sinks {}", endpoints.size(),
        router.endpoints().values().stream().map(AlertEndpoint::name).toList(), router.sinks().keySet());
    ServletHolder holder = new ServletHolder("alerts", servlet);
    context.getServletHandler().addServletWithMapping(holder, "/webhook/*");
    for (String path : List.of("/admin/maintenance", "/admin/incidents", "/admin/alerts/*", "/history", "/history/*", "/api/stats", "/api/cw/*",
        "/health/services")) {
      context.getServletHandler().addServletMapping(mapping(holder, path));
    }
  }

  private static org.eclipse.jetty.ee10.servlet.ServletMapping mapping(ServletHolder holder, String path) {
    org.eclipse.jetty.ee10.servlet.ServletMapping m = new org.eclipse.jetty.ee10.servlet.ServletMapping();
    m.setServletName(holder.getName());
    m.setPathSpec(path);
    return m;
  }

  /** Closes the incident store's pool; after the dispatcher has drained. */
  @Override
  public void close() {
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  public String toString() {
    return "AlertsWiring" + endpoints.stream().map(Endpoint::id).toList();
  }
}
