package dev.hooks.spring;

import dev.hooks.alerts.AlertEndpoint;
import dev.hooks.alerts.AlertEndpoints;
import dev.hooks.alerts.AlertHistory;
import dev.hooks.alerts.AlertPayloadParser;
import dev.hooks.alerts.AlertRouter;
import dev.hooks.alerts.ChatSink;
import dev.hooks.alerts.ConnectWiseSink;
import dev.hooks.alerts.InMemoryAlertHistory;
import dev.hooks.alerts.InMemoryIncidentStore;
import dev.hooks.alerts.IncidentSink;
import dev.hooks.alerts.IncidentStore;
import dev.hooks.alerts.JdbcAlertHistory;
import dev.hooks.alerts.JdbcIncidentStore;
import dev.hooks.alerts.Maintenance;
import dev.hooks.alerts.Overrides;
import dev.hooks.alerts.PagerDutySink;
import dev.hooks.alerts.RoutingRule;
import dev.hooks.alerts.SignedWebhookSink;
import dev.hooks.ingress.Endpoint;
import dev.hooks.notify.Notifier;
import dev.hooks.route.Route;
import dev.hooks.signatures.GenericHmacSpec;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.spring.HooksAlertsProperties.Rule;
import dev.hooks.spring.HooksAlertsProperties.Sink;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The alert router from {@code hooks.alerts.*}, as hooks-server wires its {@code alerts:}
 * section: each alert endpoint a hooks endpoint at {@code /hooks/{id}} (bearer token, optional
 * HMAC, the alert payload parser, journaled before the 202), a route of their events to the
 * {@link AlertRouter}, the incident store (JDBC on the application's {@code DataSource} when there
 * is one, else in memory), and the sinks: ConnectWise, PagerDuty, a signed webhook, chat through
 * hooks-notify, and the application's own {@link IncidentSink} beans by bean name. Counters and
 * timers {@code hooks_alerts_*} go to the application's {@link MeterRegistry}. Every bean backs
 * off when the application declares its own.
 */
