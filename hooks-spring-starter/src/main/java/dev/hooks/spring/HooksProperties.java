package dev.hooks.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code hooks.*} properties: the same settings as hooks-server's YAML file, in Spring's
 * relaxed binding ({@code hooks.endpoints.github.secret=${GITHUB_WEBHOOK_SECRET}}). Mutable
 * binding classes, read once at start.
 */
@ConfigurationProperties("hooks")
public class HooksProperties {
  /** Whether hooks is configured at all. */
  private boolean enabled = true;

  private final Servlet servlet = new Servlet();

  /** The webhook endpoints by id, each served at {@code POST {hooks.servlet.path}/{id}}. */
  private Map<String, EndpointProperties> endpoints = new LinkedHashMap<>();

  private final Journal journal = new Journal();

  private final Dispatch dispatch = new Dispatch();

  /** Rules choosing the handlers of each event; an event matching none is only journaled. */
  private List<RouteProperties> routes = new ArrayList<>();

  private final Notify notify = new Notify();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Servlet getServlet() {
    return servlet;
  }

  public Map<String, EndpointProperties> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(Map<String, EndpointProperties> endpoints) {
    this.endpoints = endpoints;
  }

  public Journal getJournal() {
    return journal;
  }

  public Dispatch getDispatch() {
    return dispatch;
  }

  public List<RouteProperties> getRoutes() {
    return routes;
  }

  public void setRoutes(List<RouteProperties> routes) {
    this.routes = routes;
  }

  public Notify getNotify() {
    return notify;
  }

  /** Where the webhook servlet is mounted. */
  public static class Servlet {
    /** Whether HooksServlet is registered with the application's servlet container. */
    private boolean enabled = true;

