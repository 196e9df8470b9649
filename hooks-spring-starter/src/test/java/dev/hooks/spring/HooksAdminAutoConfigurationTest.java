package dev.hooks.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.Hooks;
import dev.hooks.endpoints.EndpointStore;
import dev.hooks.endpoints.hub.NotificationHub;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/** The conditions, the run-time endpoints and the start-up failures of the admin API, on real embedded stores. */
class HooksAdminAutoConfigurationTest {
  private static final AutoConfigurations ALL = AutoConfigurations.of(HooksNotifyAutoConfiguration.class, HooksAutoConfiguration.class,
      HooksServletAutoConfiguration.class, HooksAdminAutoConfiguration.class);
  private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  @TempDir
  Path data;

  private WebApplicationContextRunner runner() {
    return new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues("hooks.journal.data-dir=" + data,
        "hooks.notify.targets.discord.url=https://discord.com/api/webhooks/1/x",
        "hooks.admin.enabled=true", "hooks.admin.token=admin-token-0123456789", "hooks.admin.encryption-key=" + KEY);
  }

  @Test
  void theAdminApiIsOffUnlessEnabled() {
    new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues("hooks.journal.data-dir=" + data,
        "hooks.notify.targets.discord.url=https://discord.com/api/webhooks/1/x").run(ctx -> {
          assertThat(ctx).hasNotFailed().hasSingleBean(Hooks.class);
          assertThat(ctx).doesNotHaveBean(NotificationHub.class).doesNotHaveBean("hooksAdminServletRegistration");
        });
  }

  @Test
  void withoutHooksEndpointsHubOnTheClassPathNothingOfItIsWired() {
    runner().withClassLoader(new FilteredClassLoader(NotificationHub.class)).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx).doesNotHaveBean(EndpointStore.class).doesNotHaveBean("hooksAdminServletRegistration");
    });
  }

  @Test
  void enabledItMountsTheApiAndAnEndpointCreatedSurvivesARestartSealed() {
    String[] created = new String[1];
    runner().withPropertyValues("hooks.admin.path=/ops").run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean("hooksAdminServletRegistration", ServletRegistrationBean.class).getUrlMappings()).containsExactly("/ops/*");
      Map<String, Object> endpoint = ctx.getBean(NotificationHub.class).create("github", Map.of());
      created[0] = (String) endpoint.get("id");
      assertThat(endpoint.get("secret")).isInstanceOf(String.class);
      assertThat(ctx.getBean(Hooks.class).endpoints().find(created[0])).isPresent();
    });
    runner().run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(Hooks.class).endpoints().find(created[0])).as("restored at start").isPresent();
    });
    runner().withPropertyValues("hooks.admin.encryption-key=" + "A".repeat(43) + "=").run(ctx ->
        assertThat(StartupFailures.analysis(ctx).getDescription()).contains("hooks.admin.encryption-key"));
  }

  @Test
  void anApplicationHubReplacesOurs() {
    runner().withBean("myStore", EndpointStore.class, () -> EndpointStore.builder(new dev.hooks.state.InMemoryStateStore()).build())
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx).getBeans(EndpointStore.class).containsOnlyKeys("myStore");
        });
  }

  @Test
  void badPropertiesFailWithTheKeyAndTheFix() {
    runner().withPropertyValues("hooks.admin.token=tiny-t0ken").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).contains("hooks.admin.token").doesNotContain("tiny-t0ken");
      assertThat(a.getAction()).contains("openssl rand -hex 32");
    });
    runner().withPropertyValues("hooks.admin.encryption-key=").run(ctx ->
        assertThat(StartupFailures.analysis(ctx).getAction()).contains("openssl rand -base64 32"));
    runner().withPropertyValues("hooks.admin.trusted-cidrs[0]=10.0.0.0/99").run(ctx ->
        assertThat(StartupFailures.analysis(ctx).getDescription()).contains("hooks.admin.trusted-cidrs[0]"));
    runner().withPropertyValues("hooks.admin.default-target=slack").run(ctx ->
        assertThat(StartupFailures.analysis(ctx).getDescription()).contains("hooks.admin.default-target"));
  }
}