@AutoConfiguration(before = HooksAutoConfiguration.class, afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnClass(AlertRouter.class)
@ConditionalOnProperty(prefix = "hooks", name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = "hooks.alerts", name = "enabled", havingValue = "true")
@EnableConfigurationProperties({HooksProperties.class, HooksAlertsProperties.class})
public final class HooksAlertsAutoConfiguration {
  private static final Set<String> OVERRIDES = Set.of("board", "priority", "company", "customer_id", "status", "sink", "template");

  /** The incident store: jdbc on the application's DataSource when there is one, else (or with store.type=memory) in memory. */
  @Bean
  @ConditionalOnMissingBean
  public IncidentStore hooksIncidentStore(HooksAlertsProperties properties, ObjectProvider<DataSource> dataSource) {
    DataSource ds = jdbc(properties, dataSource);
    return ds == null ? new InMemoryIncidentStore() : new JdbcIncidentStore(ds);
  }

  /** Every alert delivery with its outcome, kept beside the incidents. */
  @Bean
  @ConditionalOnMissingBean
  public AlertHistory hooksAlertHistory(HooksAlertsProperties properties, ObjectProvider<DataSource> dataSource) {
    DataSource ds = jdbc(properties, dataSource);
    return ds == null ? new InMemoryAlertHistory(10_000) : new JdbcAlertHistory(ds);
  }

  /** Global maintenance, windows and silences; the router suppresses what it names. */
  @Bean
  @ConditionalOnMissingBean
  public Maintenance hooksAlertsMaintenance(HooksAlertsProperties properties) {
    Maintenance m = new Maintenance();
    m.global(properties.getMaintenance().isGlobal());
    return m;
  }

  /**
   * The router: the alert endpoints' mappings and rules, the sinks of {@code hooks.alerts.sinks}
   * and the application's {@link IncidentSink} beans (a rule's or endpoint's {@code sink} names either).
   */
  @Bean
  @ConditionalOnMissingBean
  public AlertRouter hooksAlertRouter(HooksAlertsProperties properties, IncidentStore store, AlertHistory history, Maintenance maintenance,
      Map<String, IncidentSink> sinkBeans, ObjectProvider<Notifier> notifiers, ObjectProvider<Clock> clock,
      ObjectProvider<MeterRegistry> meters) {
    Clock c = clock.getIfAvailable(Clock::systemUTC);
    AlertRouter.Builder b = AlertRouter.builder().clock(c).store(store).history(history).maintenance(maintenance)
        .closeInMaintenance(properties.isCloseInMaintenance()).meterRegistry(meters.getIfUnique());
    Set<String> sinkNames = new TreeSet<>();
    properties.getSinks().forEach((name, s) -> {
      b.sink(sink(name, s == null ? new Sink() : s, c));
      sinkNames.add(name);
    });
    sinkBeans.forEach((bean, s) -> {
      b.sink(new NamedSink(bean, s));
      sinkNames.add(bean);
    });
    if (sinkNames.isEmpty()) {
      throw new HooksConfigurationException("hooks.alerts.sinks", "no sink is declared",
          "Declare one, such as hooks.alerts.sinks.connectwise.url=${CW_URL} with its keys, or an IncidentSink bean.");
    }
    if (properties.getDefaultSink() != null) {
      if (!sinkNames.contains(properties.getDefaultSink())) {
        throw new HooksConfigurationException("hooks.alerts.default-sink", "names sink '" + properties.getDefaultSink() + "', which is not declared",
            "Set hooks.alerts.default-sink to one of " + sinkNames + ", or declare that sink under hooks.alerts.sinks.");
      }
      b.defaultSink(properties.getDefaultSink());
    }
    List<HooksAlertsProperties.AlertEndpoint> endpoints = properties.getEndpoints();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      HooksAlertsProperties.AlertEndpoint e = endpoints.get(i);
      String at = "hooks.alerts.endpoints[" + i + "]";
      String id = requireId(e, at);
      if (!ids.add(id)) {
        throw new HooksConfigurationException(at + ".id", "'" + id + "' is declared twice", "Give each alert endpoint its own id.");
      }
      b.endpoint(endpoint(e, id, at, sinkNames));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException ex) {
      throw new HooksConfigurationException("hooks.alerts", ex.getMessage(), "Correct the hooks.alerts value the message names.", ex);
    }
  }

  /** The hooks endpoints at {@code /hooks/{id}} of the alert endpoints, collected by the {@code Hooks} bean. */
  @Bean
  @ConditionalOnMissingBean(name = "hooksAlertEndpoints")
  public AlertHooksEndpoints hooksAlertEndpoints(HooksAlertsProperties properties, ObjectProvider<Clock> clock) {
    Clock c = clock.getIfAvailable(Clock::systemUTC);
    List<Endpoint> out = new ArrayList<>();
    List<HooksAlertsProperties.AlertEndpoint> endpoints = properties.getEndpoints();
    for (int i = 0; i < endpoints.size(); i++) {
      HooksAlertsProperties.AlertEndpoint e = endpoints.get(i);
      String at = "hooks.alerts.endpoints[" + i + "]";
      String id = requireId(e, at);
      if (e.getToken() == null || e.getToken().strip().length() < 16) {
        throw new HooksConfigurationException(at + ".token", "must be at least 16 characters",
            "Set " + at + ".token to ${...} and export a long random value (openssl rand -hex 32).");
      }
      SignatureVerifier verifier = SignatureVerifiers.bearer(List.of(Secret.of(e.getToken().strip())), c);
      if (e.getHmacSecret() != null && !e.getHmacSecret().isBlank()) {
        verifier = SignatureVerifiers.allOf(verifier, SignatureVerifiers.genericHmac(
            GenericHmacSpec.builder(AlertEndpoints.SIGNATURE_HEADER).build(), List.of(Secret.of(e.getHmacSecret().strip())), c));
      }
      try {
        Endpoint.Builder eb = Endpoint.builder(id).provider("alerts").verifier(verifier).parser(new AlertPayloadParser())
            .secretHeader("Authorization");
        for (String cidr : e.getAllowedCidrs()) {
          eb.allowCidr(cidr);
        }
        out.add(eb.build());
      } catch (IllegalArgumentException ex) {
        throw new HooksConfigurationException(at, ex.getMessage(), "Correct " + at + ".id or .allowed-cidrs as the message says.", ex);
      }
    }
    return new AlertHooksEndpoints(out);
  }

  /** The route of the alert endpoints' events to the router. */
  @Bean
  @ConditionalOnMissingBean(name = "hooksAlertsRoute")
  public Route hooksAlertsRoute(AlertRouter router) {
    return Route.builder("alerts").when(event -> router.hasEndpoint(event.endpointId())).handler(router.handler()).build();
  }

  /** The hooks endpoints this configuration contributes; the {@code Hooks} bean adds them. */
  public static final class AlertHooksEndpoints {
    private final List<Endpoint> endpoints;

    AlertHooksEndpoints(List<Endpoint> endpoints) {
      this.endpoints = List.copyOf(endpoints);
    }

    /** The endpoints, in the order of {@code hooks.alerts.endpoints}. */
    public List<Endpoint> endpoints() {
      return endpoints;
    }
  }

  private static String requireId(HooksAlertsProperties.AlertEndpoint e, String at) {
    if (e.getId() == null || e.getId().isBlank()) {
      throw new HooksConfigurationException(at + ".id", "is empty", "Set " + at + ".id: the path /hooks/{id} the monitor posts to.");
    }
    return e.getId().strip();
  }

  private static @Nullable DataSource jdbc(HooksAlertsProperties properties, ObjectProvider<DataSource> dataSource) {
    String type = properties.getStore().getType() == null ? null : properties.getStore().getType().strip().toLowerCase(Locale.ROOT);
    if (type == null) {
      return dataSource.getIfUnique();
    }
    return switch (type) {
      case "memory" -> null;
      case "jdbc" -> {
        DataSource ds = dataSource.getIfUnique();
        if (ds == null) {
          throw new HooksConfigurationException("hooks.alerts.store.type", "jdbc needs a DataSource, and the application has none (or several)",
              "Configure spring.datasource.url, or set hooks.alerts.store.type=memory.");
        }
        yield ds;
      }
      default -> throw new HooksConfigurationException("hooks.alerts.store.type", "'" + type + "' is not an incident store type",
          "Set hooks.alerts.store.type to jdbc or memory.");
    };
  }

  private static AlertEndpoint endpoint(HooksAlertsProperties.AlertEndpoint e, String id, String at, Set<String> sinkNames) {
    AlertEndpoint.Builder b = AlertEndpoint.builder(id).name(e.getName() != null ? e.getName() : id);
    if (e.getTicketPrefix() != null) {
      b.ticketPrefix(e.getTicketPrefix());
    }
    if (e.getTrigger() != null) {
      if (e.getTrigger().getPath() == null || e.getTrigger().getPath().isBlank()) {
        throw new HooksConfigurationException(at + ".trigger.path", "is empty", "Set it to a JsonPath such as $.heartbeat.status.");
      }
      b.trigger(e.getTrigger().getPath().strip(), splitValues(e.getTrigger().getOpen()), splitValues(e.getTrigger().getClose()));
    }
    e.getMapping().forEach(b::map);
    checkSink(e.getSink(), at + ".sink", sinkNames);
    for (int i = 0; i < e.getRules().size(); i++) {
      b.rule(rule(e.getRules().get(i), at + ".rules[" + i + "]", i, sinkNames));
    }
    b.sink(e.getSink()).board(e.getBoard()).priority(e.getPriority()).company(e.getCompany()).fingerprint(e.getFingerprint())
        .splitPath(e.getSplit());
    if (e.getReopenWithin() != null) {
      b.reopenWithin(e.getReopenWithin());
    }
    try {
      return b.build();
    } catch (IllegalArgumentException ex) {
      // the message names the key: "mapping.summary", "trigger", "split"
      String key = ex.getMessage() != null && ex.getMessage().contains(": mapping.")
          ? at + ".mapping." + ex.getMessage().substring(ex.getMessage().indexOf(": mapping.") + 10).split(" ")[0]
          : at;
      throw new HooksConfigurationException(key, ex.getMessage(),
          "Correct the JsonPath (such as $.monitor.name) or the template ({$.path}, {{ name }}) of " + key + ".", ex);
    }
  }

  private static RoutingRule rule(Rule r, String at, int index, Set<String> sinkNames) {
    String name = r.getName() != null ? r.getName() : "rule-" + (index + 1);
    Map<String, String> o = new LinkedHashMap<>(r.getOverrides());
    for (String k : o.keySet()) {
      if (!OVERRIDES.contains(k)) {
        throw new HooksConfigurationException(at + ".overrides." + k, "is not an override of rule '" + name + "'",
            "Use one of " + new TreeSet<>(OVERRIDES) + ".");
      }
    }
    checkSink(o.get("sink"), at + ".overrides.sink", sinkNames);
    Overrides overrides = new Overrides(o.get("board"), o.get("priority"), o.containsKey("company") ? o.get("company") : o.get("customer_id"),
        o.get("status"), o.get("sink"), o.get("template"));
    try {
      return RoutingRule.of(name, r.getPath(), r.getRegex(), overrides);
    } catch (IllegalArgumentException ex) {
      boolean regex = ex.getMessage() != null && ex.getMessage().contains("regex");
      throw new HooksConfigurationException(at + (regex ? ".regex" : ".path"), ex.getMessage(), regex
          ? "Correct the regular expression of " + at + ".regex (java.util.regex syntax), such as .*-DB-.*"
          : "Correct " + at + ".path to a JsonPath, such as $.monitor.hostname.", ex);
    }
  }

  private static void checkSink(@Nullable String sink, String at, Set<String> sinkNames) {
    if (sink != null && !sinkNames.contains(sink)) {
      throw new HooksConfigurationException(at, "names sink '" + sink + "', which is not declared",
          "Declare it under hooks.alerts.sinks." + sink + " (type, url and keys), declare an IncidentSink bean named '" + sink
              + "', or use one of " + sinkNames + ".");
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

  static IncidentSink sink(String name, Sink s, Clock clock) {
    String at = "hooks.alerts.sinks." + name;
    String type = (s.getType() != null ? s.getType() : name).strip().toLowerCase(Locale.ROOT);
    try {
      return switch (type) {
        case "connectwise" -> {
          require(s.getUrl(), at + ".url", "Set " + at + ".url to ${CW_URL} (https://<host>/v4_6_release/apis/3.0).");
          require(s.getCompany(), at + ".company", "Set " + at + ".company to ${CW_COMPANY}.");
          require(s.getPublicKey(), at + ".public-key", "Set " + at + ".public-key to ${CW_PUBLIC_KEY}.");
          require(s.getPrivateKey(), at + ".private-key", "Set " + at + ".private-key to ${CW_PRIVATE_KEY}.");
          require(s.getClientId(), at + ".client-id", "Set " + at + ".client-id to ${CW_CLIENT_ID} (developer.connectwise.com gives one).");
          require(s.getBoard(), at + ".board", "Set " + at + ".board to ${CW_SERVICE_BOARD}.");
          require(s.getStatusNew(), at + ".status-new", "Set " + at + ".status-new to ${CW_STATUS_NEW}.");
          require(s.getStatusClosed(), at + ".status-closed", "Set " + at + ".status-closed to ${CW_STATUS_CLOSED}.");
          yield ConnectWiseSink.builder(name, s.getUrl().strip())
              .credentials(s.getCompany().strip(), s.getPublicKey().strip(), s.getPrivateKey().strip(), s.getClientId().strip())
              .board(s.getBoard().strip()).statuses(s.getStatusNew().strip(), s.getStatusClosed().strip()).timeout(s.getTimeout())
              .priority(blankToNull(s.getPriority())).defaultCompany(blankToNull(s.getDefaultCompany())).build();
        }
        case "pagerduty" -> {
          require(s.getRoutingKey(), at + ".routing-key", "Set " + at + ".routing-key to the integration key of the PagerDuty service.");
          yield new PagerDutySink(name, s.getUrl() != null ? s.getUrl().strip() : "https://events.pagerduty.com", s.getRoutingKey().strip());
        }
        case "webhook" -> {
          require(s.getUrl(), at + ".url", "Set " + at + ".url to the receiver's URL.");
          require(s.getSecret(), at + ".secret", "Set " + at + ".secret to the HMAC secret the receiver checks.");
          yield new SignedWebhookSink(name, URI.create(s.getUrl().strip()), s.getSecret().strip(), clock);
        }
        case "discord", "slack", "teams" -> {
          HooksProperties.Target t = new HooksProperties.Target();
          t.setType(type);
          t.setUrl(s.getUrl());
          t.setAllowPlainHttp(s.isAllowPlainHttp());
          try {
            yield new ChatSink(HooksNotifyAutoConfiguration.notifier(name, t));
          } catch (HooksConfigurationException ex) {
            throw new HooksConfigurationException(at + ".url", ex.getMessage().substring(ex.property().length() + 2),
                ex.action().replace("hooks.notify.targets.", "hooks.alerts.sinks."), ex);
          }
        }
        default -> throw new HooksConfigurationException(at + ".type", "'" + type + "' is not a sink type",
            "Set " + at + ".type to connectwise, pagerduty, webhook, discord, slack or teams, or declare an IncidentSink bean named '" + name + "'.");
      };
    } catch (HooksConfigurationException ex) {
      throw ex;
    } catch (IllegalArgumentException ex) {
      throw new HooksConfigurationException(at, ex.getMessage(), "Correct " + at + " as the message says.", ex);
    }
  }

  private static void require(@Nullable String value, String property, String action) {
    if (value == null || value.isBlank()) {
      throw new HooksConfigurationException(property, "is empty", action);
    }
  }

  private static @Nullable String blankToNull(@Nullable String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** An application's {@link IncidentSink} bean under its bean name, the name rules use. */
  private static final class NamedSink implements IncidentSink {
    private final String name;
    private final IncidentSink delegate;

    NamedSink(String name, IncidentSink delegate) {
      this.name = name;
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String open(dev.hooks.alerts.Ticket t) throws dev.hooks.alerts.SinkException {
      return delegate.open(t);
    }

    @Override
    public void note(String ref, dev.hooks.alerts.Ticket t, String text) throws dev.hooks.alerts.SinkException {
      delegate.note(ref, t, text);
    }

    @Override
    public void close(String ref, dev.hooks.alerts.Ticket t) throws dev.hooks.alerts.SinkException {
      delegate.close(ref, t);
    }

    @Override
    public void reopen(String ref, dev.hooks.alerts.Ticket t) throws dev.hooks.alerts.SinkException {
      delegate.reopen(ref, t);
    }

    @Override
    public java.util.Optional<String> findOpen(dev.hooks.alerts.Ticket t) throws dev.hooks.alerts.SinkException {
      return delegate.findOpen(t);
    }

    @Override
    public String toString() {
      return "IncidentSink[" + name + "]";
    }
  }
}
