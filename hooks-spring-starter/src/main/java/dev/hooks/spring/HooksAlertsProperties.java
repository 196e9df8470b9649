package dev.hooks.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The alert router from {@code hooks.alerts.*}: the keys of hooks-server's {@code alerts:} YAML
 * section, so a configuration moves between the two. Mutable binding class, not thread-safe; read
 * once at start. Never printed: it holds tokens and keys.
 */
@ConfigurationProperties("hooks.alerts")
public class HooksAlertsProperties {
  /** Whether the alert router is on: alert endpoints, rules, incidents and sinks from hooks.alerts.*; off unless set. */
  private boolean enabled;

  /** Whether a close value received in maintenance still closes an open incident. */
  private boolean closeInMaintenance = true;

  /** Where incidents and alert history are kept. */
  private Store store = new Store();

  /** The sinks by name; an IncidentSink bean of the application is a sink under its bean name too. */
  private Map<String, Sink> sinks = new LinkedHashMap<>();

  /** The sink of endpoints and rules that name none; default the first. */
  private @Nullable String defaultSink;

  /** The alert endpoints, each a hooks endpoint served at POST /hooks/{id}. */
  private List<AlertEndpoint> endpoints = new ArrayList<>();

  /** Maintenance in force from the start. */
  private Maintenance maintenance = new Maintenance();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean isCloseInMaintenance() {
    return closeInMaintenance;
  }

  public void setCloseInMaintenance(boolean closeInMaintenance) {
    this.closeInMaintenance = closeInMaintenance;
  }

  public Store getStore() {
    return store;
  }

  public void setStore(Store store) {
    this.store = store;
  }

  public Map<String, Sink> getSinks() {
    return sinks;
  }

  public void setSinks(Map<String, Sink> sinks) {
    this.sinks = sinks;
  }

  public @Nullable String getDefaultSink() {
    return defaultSink;
  }

  public void setDefaultSink(@Nullable String defaultSink) {
    this.defaultSink = defaultSink;
  }

