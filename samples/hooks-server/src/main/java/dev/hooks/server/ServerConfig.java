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
   * Notification targets by name, such as {@code discord}, that endpoints created through the
   * admin API send to.
   */
  public Map<String, NotifyTargetConfig> notify = new LinkedHashMap<>();

  /** The admin API at {@code /admin/*}; absent, the server has none. */
  public @Nullable AdminConfig admin;

  /** Each value the loader took from the environment, to its variable's name; not a YAML key. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public Map<String, String> substituted = Map.of();

  /** Limits of the HTTP listener against slow or greedy clients; every key has a default. */
  public HttpConfig server = new HttpConfig();

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

  /** The journal's database. */
  public static final class JournalConfig {
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

    @Override
    public String toString() {
      return "JournalConfig[" + url + ", " + durability + "]";
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

  /** One notification target. Never printed: its URL holds a token. */
  public static final class NotifyTargetConfig {
    /** {@code discord}, {@code slack} or {@code teams}; default the target's name. */
    public @Nullable String type;

    /** The incoming-webhook URL; usually {@code ${DISCORD_WEBHOOK_URL}}. Its host is the only one the target may reach. */
    public @Nullable String url;

    /** Whether a plain {@code http://} URL is allowed, for a relay on the same host; default false. */
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

    /** Where senders reach this server, such as {@code https://hooks.example.com}; endpoint URLs start with it. */
    public @Nullable String publicUrl;

    /** The {@code notify} target of endpoints created without one; default the first target. */
    public @Nullable String defaultTarget;

    /** Client ranges served the admin API, such as {@code 10.0.0.0/8}; others get 403 before the token is looked at. Empty serves every client. */
    public List<String> trustedCidrs = new ArrayList<>();

    /** Wrong or missing tokens one client may send per minute; past it 429 with {@code Retry-After}. Default 10. */
    public int maxFailuresPerMinute = 10;

    @Override
    public String toString() {
      return "AdminConfig[" + publicUrl + "]";
    }
  }

  /** One handler. */
  public static final class HandlerConfig {
    /** {@code log} (one line per event on standard output) or {@code file} (one line per event appended to a file). */
    public @Nullable String type;

    /** For {@code file}: the file to append to; relative to the working directory. */
    public @Nullable String path;
  }
}
