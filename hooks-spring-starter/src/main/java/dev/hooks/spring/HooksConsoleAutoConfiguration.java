package dev.hooks.spring;

import dev.hooks.Hooks;
import dev.hooks.console.HooksConsoleServlet;
import dev.hooks.servlet.admin.AdminGuard;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
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
 * hooks-console from {@code hooks.console.*}: {@link HooksConsoleServlet} at
 * {@code hooks.console.path}, in the servlet context of the admin API it calls, with the admin
 * tokens and guard of {@code hooks.admin.*}; its live feed listens to {@code Hooks}' ingress
 * until the application stops.
 */
@AutoConfiguration(after = HooksAdminAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HooksConsoleServlet.class, ServletRegistrationBean.class})
@ConditionalOnProperty(prefix = "hooks.console", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(HooksConsoleProperties.class)
public class HooksConsoleAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "hooksConsoleServletRegistration")
  @ConditionalOnBean(name = "hooksAdminServletRegistration")
  public ServletRegistrationBean<HooksConsoleServlet> hooksConsoleServletRegistration(Hooks hooks, HooksAdminProperties admin,
      HooksConsoleProperties console, AdminGuard guard) {
    String path = console.getPath() == null ? "" : console.getPath().strip();
    String adminPath = admin.getPath().strip().replaceAll("/+$", "");
    if (!path.matches("/[A-Za-z0-9-]{1,64}") || path.equals(adminPath)) {
      throw new HooksConfigurationException("hooks.console.path", "'" + console.getPath() + "' is not one path segment of its own",
          "Set hooks.console.path to one segment such as /console, apart from hooks.admin.path and hooks.servlet.path.");
    }
    if (!adminPath.equals("/admin")) {
      throw new HooksConfigurationException("hooks.admin.path", "the console calls the admin API at /admin, not at " + adminPath,
          "Leave hooks.admin.path at /admin while hooks.console.enabled is true.");
    }
    if (console.getSessionMinutes() < 1) {
      throw new HooksConfigurationException("hooks.console.session-minutes", "must be at least 1, not " + console.getSessionMinutes(),
          "Set hooks.console.session-minutes to 1 or more (default 30).");
    }
    HooksConsoleServlet servlet = HooksConsoleServlet.builder()
        .tokens(HooksAdminAutoConfiguration.tokens(admin))
        .guard(guard)
        .journal(hooks.journal())
        .sessions(Duration.ofMinutes(console.getSessionMinutes()), 100)
        .build();
    ServletRegistrationBean<HooksConsoleServlet> bean = new ServletRegistrationBean<>(servlet, path + "/*");
    bean.setName("hooksConsoleServlet");
    bean.setAsyncSupported(true);
    return bean;
  }

  /** The console's live feed: an ingress listener from start until the application stops. */
  @Bean
  @ConditionalOnBean(name = "hooksConsoleServletRegistration")
  public ConsoleFeedRegistration hooksConsoleFeed(Hooks hooks, ServletRegistrationBean<HooksConsoleServlet> hooksConsoleServletRegistration) {
    return new ConsoleFeedRegistration(hooks, hooksConsoleServletRegistration.getServlet());
  }

  /** Registers the console's feed with ingress; on close removes it and ends the open streams. */
  public static final class ConsoleFeedRegistration implements DisposableBean {
    private final AutoCloseable listening;
    private final HooksConsoleServlet console;

    ConsoleFeedRegistration(Hooks hooks, HooksConsoleServlet console) {
      this.console = console;
      this.listening = hooks.ingress().addListener(console.feed());
    }

    @Override
    public void destroy() throws Exception {
      listening.close();
      console.feed().close();
    }
  }
}
