package dev.hooks.server.alerts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code alerts:} section: alert endpoints, their mappings, routing rules, maintenance and the
 * sinks that file incidents. Mutable binding classes, not thread-safe; read once at start. See
 * {@code docs/examples/alerts-connectwise.yaml}. Never printed: it holds tokens and keys.
 */
public final class AlertsConfig {
  /** The key that encrypts the endpoint tokens at rest: 32 random bytes in base64; usually {@code ${HOOKS_ENCRYPTION_KEY}}. */
  public @Nullable String encryptionKey;

  /** The bearer token of the maintenance, history and stats routes, at least 16 characters; usually {@code ${HOOKS_ADMIN_TOKEN}}. */
  public @Nullable String adminToken;

  /** Client ranges served those routes (HookWise's {@code GUI_TRUSTED_IPS}); empty serves every client. */
  public List<String> trustedCidrs = new ArrayList<>();

  /** Whether a close value received in maintenance still closes an open incident; default true. */
  public boolean closeInMaintenance = true;

  /** How long {@code GET /api/cw/boards} serves ConnectWise's boards from its cache, such as {@code 10m}; default 5m. */
  public @Nullable String boardsCache;

  /** Days of history kept (HookWise's {@code LOG_RETENTION_DAYS}); default 30. */
  public int retentionDays = 30;

  /** Where incidents are kept; default an H2 file {@code alerts} in the data directory. */
  public StoreConfig store = new StoreConfig();

  /** The sinks by name. */
  public Map<String, SinkConfig> sinks = new LinkedHashMap<>();

  /** The sink of endpoints and rules that name none; default the first. */
  public @Nullable String defaultSink;

  /** The alert endpoints, each served at {@code POST /webhook/{id}}. */
  public List<EndpointConfig> endpoints = new ArrayList<>();

  /** A local model's root-cause note on each new ticket (an Ollama-compatible API); absent, none. */
  public @Nullable RootCauseConfig rootCause;

  /** Maintenance windows and silences in force from the start. */
  public MaintenanceConfig maintenance = new MaintenanceConfig();

  /** The root-cause model. */
  public static final class RootCauseConfig {
    /** The API base, such as {@code http://127.0.0.1:11434}. */
    public @Nullable String url;

    /** The model, such as {@code phi3}. */
    public @Nullable String model;

    /** How long the model may take, such as {@code 60s} (default); past it the ticket has no note. */
    public @Nullable String timeout;

    /** The system prompt; default concise, remediation-focused guidance. */
    public @Nullable String systemPrompt;
  }

  /** The incident store's database. */
  public static final class StoreConfig {
    /** A JDBC URL, such as {@code jdbc:postgresql://db/hooks}; default {@code jdbc:h2:file:<data dir>/alerts}. */
    public @Nullable String url;
    public @Nullable String user;
    public @Nullable String password;
  }

  /** One sink. Never printed. */
  public static final class SinkConfig {
    /** {@code connectwise}, {@code pagerduty}, {@code webhook}, or a chat: {@code discord}, {@code slack}, {@code teams}; default the sink's name. */
    public @Nullable String type;

    /** ConnectWise: the API base ending in {@code /v4_6_release/apis/3.0}; PagerDuty: {@code https://events.pagerduty.com}; webhook: the URL. */
    public @Nullable String url;

    /** ConnectWise: the login company ({@code CW_COMPANY}). */
    public @Nullable String company;
    public @Nullable String publicKey;
    public @Nullable String privateKey;
    public @Nullable String clientId;

    /** ConnectWise: the board of tickets no rule routes elsewhere ({@code CW_SERVICE_BOARD}). */
    public @Nullable String board;

    /** ConnectWise: the status of new tickets ({@code CW_STATUS_NEW}). */
    public @Nullable String statusNew;

    /** ConnectWise: the status that closes a ticket ({@code CW_STATUS_CLOSED}). */
    public @Nullable String statusClosed;
    public @Nullable String priority;

    /** ConnectWise: the company identifier of tickets whose alert names none. */
    public @Nullable String defaultCompany;

    /** PagerDuty: the integration's routing key. */
    public @Nullable String routingKey;

    /** Webhook: the HMAC-SHA256 secret. */
    public @Nullable String secret;

    /** Chat: whether an {@code http://} webhook URL is accepted (a relay on this host); https is unaffected. */
    public boolean allowPlainHttp;

