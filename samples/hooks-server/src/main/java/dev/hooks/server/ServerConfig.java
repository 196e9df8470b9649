package dev.hooks.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The YAML configuration of the server, as bound by {@link ConfigLoader}: keys are kebab-case,
 * unknown keys are refused, and any string may be {@code ${ENV_VAR}} (or
 * {@code ${ENV_VAR:-default}}). See the module README for a full example. Mutable binding
 * classes, not thread-safe; the server reads them once at start.
 */
public final class ServerConfig {
  /** The webhook endpoints, each served at {@code POST /hooks/{id}}. */
  public List<EndpointConfig> endpoints = new ArrayList<>();

  /** Where accepted deliveries are stored; default an H2 file in the data directory. */
  public JournalConfig journal = new JournalConfig();

  /** How journaled events are handed to handlers. */
  public DispatchConfig dispatch = new DispatchConfig();

  /** Rules choosing the handlers of each event; an event matching none is only journaled. */
  public List<RouteConfig> routes = new ArrayList<>();

  /** Handlers by name, referred to by routes. */
  public Map<String, HandlerConfig> handlers = new LinkedHashMap<>();

  /**
   * Notifications: the targets by name ({@code notify.targets.discord}) that {@code notify}
   * handlers and endpoints created through the admin API send to.
   */
  public NotifyConfig notify = new NotifyConfig();

  /** The audit log of the run-time endpoints (hub, alert endpoints, deploy webhooks). */
  public AuditConfig audit = new AuditConfig();

  /** The admin API at {@code /admin/*}; absent, the server has none. */
  public @Nullable AdminConfig admin;

  /** The web console for operators; off unless {@code console.enabled: true}, and it needs {@code admin:}. */
  public ConsoleConfig console = new ConsoleConfig();

  /** {@code console:}: the web console, served where the admin API is (the admin port when one is set). */
  public static final class ConsoleConfig {
    /** Whether the console is served; default false. Operators log in with an {@code admin:} token. */
    public boolean enabled;

    /** Where the console is served; default {@code /console}. One path segment of letters, digits or '-'. */
    public String path = "/console";

    /** Minutes a console session lives without a request; default 30. */
    public int sessionMinutes = 30;
  }

  /** Each value the loader took from the environment, to its variable's name; not a YAML key. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public Map<String, String> substituted = Map.of();

  /** Limits of the HTTP listener against slow or greedy clients; every key has a default. */
  public HttpConfig server = new HttpConfig();

  /** The server's log lines. */
  public LoggingConfig logging = new LoggingConfig();

  /** The log: its format and level, for the whole process. */
  public static final class LoggingConfig {
    /**
     * {@code plain} (default): {@code [thread] LEVEL logger - message} on stderr; {@code json}: one
     * JSON object per line on stdout with time, level, logger, message and thread.
     */
    public @Nullable String format;

    /** The lowest level written: error, warn, info (default), debug or trace. */
    public @Nullable String level;
  }

  /** Limits of the HTTP listener; absent keys take the defaults of {@link ConnectorLimits}. */
  public static final class HttpConfig {
    /** Open connections at most; past it new ones wait in the accept backlog. Default 2000. */
    public @Nullable Integer maxConnections;

    /** Open connections of one client address at most; more are closed at once. Default 200; 0 turns it off (behind a proxy every client has its address). */
    public @Nullable Integer maxConnectionsPerClient;

    /** How long a connection may send nothing, such as {@code 30s}. Default 30s. */
    public @Nullable String idleTimeout;

    /** The slowest a request body may arrive, in bytes per second, such as {@code 1KB}; slower is cut off. Default 1KB; 0 turns it off. */
    public @Nullable String minRequestDataRate;

    /** How long a whole request body may take to arrive, such as {@code 10s}; past it the connection is closed. Default 10s. */
    public @Nullable String bodyTimeout;
  }

  /** The alert router: HookWise-compatible alert endpoints at {@code POST /webhook/{id}}, incidents filed through sinks. */
  public dev.hooks.server.alerts.@Nullable AlertsConfig alerts;

