package dev.hooks.spring;

import com.github.dockerjava.api.DockerClient;
import dev.hooks.Hooks;
import dev.hooks.HooksException;
import dev.hooks.notify.OutboxSender;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.remediation.AutohealPreset;
import dev.hooks.remediation.DiscordRemediationAlerts;
import dev.hooks.remediation.DockerEventsSource;
import dev.hooks.remediation.DockerRemediation;
import dev.hooks.remediation.FailureTracker;
import dev.hooks.remediation.RemediationEventHandler;
import dev.hooks.remediation.RemediationLadder;
import dev.hooks.remediation.RemediationMeters;
import dev.hooks.remediation.RemediationPolicy;
import dev.hooks.remediation.RemediationService;
import dev.hooks.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Remediation from {@code hooks.remediation.*}: the autoheal listener's ladder (critical alert,
 * log archive, stack reset, health check, final alert) on the Docker Engine, fed by the {@link
 * RemediationEventHandler} bean {@code remediation} that a route names, by the Engine's events
 * with {@code docker-events=true}, and read and reset through the listener's routes under {@code
 * hooks.remediation.servlet.path}. Every bean backs off when the application declares its own.
 *
 * <pre>{@code
 * hooks.endpoints.autoheal-event.provider=autoheal
 * hooks.endpoints.autoheal-event.secret=${WEBHOOK_SECRET}
 * hooks.routes[0].handlers=remediation
 * hooks.remediation.enabled=true
 * hooks.remediation.critical-service-name=your-app-prod
 * }</pre>
 */