    /** How long one call may take, such as {@code 10s} (default). */
    public @Nullable String timeout;
  }

  /** One alert endpoint, as a HookWise endpoint. Never printed. */
  public static final class EndpointConfig {
    /** The id in {@code /webhook/{id}}: letters, digits, '.', '-' or '_', up to 128 (HookWise generates 64 URL-safe characters). */
    public @Nullable String id;

    /** A name for history and logs; default the id. */
    public @Nullable String name;

    /** The bearer token senders give as {@code Authorization: Bearer <token>}, at least 16 characters. */
    public @Nullable String token;

    /**
     * An HMAC secret: when set, a delivery also needs {@code X-HookWise-Signature}, the hex
     * HMAC-SHA256 of the raw body (HookWise's optional signature header).
     */
    public @Nullable String hmacSecret;

    /** Client ranges allowed to post, such as {@code 10.0.0.0/8}; others get 403. Empty allows every client. */
    public List<String> allowedCidrs = new ArrayList<>();

    /** A ticket summary prefix; default {@code Alert:} (HookWise's {@code CW_TICKET_PREFIX}). */
    public @Nullable String ticketPrefix;

    /** The trigger field and its values. */
    public @Nullable TriggerConfig trigger;

    /** Destination ({@code summary}, {@code description}, {@code severity}, {@code customer_id} or any) → JsonPath or template. */
    public Map<String, String> mapping = new LinkedHashMap<>();

    /** Routing rules, tried in order. */
    public List<RuleConfig> rules = new ArrayList<>();

    /** The sink; default {@code alerts.default-sink}. */
    public @Nullable String sink;
    public @Nullable String board;
    public @Nullable String priority;

    /** The company of alerts nothing else names. */
    public @Nullable String company;

    /** The fingerprint template; default prefix + summary + company (each alert's fingerprint for alert groups). */
    public @Nullable String fingerprint;

    /** An open within this time after a close reopens the ticket, such as {@code 1h}; default 0 (never). */
    public @Nullable String reopenWithin;

    /** The array whose elements are alerts of their own; default: Alertmanager and Grafana groups are detected. */
    public @Nullable String split;

    /** Instructions added to the root-cause model's prompt for this endpoint (HookWise's "RCA Instructions"). */
    public @Nullable String rootCauseInstructions;
  }

  /** The trigger field: open and close values, compared exactly. */
  public static final class TriggerConfig {
    public @Nullable String path;
    public List<String> open = new ArrayList<>();
    public List<String> close = new ArrayList<>();
  }

  /** One routing rule, as HookWise writes it. */
  public static final class RuleConfig {
    /** A name for history and errors; default {@code rule-<n>}. */
    public @Nullable String name;
    public @Nullable String path;
    public @Nullable String regex;

    /** {@code board}, {@code priority}, {@code company} (or {@code customer_id}), {@code status}, {@code sink}, {@code template}. */
    public Map<String, String> overrides = new LinkedHashMap<>();
  }

  /** Maintenance from the start; the global toggle is {@code POST /admin/maintenance}. */
  public static final class MaintenanceConfig {
    /** Whether global maintenance is on at start. */
    public boolean global;
    public List<WindowConfig> windows = new ArrayList<>();
    public List<SilenceConfig> silences = new ArrayList<>();
  }

  /** A window: daily, weekly or once, local times in a zone; an end before the start spans midnight. */
  public static final class WindowConfig {
    public @Nullable String name;

    /** {@code daily}, {@code weekly} or {@code once}. */
    public @Nullable String kind;

    /** A zone id such as {@code Europe/Vienna}; default UTC. */
    public @Nullable String zone;

    /** {@code HH:mm}. */
    public @Nullable String start;
    public @Nullable String end;

    /** Weekly: the days, such as {@code [SATURDAY, SUNDAY]}. */
    public List<String> days = new ArrayList<>();

    /** Once: the date, {@code 2026-12-31}. */
    public @Nullable String date;
  }

  /** A silence: matchers on labels or fields ({@code ~regex} for a pattern) until it expires. */
  public static final class SilenceConfig {
    public @Nullable String id;
    public Map<String, String> matchers = new LinkedHashMap<>();

    /** An instant such as {@code 2026-12-31T23:00:00Z}. */
    public @Nullable String expiresAt;
  }
}