  /** Push to deploy: services built and deployed on a verified push; needs {@code admin}. */
  public dev.hooks.server.deploy.@Nullable DeployConfig deploy;

  /** One endpoint. */
  public static final class EndpointConfig {
    /** The id in the path {@code /hooks/{id}}: letters, digits, '.', '-' or '_'. */
    public @Nullable String id;

    /** The provider whose payloads the endpoint reads, such as {@code github} or {@code generic}. */
    public @Nullable String provider;

    /** Options of the provider's parser, such as {@code type} for {@code generic}. */
    public Map<String, String> parser = new LinkedHashMap<>();

    /** How deliveries are proven authentic. */
    public VerifierConfig verifier = new VerifierConfig();

    /** The largest body accepted, such as {@code 1MB} or {@code 512KB}; default 1 MiB. */
    public @Nullable String maxBodySize;

    /** Client ranges allowed to send, such as {@code 192.30.252.0/22}; empty allows every client. */
    public List<String> allowedCidrs = new ArrayList<>();

    /** Whether the endpoint takes deliveries; a disabled endpoint answers 404. */
    public boolean enabled = true;
  }

  /** The signature check of one endpoint. Never printed: it holds secrets. */
  public static final class VerifierConfig {
    /**
     * The signature scheme, such as {@code github}, {@code gitlab}, {@code generic-hmac} or
     * {@code none}; default the endpoint's provider name.
     */
    public @Nullable String scheme;

    /** The shared secrets; several while one is rotated out. Usually {@code ${ENV_VAR}}. */
    public List<String> secrets = new ArrayList<>();

    /** Options of the scheme, such as {@code header} or {@code tolerance}. */
    public Map<String, String> options = new LinkedHashMap<>();

    @Override
    public String toString() {
      return "VerifierConfig[" + scheme + ", " + secrets.size() + " secrets]";
    }
  }

  /** The journal's storage. */
  public static final class JournalConfig {
    /**
     * {@code embedded} (the default without a {@code url}): the events journal on RocksDB in
     * {@code <data dir>/journal}, nothing to install; {@code jdbc} (the default with a {@code
     * url}): every store in the database at {@code url}; {@code memory}: events kept in memory only,
     * lost at exit (for trying things out and for measuring). The state store and the notification
     * outbox are in the JDBC database in both cases (without a {@code url}, the H2 file).
     */
    public @Nullable String type;

    /** JDBC URL; default {@code jdbc:h2:file:<data dir>/hooks}. */
    public @Nullable String url;

    /** Database user; default {@code sa} for H2. */
    public @Nullable String user;

    /** Database password; usually {@code ${ENV_VAR}}. */
    public @Nullable String password;

    /**
     * When 202 is answered: {@code os} (default) once the write reached the operating system,
     * {@code sync} once it is on disk (group commit).
     */
    public @Nullable String durability;

    /** Days a delivery is kept once done (by its receive time), with its dedupe key; then purged. Default 7; 0 keeps none. */
    public @Nullable Integer retentionDays;

    /** How often done entries, and sent notifications past {@code notify.retention-days}, are purged, such as {@code 10m}. Default 10m. */
    public @Nullable String purgeInterval;

    @Override
    public String toString() {
      return "JournalConfig[" + type + ", " + url + ", " + durability + ", " + retentionDays + "d]";
    }
  }

  /** Dispatch settings. */
  public static final class DispatchConfig {
    /** How long a process holds an entry before another may take it over, such as {@code 30s}; after a crash, pending entries resume within it. */
    public @Nullable String lease;

    /** Events held in memory at most; past it ingress answers 429. */
    public @Nullable Integer capacity;

    /** Handler threads. */
    public @Nullable Integer threads;

    /** Attempts per event, the first included, before it goes to the dead letters. */
    public @Nullable Integer maxAttempts;

    /** First retry delay, such as {@code 1s}; doubles up to {@code max-backoff}. */
    public @Nullable String initialBackoff;

    /** Longest retry delay, such as {@code 5m}. */
    public @Nullable String maxBackoff;