  public List<AlertEndpoint> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<AlertEndpoint> endpoints) {
    this.endpoints = endpoints;
  }

  public Maintenance getMaintenance() {
    return maintenance;
  }

  public void setMaintenance(Maintenance maintenance) {
    this.maintenance = maintenance;
  }

  /** Where incidents and history are kept. */
  public static class Store {
    /** The incident store: jdbc (the application's DataSource) or memory; default jdbc when the application has one DataSource, else memory. */
    private @Nullable String type;

    public @Nullable String getType() {
      return type;
    }

    public void setType(@Nullable String type) {
      this.type = type;
    }
  }

  /** One sink. Never printed: it holds keys. */
  public static class Sink {
    /** The sink type: connectwise, pagerduty, webhook, discord, slack or teams; default the sink's name. */
    private @Nullable String type;

    /** ConnectWise: the API base ending in /v4_6_release/apis/3.0; PagerDuty: https://events.pagerduty.com; webhook and chat: the URL. */
    private @Nullable String url;

    /** ConnectWise: the login company (CW_COMPANY). */
    private @Nullable String company;

    /** ConnectWise: the API member's public key (CW_PUBLIC_KEY). */
    private @Nullable String publicKey;

    /** ConnectWise: the API member's private key (CW_PRIVATE_KEY). */
    private @Nullable String privateKey;

    /** ConnectWise: the integration's client id (CW_CLIENT_ID). */
    private @Nullable String clientId;

    /** ConnectWise: the board of tickets no rule routes elsewhere (CW_SERVICE_BOARD). */
    private @Nullable String board;

    /** ConnectWise: the status of new tickets (CW_STATUS_NEW). */
    private @Nullable String statusNew;

    /** ConnectWise: the status that closes a ticket (CW_STATUS_CLOSED). */
    private @Nullable String statusClosed;

    /** ConnectWise: the priority of new tickets. */
    private @Nullable String priority;

    /** ConnectWise: the company identifier of tickets whose alert names none. */
    private @Nullable String defaultCompany;

    /** PagerDuty: the integration's routing key. */
    private @Nullable String routingKey;

    /** Webhook: the HMAC-SHA256 secret the receiver checks. */
    private @Nullable String secret;

    /** Whether a chat sink accepts an http:// URL (a relay on this host); https is unaffected. */
    private boolean allowPlainHttp = false;

    /** How long one call to the sink may take. */
    private Duration timeout = Duration.ofSeconds(10);

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

    public @Nullable String getCompany() {
      return company;
    }

    public void setCompany(@Nullable String company) {
      this.company = company;
    }

    public @Nullable String getPublicKey() {
      return publicKey;
    }

    public void setPublicKey(@Nullable String publicKey) {
      this.publicKey = publicKey;
    }

    public @Nullable String getPrivateKey() {
      return privateKey;
    }

    public void setPrivateKey(@Nullable String privateKey) {
      this.privateKey = privateKey;
    }

    public @Nullable String getClientId() {
      return clientId;
    }

    public void setClientId(@Nullable String clientId) {
      this.clientId = clientId;
    }

    public @Nullable String getBoard() {
      return board;
    }

    public void setBoard(@Nullable String board) {
      this.board = board;
    }

    public @Nullable String getStatusNew() {
      return statusNew;
    }

    public void setStatusNew(@Nullable String statusNew) {
      this.statusNew = statusNew;
    }

    public @Nullable String getStatusClosed() {
      return statusClosed;
    }

    public void setStatusClosed(@Nullable String statusClosed) {
      this.statusClosed = statusClosed;
    }

    public @Nullable String getPriority() {
      return priority;
    }

    public void setPriority(@Nullable String priority) {
      this.priority = priority;
    }

    public @Nullable String getDefaultCompany() {
      return defaultCompany;
    }

    public void setDefaultCompany(@Nullable String defaultCompany) {
      this.defaultCompany = defaultCompany;
    }

    public @Nullable String getRoutingKey() {
      return routingKey;
    }

    public void setRoutingKey(@Nullable String routingKey) {
      this.routingKey = routingKey;
    }

    public @Nullable String getSecret() {
      return secret;
    }

    public void setSecret(@Nullable String secret) {
      this.secret = secret;
    }

    public boolean isAllowPlainHttp() {
      return allowPlainHttp;
    }

    public void setAllowPlainHttp(boolean allowPlainHttp) {
      this.allowPlainHttp = allowPlainHttp;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** One alert endpoint, as a HookWise endpoint. Never printed: it holds a token. */
  public static class AlertEndpoint {
    /** The hooks endpoint id: the path /hooks/{id}. */
    private @Nullable String id;

    /** A name for history and logs; default the id. */
    private @Nullable String name;

    /** The bearer token senders give as Authorization: Bearer <token>, at least 16 characters. */
    private @Nullable String token;

    /** An HMAC secret: when set, a delivery also needs X-HookWise-Signature, the hex HMAC-SHA256 of the raw body. */
    private @Nullable String hmacSecret;

    /** Client ranges allowed to post, such as 10.0.0.0/8; empty allows every client. */
    private List<String> allowedCidrs = new ArrayList<>();

    /** A ticket summary prefix; default "Alert:" (HookWise's CW_TICKET_PREFIX). */
    private @Nullable String ticketPrefix;

    /** The trigger field and its open and close values. */
    private @Nullable Trigger trigger;

    /** Destination (summary, description, severity, customer_id or any) to a JsonPath or a template. */
    private Map<String, String> mapping = new LinkedHashMap<>();

    /** Routing rules, tried in order. */
    private List<Rule> rules = new ArrayList<>();

    /** The sink; default hooks.alerts.default-sink. */
    private @Nullable String sink;

    /** The ConnectWise board of this endpoint's tickets. */
    private @Nullable String board;

    /** The priority of this endpoint's tickets. */
    private @Nullable String priority;

    /** The company of alerts nothing else names. */
    private @Nullable String company;

    /** The fingerprint template; default prefix + summary + company. */
    private @Nullable String fingerprint;

    /** An open within this time after a close reopens the ticket; default never. */
    private @Nullable Duration reopenWithin;

    /** The array whose elements are alerts of their own; default Alertmanager and Grafana groups are detected. */
    private @Nullable String split;

    public @Nullable String getId() {
      return id;
    }

    public void setId(@Nullable String id) {
      this.id = id;
    }

    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }

    public @Nullable String getToken() {
      return token;
    }

    public void setToken(@Nullable String token) {
      this.token = token;
    }

    public @Nullable String getHmacSecret() {
      return hmacSecret;
    }

    public void setHmacSecret(@Nullable String hmacSecret) {
      this.hmacSecret = hmacSecret;
    }

    public List<String> getAllowedCidrs() {
      return allowedCidrs;
    }

    public void setAllowedCidrs(List<String> allowedCidrs) {
      this.allowedCidrs = allowedCidrs;
    }

    public @Nullable String getTicketPrefix() {
      return ticketPrefix;
    }

    public void setTicketPrefix(@Nullable String ticketPrefix) {
      this.ticketPrefix = ticketPrefix;
    }

    public @Nullable Trigger getTrigger() {
      return trigger;
    }

    public void setTrigger(@Nullable Trigger trigger) {
      this.trigger = trigger;
    }

    public Map<String, String> getMapping() {
      return mapping;
    }

    public void setMapping(Map<String, String> mapping) {
      this.mapping = mapping;
    }

    public List<Rule> getRules() {
      return rules;
    }

    public void setRules(List<Rule> rules) {
      this.rules = rules;
    }

    public @Nullable String getSink() {
      return sink;
    }

    public void setSink(@Nullable String sink) {
      this.sink = sink;
    }

    public @Nullable String getBoard() {
      return board;
    }

    public void setBoard(@Nullable String board) {
      this.board = board;
    }

    public @Nullable String getPriority() {
      return priority;
    }

    public void setPriority(@Nullable String priority) {
      this.priority = priority;
    }

    public @Nullable String getCompany() {
      return company;
    }

    public void setCompany(@Nullable String company) {
      this.company = company;
    }

    public @Nullable String getFingerprint() {
      return fingerprint;
    }

    public void setFingerprint(@Nullable String fingerprint) {
      this.fingerprint = fingerprint;
    }

    public @Nullable Duration getReopenWithin() {
      return reopenWithin;
    }

    public void setReopenWithin(@Nullable Duration reopenWithin) {
      this.reopenWithin = reopenWithin;
    }

    public @Nullable String getSplit() {
      return split;
    }

    public void setSplit(@Nullable String split) {
      this.split = split;
    }
  }

  /** The trigger field: open and close values, compared exactly. */
  public static class Trigger {
    /** The JsonPath of the trigger field, such as $.heartbeat.status. */
    private @Nullable String path;

    /** The values that open (or update) an incident, compared exactly. */
    private List<String> open = new ArrayList<>();

    /** The values that close an incident, compared exactly. */
    private List<String> close = new ArrayList<>();

    public @Nullable String getPath() {
      return path;
    }

    public void setPath(@Nullable String path) {
      this.path = path;
    }

    public List<String> getOpen() {
      return open;
    }

    public void setOpen(List<String> open) {
      this.open = open;
    }

    public List<String> getClose() {
      return close;
    }

    public void setClose(List<String> close) {
      this.close = close;
    }
  }

  /** One routing rule, as HookWise writes it: a JsonPath, a regex and overrides. */
  public static class Rule {
    /** A name for history and errors; default rule-<n>. */
    private @Nullable String name;

    /** The JsonPath whose value the regex is matched against. */
    private @Nullable String path;

    /** The regular expression the value must match. */
    private @Nullable String regex;

    /** What the rule sets: board, priority, company (or customer_id), status, sink, template. */
    private Map<String, String> overrides = new LinkedHashMap<>();

    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }

    public @Nullable String getPath() {
      return path;
    }

    public void setPath(@Nullable String path) {
      this.path = path;
    }

    public @Nullable String getRegex() {
      return regex;
    }

    public void setRegex(@Nullable String regex) {
      this.regex = regex;
    }

    public Map<String, String> getOverrides() {
      return overrides;
    }

    public void setOverrides(Map<String, String> overrides) {
      this.overrides = overrides;
    }
  }

  /** Maintenance from the start. */
  public static class Maintenance {
    /** Whether global maintenance is on at start: alerts are recorded as skipped. */
    private boolean global = false;

    public boolean isGlobal() {
      return global;
    }

    public void setGlobal(boolean global) {
      this.global = global;
    }
  }
}