    /** The path prefix of the webhook endpoints: {@code /hooks} serves {@code POST /hooks/{id}}. */
    private String path = "/hooks";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }
  }

  /** One endpoint. */
  public static class EndpointProperties {
    /**
     * The provider whose payloads the endpoint reads, such as github, gitlab, bitbucket or
     * generic: a name of hooks-endpoints' {@code ProviderCatalog}, the list hooks-server reads too.
     */
    private @Nullable String provider;

    /**
     * The signature scheme; default the provider's own from the catalog (github's HMAC, gitlab's
     * token, autoheal's X-Webhook-Token, bearer for senders that sign nothing), or none. Or the
     * name of a SignatureVerifier bean of the application.
     */
    private @Nullable String scheme;

    /** The secret (or token) deliveries are signed with; usually ${SOME_ENV_VAR}. */
    private @Nullable String secret;

    /** Further secrets accepted beside {@code secret}, for rotation. */
    private List<String> secrets = new ArrayList<>();

    /** Options of the verifier, such as {@code header} for the header-token scheme. */
    private Map<String, String> verifierOptions = new LinkedHashMap<>();

    /** The name of a PayloadParser bean of the application, instead of the provider's parser. */
    private @Nullable String parser;

    /** Options of the provider's parser, such as {@code type} for generic. */
    private Map<String, String> parserOptions = new LinkedHashMap<>();

    /** The largest body accepted; default 1MB. */
    private @Nullable DataSize maxBodySize;

    /** Client ranges allowed to send, such as 192.30.252.0/22; empty allows every client. */
    private List<String> allowedCidrs = new ArrayList<>();

    /** Whether the endpoint takes deliveries; a disabled endpoint answers 404. */
    private boolean enabled = true;

    public @Nullable String getProvider() {
      return provider;
    }

    public void setProvider(@Nullable String provider) {
      this.provider = provider;
    }

    public @Nullable String getScheme() {
      return scheme;
    }

    public void setScheme(@Nullable String scheme) {
      this.scheme = scheme;
    }

    public @Nullable String getSecret() {
      return secret;
    }

    public void setSecret(@Nullable String secret) {
      this.secret = secret;
    }

    public List<String> getSecrets() {
      return secrets;
    }

    public void setSecrets(List<String> secrets) {
      this.secrets = secrets;
    }

    public Map<String, String> getVerifierOptions() {
      return verifierOptions;
    }

    public void setVerifierOptions(Map<String, String> verifierOptions) {
      this.verifierOptions = verifierOptions;
    }

    public @Nullable String getParser() {
      return parser;
    }

    public void setParser(@Nullable String parser) {
      this.parser = parser;
    }

    public Map<String, String> getParserOptions() {
      return parserOptions;
    }

    public void setParserOptions(Map<String, String> parserOptions) {
      this.parserOptions = parserOptions;
    }

    public @Nullable DataSize getMaxBodySize() {
      return maxBodySize;
    }

    public void setMaxBodySize(@Nullable DataSize maxBodySize) {
      this.maxBodySize = maxBodySize;
    }

    public List<String> getAllowedCidrs() {
      return allowedCidrs;
    }

    public void setAllowedCidrs(List<String> allowedCidrs) {
      this.allowedCidrs = allowedCidrs;
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Where accepted deliveries are stored before they are answered 202. */
  public static class Journal {
    /** Whether the starter provides the journal; off, declare an EventJournal bean. */
    private boolean enabled = true;

    /**
     * embedded (the journal on RocksDB in data-dir/journal, the state store and outbox in an H2
     * file beside it; the default without a DataSource), jdbc (the
     * application's DataSource, the default when there is one, or {@code url}) or memory (lost at exit).
     */
    private @Nullable String type;

    /** The directory of the embedded stores. */
    private Path dataDir = Path.of("data");

    /** A JDBC URL of its own for the jdbc journal, instead of the application's DataSource. */
    private @Nullable String url;

    /** The user of {@code url}. */
    private @Nullable String user;

    /** The password of {@code url}. */
    private @Nullable String password;

    /** os (survives kill -9, the default) or sync (survives power loss). */
    private String durability = "os";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable String getType() {
      return type;
    }

    public void setType(@Nullable String type) {
      this.type = type;
    }

    public Path getDataDir() {
      return dataDir;
    }

    public void setDataDir(Path dataDir) {
      this.dataDir = dataDir;
    }

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public @Nullable String getUser() {
      return user;
    }

    public void setUser(@Nullable String user) {
      this.user = user;
    }

    public @Nullable String getPassword() {
      return password;
    }

    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    public String getDurability() {
      return durability;
    }

    public void setDurability(String durability) {
      this.durability = durability;
    }
  }

  /** How journaled events are handed to handlers. */
  public static class Dispatch {
    /** Events dispatched at once; a delivery past it answers 429. */
    private @Nullable Integer capacity;

    /** Handler threads. */
    private @Nullable Integer threads;

    /** Attempts of a handler before the event is dead-lettered. */
    private @Nullable Integer maxAttempts;

    /** The first retry delay. */
    private Duration initialBackoff = Duration.ofSeconds(1);

    /** The largest retry delay. */
    private Duration maxBackoff = Duration.ofMinutes(5);

    /** How long a claimed entry stays with this process before another may take it. */
    private @Nullable Duration lease;

    /** How long shutdown waits for handlers in flight. */
    private @Nullable Duration drainTimeout;

    public @Nullable Integer getCapacity() {
      return capacity;
    }

    public void setCapacity(@Nullable Integer capacity) {
      this.capacity = capacity;
    }

    public @Nullable Integer getThreads() {
      return threads;
    }

    public void setThreads(@Nullable Integer threads) {
      this.threads = threads;
    }

    public @Nullable Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(@Nullable Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    public @Nullable Duration getLease() {
      return lease;
    }

    public void setLease(@Nullable Duration lease) {
      this.lease = lease;
    }

    public @Nullable Duration getDrainTimeout() {
      return drainTimeout;
    }

    public void setDrainTimeout(@Nullable Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
    }
  }

  /** A route: which events go to which handlers (EventHandler beans by name, or {@code notify}). */
  public static class RouteProperties {
    /** The route's name in logs; default route-N. */
    private @Nullable String name;

    /** Endpoint ids; empty matches every endpoint. */
    private List<String> endpoint = new ArrayList<>();

    /** Providers; empty matches every provider. */
    private List<String> provider = new ArrayList<>();

    /** Event types, such as push; empty matches every type. */
    private List<String> type = new ArrayList<>();

    /** Actions, such as opened; empty matches every action. */
    private List<String> action = new ArrayList<>();

    /** Branch globs, such as main or release/*. */
    private List<String> branch = new ArrayList<>();

    /** Tag globs, such as v*. */
    private List<String> tag = new ArrayList<>();

    /** JsonPath conditions on the payload that must all hold. */
    private List<String> when = new ArrayList<>();

    /** The handlers: names of EventHandler beans, or notify for the notification routes. */
    private List<String> handlers = new ArrayList<>();

    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }

    public List<String> getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(List<String> endpoint) {
      this.endpoint = endpoint;
    }

    public List<String> getProvider() {
      return provider;
    }

    public void setProvider(List<String> provider) {
      this.provider = provider;
    }

    public List<String> getType() {
      return type;
    }

    public void setType(List<String> type) {
      this.type = type;
    }

    public List<String> getAction() {
      return action;
    }

    public void setAction(List<String> action) {
      this.action = action;
    }

    public List<String> getBranch() {
      return branch;
    }

    public void setBranch(List<String> branch) {
      this.branch = branch;
    }

    public List<String> getTag() {
      return tag;
    }

    public void setTag(List<String> tag) {
      this.tag = tag;
    }

    public List<String> getWhen() {
      return when;
    }

    public void setWhen(List<String> when) {
      this.when = when;
    }

    public List<String> getHandlers() {
      return handlers;
    }

    public void setHandlers(List<String> handlers) {
      this.handlers = handlers;
    }
  }

  /** Chat and webhook notifications, sent through the durable outbox. */
  public static class Notify {
    /** Whether the notify handler and the outbox sender are configured. */
    private boolean enabled = true;

    /** Targets by name: a type (discord, slack, teams) and a webhook URL. */
    private Map<String, Target> targets = new LinkedHashMap<>();

    /**
     * Notification routes of the {@code notify} handler; with none, every event the handler is
     * given goes to every target.
     */
    private List<NotifyRoute> routes = new ArrayList<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Map<String, Target> getTargets() {
      return targets;
    }

    public void setTargets(Map<String, Target> targets) {
      this.targets = targets;
    }

    public List<NotifyRoute> getRoutes() {
      return routes;
    }

    public void setRoutes(List<NotifyRoute> routes) {
      this.routes = routes;
    }
  }

  /** A notification target. */
  public static class Target {
    /** discord, slack or teams; default the target's name. */
    private @Nullable String type;

    /** The incoming-webhook URL; usually ${DISCORD_WEBHOOK_URL}. A secret: never logged. */
    private @Nullable String url;

    /** Whether an http:// URL is allowed (loopback test servers); default https only. */
    private boolean allowPlainHttp;

    public @Nullable String getType() {
      return type;
    }

    public void setType(@Nullable String type) {
      this.type = type;
    }

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public boolean isAllowPlainHttp() {
      return allowPlainHttp;
    }

    public void setAllowPlainHttp(boolean allowPlainHttp) {
      this.allowPlainHttp = allowPlainHttp;
    }
  }

  /** A notification route: which events go to which targets, with which template. */
  public static class NotifyRoute {
    /** The route's name; default notify-N. */
    private @Nullable String name;

    /** Providers; empty matches every provider. */
    private List<String> provider = new ArrayList<>();

    /** Event types; empty matches every type. */
    private List<String> type = new ArrayList<>();

    /** Actions; empty matches every action. */
    private List<String> action = new ArrayList<>();

    /** Branch globs. */
    private List<String> branch = new ArrayList<>();

    /** JsonPath conditions on the payload. */
    private List<String> when = new ArrayList<>();

    /** Target names; empty sends to every target. */
    private List<String> to = new ArrayList<>();

    /** A Mustache template of the message text, such as "{{provider}} {{type}} on {{branch}}". */
    private @Nullable String template;

    /** Collect matching events over this window and send one digest. */
    private @Nullable Duration digest;

    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }

    public List<String> getProvider() {
      return provider;
    }

    public void setProvider(List<String> provider) {
      this.provider = provider;
    }

    public List<String> getType() {
      return type;
    }

    public void setType(List<String> type) {
      this.type = type;
    }

    public List<String> getAction() {
      return action;
    }

    public void setAction(List<String> action) {
      this.action = action;
    }

    public List<String> getBranch() {
      return branch;
    }

    public void setBranch(List<String> branch) {
      this.branch = branch;
    }

    public List<String> getWhen() {
      return when;
    }

    public void setWhen(List<String> when) {
      this.when = when;
    }

    public List<String> getTo() {
      return to;
    }

    public void setTo(List<String> to) {
      this.to = to;
    }

    public @Nullable String getTemplate() {
      return template;
    }

    public void setTemplate(@Nullable String template) {
      this.template = template;
    }

    public @Nullable Duration getDigest() {
      return digest;
    }

    public void setDigest(@Nullable Duration digest) {
      this.digest = digest;
    }
  }
}