    /** How often due and abandoned entries are claimed, such as {@code 1s}. */
    public @Nullable String pollInterval;

    /** How long shutdown waits for events in progress, such as {@code 10s}. */
    public @Nullable String drainTimeout;
  }

  /** One route: conditions and the handlers of the events that meet them. */
  public static final class RouteConfig {
    /** A name for logs. */
    public @Nullable String name;

    /** Conditions; all given must hold. Absent matches every event. */
    public MatchConfig match = new MatchConfig();

    /** Names of handlers declared under {@code handlers}. */
    public List<String> handlers = new ArrayList<>();
  }

  /** Conditions of a route; several values of one condition are alternatives. */
  public static final class MatchConfig {
    /** Endpoint ids. */
    public List<String> endpoint = new ArrayList<>();

    /** Provider names, such as {@code github}. */
    public List<String> provider = new ArrayList<>();

    /** Normalized event types, such as {@code push}. */
    public List<String> type = new ArrayList<>();

    /** Actions, such as {@code opened}. */
    public List<String> action = new ArrayList<>();

    /** Branch globs, such as {@code main} or {@code release/*}. */
    public List<String> branch = new ArrayList<>();

    /** Tag globs, such as {@code v*}. */
    public List<String> tag = new ArrayList<>();

    /** JsonPath conditions on the payload, such as {@code $[?(@.deleted == false)]}. */
    public List<String> when = new ArrayList<>();
  }

  /** The {@code audit:} section. */
  public static final class AuditConfig {
    /** Days an audit entry is kept (by its time); then purged at the journal's purge interval. Default 90; 0 keeps none. */
    public @Nullable Integer retentionDays;
  }

  /** The {@code notify:} section. */
  public static final class NotifyConfig {
    /** The targets by name, such as {@code discord}; a name is what handlers' {@code targets} list. */
    public Map<String, NotifyTargetConfig> targets = new LinkedHashMap<>();

    /** How often digest windows that have ended are sent, such as {@code 10s}. Default 5s. */
    public @Nullable String digestCheckInterval;

    /** Days a sent notification is kept in the outbox (by its creation time); then purged. Default 7; 0 keeps none. */
    public @Nullable Integer retentionDays;

    /**
     * A target written directly under {@code notify:}, as before {@code targets:} existed: the
     * same as under {@code notify.targets}.
     */
    @com.fasterxml.jackson.annotation.JsonAnySetter
    void target(String name, NotifyTargetConfig target) {
      targets.put(name, target);
    }

    @Override
    public String toString() {
      return "NotifyConfig" + targets.keySet();
    }
  }

  /** One notification target. Never printed: its URL holds a token. */
  public static final class NotifyTargetConfig {
    /** {@code discord}, {@code slack} or {@code teams}; default the target's name. */
    public @Nullable String type;

    /** The incoming-webhook URL; usually {@code ${DISCORD_WEBHOOK_URL}}. Its host is the only one the target may reach. */
    public @Nullable String url;

    /** Whether a plain {@code http://} URL is allowed to another host than this one (loopback always is); default false. */
    public boolean allowPlainHttp;

    @Override
    public String toString() {
      return "NotifyTargetConfig[" + type + "]";
    }
  }

  /** The admin API. Never printed: it holds the admin token. */
  public static final class AdminConfig {
    /** The bearer token of every admin request, at least 16 characters; usually {@code ${HOOKS_ADMIN_TOKEN}}. */
    public @Nullable String token;

    /**
     * More admin tokens, by identity ({@code ops: ${HOOKS_OPS_TOKEN}}): the audit log names the
     * identity of the token each change came with ({@code token:ops}); {@code token} is identity
     * {@code admin}.
     */
    public java.util.Map<String, String> tokens = new java.util.LinkedHashMap<>();

    /** Where senders reach this server, such as {@code https://hooks.example.com}; endpoint URLs start with it. */
    public @Nullable String publicUrl;

    /** The {@code notify} target of endpoints created without one; default the first target. */
    public @Nullable String defaultTarget;