@AutoConfiguration(after = HooksAutoConfiguration.class, before = HooksActuatorAutoConfiguration.class)
@ConditionalOnClass({RemediationService.class, DockerClient.class})
@ConditionalOnProperty(prefix = "hooks.remediation", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(HooksRemediationProperties.class)
public class HooksRemediationAutoConfiguration {
  /** The bean name routes use for the remediation handler: {@code hooks.routes[n].handlers=remediation}. */
  public static final String HANDLER = "remediation";

  /** The preset, checked against the properties; a reset that cannot run here fails the start. */
  @Bean
  @ConditionalOnMissingBean
  public AutohealPreset hooksAutohealPreset(HooksRemediationProperties properties) {
    AutohealPreset preset;
    try {
      preset = AutohealPreset.fromEnvironment(environment(properties));
    } catch (HooksException e) {
      throw translate(e);
    }
    try {
      preset.checkReset();
    } catch (HooksException e) {
      throw new HooksConfigurationException("hooks.remediation.reset-mode", "the stack reset cannot run here: " + e.getMessage(),
          "Install the compose CLI named by hooks.remediation.compose-command, or set hooks.remediation.reset-mode=labels.", e);
    }
    return preset;
  }

  /** The Docker Engine client: DOCKER_HOST, else the local socket. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public DockerClient hooksDockerClient() {
    return DockerRemediation.newClient();
  }

  @Bean
  @ConditionalOnMissingBean
  public RemediationPolicy hooksRemediationPolicy(AutohealPreset preset) {
    return preset.policy();
  }

  /** The Discord alerts, enqueued in the application's notification outbox. */
  @Bean
  @ConditionalOnMissingBean
  public DiscordRemediationAlerts hooksRemediationAlerts(AutohealPreset preset, NotificationOutbox outbox, ObjectProvider<Clock> clock) {
    return preset.alerts(outbox, clock.getIfAvailable(Clock::systemUTC));
  }

  /** The listener's ladder; with a MeterRegistry, each step is counted as {@value RemediationMeters#STEPS}. */
  @Bean
  @ConditionalOnMissingBean
  public RemediationLadder hooksRemediationLadder(AutohealPreset preset, DockerClient docker, DiscordRemediationAlerts alerts,
      ObjectProvider<MeterRegistry> meters) {
    RemediationLadder ladder = preset.ladder(docker, alerts);
    MeterRegistry registry = meters.getIfAvailable();
    return registry == null ? ladder : RemediationMeters.metered(ladder, registry);
  }

  /** The failure counts and timers, kept in the application's state store. */
  @Bean
  @ConditionalOnMissingBean
  public FailureTracker hooksFailureTracker(StateStore store, RemediationLadder ladder, RemediationPolicy policy, ObjectProvider<Clock> clock) {
    return FailureTracker.builder(store, ladder).policy(policy).clock(clock.getIfAvailable(Clock::systemUTC)).build();
  }

  /** The remediation service: its timers run while the application runs; the alerts go out through the outbox. */
  @Bean(initMethod = "start", destroyMethod = "close")
  @ConditionalOnMissingBean
  public RemediationService hooksRemediationService(AutohealPreset preset, FailureTracker tracker, DockerClient docker,
      NotificationOutbox outbox, DiscordRemediationAlerts alerts, ObjectProvider<DockerEventsSource> events, ObjectProvider<Clock> clock) {
    Clock c = clock.getIfAvailable(Clock::systemUTC);
    return RemediationService.builder(tracker)
        .resolver(DockerRemediation.serviceResolver(docker))
        .watch(preset.criticalServiceName())
        .sender(OutboxSender.builder(outbox, alerts.notifiers()).clock(c).build())
        .events(events.getIfAvailable())
        .clock(c)
        .build();
  }

  /** The handler of autoheal notices (and Docker event webhooks), routed by the name {@value #HANDLER}. */
  @Bean(HANDLER)
  @ConditionalOnMissingBean(RemediationEventHandler.class)
  public RemediationEventHandler remediation(RemediationService service) {
    return service.handler();
  }

  /** The Docker Engine as a detail {@code docker} of the {@code hooks} health component: its API version, DOWN when it does not answer. */
  @Bean
  @ConditionalOnMissingBean(name = "hooksDockerHealthContributor")
  public HooksHealthContributor hooksDockerHealthContributor(DockerClient docker) {
    return new HooksHealthContributor() {
      @Override
      public String name() {
        return "docker";
      }

      @Override
      public Object check() {
        return docker.versionCmd().exec().getApiVersion();
      }
    };
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "hooks.remediation", name = "docker-events", havingValue = "true")
  static class DockerEvents {
    /** The Engine's events of the watched service's compose project; started and closed with the service. */
    @Bean
    @ConditionalOnMissingBean
    DockerEventsSource hooksDockerEventsSource(AutohealPreset preset, DockerClient docker, FailureTracker tracker) {
      try {
        return preset.eventsSource(docker, tracker);
      } catch (HooksException e) {
        throw new HooksConfigurationException("hooks.remediation.docker-events", e.getMessage(),
            "Start the stack before the application, or set hooks.remediation.docker-events=false.", e);
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(ServletRegistrationBean.class)
  @ConditionalOnBean(Hooks.class)
  @ConditionalOnProperty(prefix = "hooks.remediation.servlet", name = "enabled", matchIfMissing = true)
  static class Routes {
    /** {@code GET {path}/status}, {@code GET {path}/health}, {@code POST {path}/reset}. */
    @Bean
    @ConditionalOnMissingBean(name = "hooksRemediationServletRegistration")
    ServletRegistrationBean<HooksRemediationServlet> hooksRemediationServletRegistration(Hooks hooks, RemediationService service,
        AutohealPreset preset, HooksRemediationProperties properties, ObjectProvider<Clock> clock) {
      String path = properties.getServlet().getPath().strip().replaceAll("/+$", "");
      if (!path.startsWith("/") || path.contains("*")) {
        throw new HooksConfigurationException("hooks.remediation.servlet.path", "'" + path + "' is not a path prefix",
            "Set hooks.remediation.servlet.path to a prefix such as /autoheal (the routes are then GET /autoheal/status, POST /autoheal/reset).");
      }
      ServletRegistrationBean<HooksRemediationServlet> bean = new ServletRegistrationBean<>(
          new HooksRemediationServlet(hooks, service, preset, clock.getIfAvailable(Clock::systemUTC)), path + "/*");
      bean.setName("hooksRemediationServlet");
      return bean;
    }
  }

  /** The properties as the preset's environment variables, each value checked here so that a failure names its property. */
  static Map<String, String> environment(HooksRemediationProperties p) {
    Map<String, String> env = new LinkedHashMap<>();
    put(env, "CRITICAL_SERVICE_NAME", p.getCriticalServiceName());
    if (p.getThreshold() < 1) {
      throw new HooksConfigurationException("hooks.remediation.threshold", "the threshold is " + p.getThreshold() + ", less than 1",
          "Set hooks.remediation.threshold to the failures before the remediation runs, at least 1 (default 3).");
    }
    env.put("CRITICAL_FAIL_COUNT", Integer.toString(p.getThreshold()));
    if (p.getCooldown().toSeconds() < 1) {
      throw new HooksConfigurationException("hooks.remediation.cooldown", "the cooldown is " + p.getCooldown() + ", less than a second",
          "Set hooks.remediation.cooldown to the time between the reset and its health check, such as 300s.");
    }
    env.put("COOLDOWN_PERIOD", Long.toString(p.getCooldown().toSeconds()));
    String mode = p.getResetMode().strip().toLowerCase(Locale.ROOT);
    if (!mode.equals("compose") && !mode.equals("labels")) {
      throw new HooksConfigurationException("hooks.remediation.reset-mode", "'" + p.getResetMode() + "' is no reset mode",
          "Set hooks.remediation.reset-mode to compose (the compose CLI) or labels (the Docker API).");
    }
    env.put("RESET_MODE", mode);
    env.put("COMPOSE_FILE_PATH", p.getComposeFile().toString());
    env.put("COMPOSE_COMMAND", p.getComposeCommand());
    env.put("RESET_ORDER", String.join(",", p.getResetOrder()));
    env.put("WEBHOOK_URL_CRITICAL", alertUrl("hooks.remediation.alerts.critical-url", p.getAlerts().getCriticalUrl()));
    env.put("WEBHOOK_URL_FINAL", alertUrl("hooks.remediation.alerts.final-url", p.getAlerts().getFinalUrl()));
    put(env, "WEBHOOK_SECRET", p.getToken());
    put(env, "HOSTNAME", p.getHostname());
    env.put("LOG_ARCHIVE_DIR", p.getLogArchiveDir().toString());
    return env;
  }

  private static void put(Map<String, String> env, String name, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      env.put(name, value.strip());
    }
  }

  private static String alertUrl(String property, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new HooksConfigurationException(property, "no Discord webhook URL is set",
          "Set " + property + " to a Discord webhook URL, such as https://discord.com/api/webhooks/ID/TOKEN.");
    }
    URI uri;
    try {
      uri = URI.create(value.strip());
    } catch (IllegalArgumentException e) {
      // the URL holds the webhook's token: never echoed
      throw new HooksConfigurationException(property, "the value is not a URL",
          "Set " + property + " to an http(s) URL, such as https://discord.com/api/webhooks/ID/TOKEN.", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new HooksConfigurationException(property, "the URL is not http(s) (scheme '" + scheme + "')",
          "Set " + property + " to an http(s) URL, such as https://discord.com/api/webhooks/ID/TOKEN.");
    }
    return uri.toString();
  }

  /** A preset failure names its variable; the property of that variable is what the user sets. */
  private static HooksConfigurationException translate(HooksException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("CRITICAL_SERVICE_NAME", "hooks.remediation.critical-service-name");
    properties.put("COMPOSE_FILE_PATH", "hooks.remediation.compose-file");
    properties.put("WEBHOOK_SECRET", "hooks.remediation.token");
    properties.put("COMPOSE_COMMAND", "hooks.remediation.compose-command");
    for (Map.Entry<String, String> v : properties.entrySet()) {
      if (m.contains(v.getKey())) {
        return new HooksConfigurationException(v.getValue(), m.replace(v.getKey(), v.getValue()),
            "Set " + v.getValue() + (v.getKey().equals("COMPOSE_FILE_PATH") ? " to the stack's compose file, or set hooks.remediation.reset-mode=labels." : "."), e);
      }
    }
    return new HooksConfigurationException("hooks.remediation", m, "Correct the hooks.remediation properties.", e);
  }
}
