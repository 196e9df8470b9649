package dev.hooks.spring;

import dev.hooks.Hooks;
import dev.hooks.endpoints.EncryptionKeyException;
import dev.hooks.endpoints.EndpointStore;
import dev.hooks.endpoints.SecretCipher;
import dev.hooks.endpoints.hub.NotificationHub;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.outbox.NotificationOutbox;
import dev.hooks.servlet.admin.AdminGuard;
import dev.hooks.servlet.admin.HooksAdminServlet;
import dev.hooks.spring.HooksProperties.Target;
import dev.hooks.state.StateStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The notification hub's admin API from {@code hooks.admin.*}, as hooks-server's {@code admin:}
 * section: one {@link EndpointStore} over the application's state store with every secret sealed
 * by {@code hooks.admin.encryption-key}, a {@link NotificationHub} whose endpoints are served by
 * the starter's {@code HooksServlet} and notify the {@code hooks.notify.targets}, and
 * {@link HooksAdminServlet} mounted at {@code hooks.admin.path} behind the admin tokens, the
 * trusted ranges and the wrong-token throttle.
 */
@AutoConfiguration(after = {HooksAutoConfiguration.class, HooksNotifyAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({NotificationHub.class, HooksAdminServlet.class, ServletRegistrationBean.class})
@ConditionalOnBean({Hooks.class, NotifierRegistry.class})
@ConditionalOnProperty(prefix = "hooks.admin", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(HooksAdminProperties.class)
public class HooksAdminAutoConfiguration {
  private static final int MIN_TOKEN = 16;

  /** The registry of endpoints created at run time, sealed with {@code hooks.admin.encryption-key}. */
  @Bean
  @ConditionalOnMissingBean
  public EndpointStore hooksEndpointStore(StateStore state, HooksAdminProperties admin) {
    String key = admin.getEncryptionKey();
    if (key == null || key.isBlank()) {
      throw new HooksConfigurationException("hooks.admin.encryption-key", "the admin API has no key to seal endpoint secrets with",
          "Set hooks.admin.encryption-key to ${HOOKS_ENCRYPTION_KEY} and export 32 random bytes in base64 (openssl rand -base64 32);"
              + " keep it, the stored secrets open only with it.");
    }
    try {
      SecretCipher cipher = SecretCipher.of("hooks.admin.encryption-key", key.strip(), admin.getPreviousEncryptionKeys());
      EndpointStore store = EndpointStore.builder(state).cipher(cipher).build();
      store.migrate(NotificationHub.LEGACY_PREFIX, EndpointStore.HUB, cipher);
      return store;
    } catch (EncryptionKeyException e) {
      throw new HooksConfigurationException("hooks.admin.encryption-key", e.getMessage(),
          "Set hooks.admin.encryption-key to the key the endpoints were stored with, or list that key under"
              + " hooks.admin.previous-encryption-keys to seal them again with the new one.");
    }
  }

  /** The hub: stored endpoints registered in {@code Hooks} before it starts taking requests. */
  @Bean
  @ConditionalOnMissingBean
  public NotificationHub hooksNotificationHub(Hooks hooks, EndpointStore store, NotificationOutbox outbox, NotifierRegistry notifiers,
      HooksProperties properties, HooksAdminProperties admin) {
    Map<String, Target> targets = properties.getNotify().getTargets();
    List<String> names = new ArrayList<>(targets.keySet());
    if (names.isEmpty()) {
      throw new HooksConfigurationException("hooks.notify.targets", "the admin API's endpoints have no notify target",
          "Declare a target under hooks.notify.targets, such as discord.url=${DISCORD_WEBHOOK_URL}.");
    }
    String target = admin.getDefaultTarget() != null ? admin.getDefaultTarget().strip() : names.get(0);
    if (!names.contains(target)) {
      throw new HooksConfigurationException("hooks.admin.default-target", "'" + target + "' is not a declared target (declared: " + names + ")",
          "Set hooks.admin.default-target to one of hooks.notify.targets, or leave it out for the first.");
    }
    // A webhook URL given as an endpoint's target may reach only the scheme, host and port of a configured target.
    OutboundPolicy.Builder outbound = OutboundPolicy.builder();
    for (Target t : targets.values()) {
      if (t.getUrl() != null && !t.getUrl().isBlank()) {
        outbound.allowTarget(URI.create(t.getUrl().strip()));
      }
      if (t.isAllowPlainHttp()) {
        outbound.allowPlainHttp(true);
      }
    }
    NotificationHub.Builder hub = NotificationHub.builder(hooks, store, outbox, notifiers).defaultTarget(target).outbound(outbound.build());
    if (admin.getPublicUrl() != null && !admin.getPublicUrl().isBlank()) {
      try {
        hub.publicUrl(new URI(admin.getPublicUrl().strip()));
      } catch (URISyntaxException e) {
        throw new HooksConfigurationException("hooks.admin.public-url", "'" + admin.getPublicUrl() + "' is not a URL",
            "Set hooks.admin.public-url to the URL senders reach this application at, such as https://hooks.example.com.");
      }
    }
    return hub.build().start();
  }

  /** The trusted ranges and the one wrong-token throttle of every admin route (the API and the console). */
  @Bean
  @ConditionalOnMissingBean
  public AdminGuard hooksAdminGuard(HooksAdminProperties admin) {
    return guard(admin);
  }

  @Bean
  @ConditionalOnMissingBean(name = "hooksAdminServletRegistration")
  public ServletRegistrationBean<HooksAdminServlet> hooksAdminServletRegistration(NotificationHub hub, Hooks hooks,
      HooksAdminProperties admin, AdminGuard guard) {
    String path = admin.getPath().strip().replaceAll("/+$", "");
    if (!path.startsWith("/") || path.contains("*") || path.isEmpty()) {
      throw new HooksConfigurationException("hooks.admin.path", "'" + admin.getPath() + "' is not a path prefix",
          "Set hooks.admin.path to a prefix such as /admin (routes are then /admin/endpoints...).");
    }
    HooksAdminServlet servlet = new HooksAdminServlet(hub, hooks.journal(), Clock.systemUTC(), tokens(admin), guard);
    ServletRegistrationBean<HooksAdminServlet> bean = new ServletRegistrationBean<>(servlet, path + "/*");
    bean.setName("hooksAdminServlet");
    return bean;
  }

  static Map<String, String> tokens(HooksAdminProperties admin) {
    Map<String, String> tokens = new LinkedHashMap<>();
    if (admin.getToken() != null || admin.getTokens().isEmpty()) {
      if (admin.getToken() == null || admin.getToken().strip().length() < MIN_TOKEN) {
        throw new HooksConfigurationException("hooks.admin.token", "the admin token is missing or shorter than " + MIN_TOKEN + " characters",
            "Set hooks.admin.token to ${HOOKS_ADMIN_TOKEN} and export a long random value (openssl rand -hex 32).");
      }
      tokens.put(HooksAdminServlet.DEFAULT_IDENTITY, admin.getToken().strip());
    }
    for (Map.Entry<String, String> t : admin.getTokens().entrySet()) {
      String value = t.getValue() == null ? "" : t.getValue().strip();
      if (value.length() < MIN_TOKEN || !t.getKey().matches("[A-Za-z0-9._-]{1,64}") || tokens.containsKey(t.getKey())
          || tokens.containsValue(value)) {
        throw new HooksConfigurationException("hooks.admin.tokens." + t.getKey(), "the token is too short, shared, or its identity is not allowed",
            "Give each identity (letters, digits, '.', '_' or '-', not 'admin') its own token of at least " + MIN_TOKEN + " characters.");
      }
      tokens.put(t.getKey(), value);
    }
    return tokens;
  }

  static AdminGuard guard(HooksAdminProperties admin) {
    AdminGuard.Builder guard = AdminGuard.builder();
    List<String> cidrs = admin.getTrustedCidrs();
    for (int i = 0; i < cidrs.size(); i++) {
      try {
        guard.trustedCidrs(List.of(cidrs.get(i)));
      } catch (IllegalArgumentException e) {
        throw new HooksConfigurationException("hooks.admin.trusted-cidrs[" + i + "]", "'" + cidrs.get(i) + "' is not an address range",
            "Write each range like 10.0.0.0/8 or ::1.");
      }
    }
    if (admin.getMaxFailuresPerMinute() < 1) {
      throw new HooksConfigurationException("hooks.admin.max-failures-per-minute", "must be at least 1, not " + admin.getMaxFailuresPerMinute(),
          "Set hooks.admin.max-failures-per-minute to 1 or more (default 10).");
    }
    return guard.failures(admin.getMaxFailuresPerMinute(), Duration.ofMinutes(1)).build();
  }
}
