package dev.hooks.spring;

import dev.hooks.Hooks;
import dev.hooks.servlet.HooksServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Mounts {@link HooksServlet} in the application's servlet container at
 * {@code hooks.servlet.path} (default {@code /hooks}): {@code POST /hooks/{endpoint}}. Health and
 * status are Actuator's ({@code /actuator/health}, {@code /actuator/hooks}).
 */
@AutoConfiguration(after = HooksAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HooksServlet.class, ServletRegistrationBean.class})
@ConditionalOnBean(Hooks.class)
@ConditionalOnProperty(prefix = "hooks.servlet", name = "enabled", matchIfMissing = true)
public class HooksServletAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "hooksServletRegistration")
  public ServletRegistrationBean<HooksServlet> hooksServletRegistration(Hooks hooks, HooksProperties properties) {
    String path = properties.getServlet().getPath().strip().replaceAll("/+$", "");
    if (!path.startsWith("/") || path.contains("*")) {
      throw new HooksConfigurationException("hooks.servlet.path", "'" + path + "' is not a path prefix",
          "Set hooks.servlet.path to a prefix such as /hooks (endpoints are then POST /hooks/{id}).");
    }
    ServletRegistrationBean<HooksServlet> bean = new ServletRegistrationBean<>(new PrefixedHooksServlet(hooks), path + "/*");
    bean.setName("hooksServlet");
    bean.setLoadOnStartup(1);
    return bean;
  }

  /**
   * HooksServlet under a prefix of the application's choosing: the path after the prefix is
   * presented as {@code /hooks/{endpoint}}, the route HooksServlet serves.
   */
  static final class PrefixedHooksServlet extends HooksServlet {
    private static final long serialVersionUID = 1L;

    PrefixedHooksServlet(Hooks hooks) {
      super(hooks);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String info = req.getPathInfo();
      super.service(new HttpServletRequestWrapper(req) {
        @Override
        public String getPathInfo() {
          return "/hooks" + (info == null ? "" : info);
        }
      }, resp);
    }
  }
}