    /** Client ranges served the admin API, such as {@code 10.0.0.0/8}; others get 403 before the token is looked at. Empty serves every client. */
    public List<String> trustedCidrs = new ArrayList<>();

    /** Wrong or missing tokens one client may send per minute; past it 429 with {@code Retry-After}. Default 10. */
    public int maxFailuresPerMinute = 10;

    /**
     * The key the secrets of endpoints created at run time are stored encrypted with (AES-256-GCM):
     * 32 random bytes in base64 ({@code openssl rand -base64 32}), usually
     * {@code ${HOOKS_ENCRYPTION_KEY}}. Absent, {@code alerts.encryption-key} is used, else a key
     * generated once into {@code endpoints.key} of the data directory.
     */
    public @Nullable String encryptionKey;

    /** Keys values may still be sealed with while {@code encryption-key} is rotated; each value is re-sealed with the new key at start. */
    public List<String> previousEncryptionKeys = new ArrayList<>();

    /** A port of its own for {@code /admin/*}, which the main port then no longer serves; absent, the main port serves it. */
    public @Nullable Integer port;

    /** The address the admin port binds; default {@code 127.0.0.1}. */
    public @Nullable String host;

    @Override
    public String toString() {
      return "AdminConfig[" + publicUrl + "]";
    }
  }

  /** One handler. */
  public static final class HandlerConfig {
    /**
     * {@code log} (one line per event on standard output), {@code file} (one line per event
     * appended to a file) or {@code notify} (a message to the {@code notify.targets} named, through
     * the durable outbox).
     */
    public @Nullable String type;

    /** For {@code file}: the file to append to; relative to the working directory. */
    public @Nullable String path;

    /** For {@code notify}: names under {@code notify.targets}; default every target. */
    @com.fasterxml.jackson.annotation.JsonAlias("target")
    public List<String> targets = new ArrayList<>();

    /**
     * For {@code notify}: the message, a Mustache template such as
     * {@code "{{provider}} {{type}}: {{summary}}"}; default the built-in template of the event's kind.
     */
    public @Nullable String template;

    /** For {@code notify}: which events of its routes it sends; every condition given must hold. */
    public NotifyFilterConfig filter = new NotifyFilterConfig();

    /** For {@code notify}: one summary per window instead of a message per event. */
    public @Nullable DigestConfig digest;

    /**
     * For {@code notify}: at most this many messages per period, such as {@code 20/1m}; the
     * others wait in the outbox for the next period (nothing is dropped).
     */
    public @Nullable String rateLimit;
  }

  /** The filter of a {@code notify} handler; several values of one condition are alternatives. */
  public static final class NotifyFilterConfig {
    /** Provider names, such as {@code gitlab}. */
    public List<String> provider = new ArrayList<>();

    /** Normalized event types, such as {@code pipeline}. */
    public List<String> type = new ArrayList<>();

    /** Actions, such as {@code failed}. */
    public List<String> action = new ArrayList<>();

    /** Repository globs, such as {@code octo-org/*}. */
    public List<String> repository = new ArrayList<>();

    /** Branch globs, such as {@code main}. */
    public List<String> branch = new ArrayList<>();

    /** JsonPath conditions on the payload. */
    public List<String> when = new ArrayList<>();

    /** Conditions in the rule language, such as {@code pr.status == 'approved' and pr.reviews >= 2}. */
    public List<String> rule = new ArrayList<>();
  }

  /** The digest of a {@code notify} handler. */
  public static final class DigestConfig {
    /** How long a window collects events, such as {@code 5m}. */
    public @Nullable String window;

    /** One window per value of {@code provider}, {@code type}, {@code repository}, {@code branch}, {@code subject} or {@code endpoint}. */
    public @Nullable String groupBy;

    /** The most events of one window; a full window is sent at once. Default 1000. */
    public @Nullable Integer maxItems;

    /** The summary's template; sees {@code {{attributes.count}}}, {@code {{attributes.summary}}}... */
    public @Nullable String template;
  }
}
