package dev.hooks.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.hooks.Hooks;
import dev.hooks.remediation.AutohealPreset;
import dev.hooks.remediation.DockerEventsSource;
import dev.hooks.remediation.FailureTracker;
import dev.hooks.remediation.RemediationEventHandler;
import dev.hooks.remediation.RemediationPolicy;
import dev.hooks.remediation.RemediationService;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/** The conditions, overrides and start-up failures of remediation, on the machine's Docker Engine and real stores. */
class HooksRemediationAutoConfigurationTest {
  private static final AutoConfigurations ALL = AutoConfigurations.of(HooksNotifyAutoConfiguration.class, HooksAutoConfiguration.class,
      HooksServletAutoConfiguration.class, HooksRemediationAutoConfiguration.class, HooksActuatorAutoConfiguration.class);

  @TempDir
  Path data;

  private String[] enabled() {
    return new String[] {"hooks.journal.data-dir=" + data,
        "hooks.endpoints.autoheal-event.provider=autoheal", "hooks.endpoints.autoheal-event.secret=starter-ops-token",
        "hooks.routes[0].name=heal", "hooks.routes[0].handlers=remediation",
        "hooks.remediation.enabled=true", "hooks.remediation.critical-service-name=starter-ops-app",
        "hooks.remediation.reset-mode=labels", "hooks.remediation.token=starter-ops-token", "hooks.remediation.threshold=2",
        "hooks.remediation.cooldown=30s", "hooks.remediation.log-archive-dir=" + data.resolve("archives"),
        "hooks.remediation.alerts.critical-url=http://127.0.0.1:9/critical", "hooks.remediation.alerts.final-url=http://127.0.0.1:9/final"};
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues(enabled());
  }

  @Test
  void remediationIsOffUnlessEnabled() {
    new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues("hooks.journal.data-dir=" + data).run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Hooks.class);
      assertThat(ctx).doesNotHaveBean(RemediationService.class).doesNotHaveBean(DockerClient.class)
          .doesNotHaveBean(RemediationEventHandler.class).doesNotHaveBean(AutohealPreset.class)
          .doesNotHaveBean(HooksHealthContributor.class);
    });
  }

  @Test
  void withoutHooksRemediationOnTheClassPathNothingOfItIsWired() {
    runner().withClassLoader(new FilteredClassLoader(RemediationService.class))
        .withPropertyValues("hooks.routes[0].handlers=notify").run(ctx -> {
          assertThat(ctx).hasNotFailed().hasSingleBean(Hooks.class);
          assertThat(ctx).doesNotHaveBean(DockerClient.class).doesNotHaveBean(HooksRemediationProperties.class);
        });
  }

  @Test
  void enabledItWiresTheLadderOnTheEngineAndARouteReachesTheHandlerByName() {
    runner().run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx).hasSingleBean(DockerClient.class).hasSingleBean(FailureTracker.class).hasSingleBean(RemediationService.class)
          .doesNotHaveBean(DockerEventsSource.class);
      assertThat(ctx.getBean(HooksRemediationAutoConfiguration.HANDLER)).isSameAs(ctx.getBean(RemediationService.class).handler());
      var status = ctx.getBean(RemediationService.class).status();
      assertThat(status.threshold()).isEqualTo(2);
      assertThat(status.cooldown()).isEqualTo(Duration.ofSeconds(30));
      assertThat(status.watched()).isEqualTo("starter-ops-app");
      HooksHealthContributor docker = ctx.getBean("hooksDockerHealthContributor", HooksHealthContributor.class);
      assertThat(docker.name()).isEqualTo("docker");
      assertThat(docker.check().toString()).matches("1\\.\\d+");
    });
  }

  @Test
  void aPolicyOfTheApplicationReplacesOurs() {
    RemediationPolicy mine = RemediationPolicy.builder().threshold(7).cooldown(Duration.ofMinutes(1)).build();
    runner().withBean("myPolicy", RemediationPolicy.class, () -> mine).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(RemediationService.class).status().threshold()).isEqualTo(7);
    });
  }

  @Test
  void aDockerClientOfTheApplicationReplacesOurs() {
    DockerClient mine = dev.hooks.remediation.DockerRemediation.newClient();
    runner().withBean("myDocker", DockerClient.class, () -> mine).run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(DockerClient.class);
      assertThat(ctx.getBean(DockerClient.class)).isSameAs(mine);
      assertThat(ctx).doesNotHaveBean("hooksDockerClient");
    });
  }

  @Test
  void inAServletApplicationTheListenerRoutesAreMountedUnderTheConfiguredPath() {
    new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(enabled())
        .withPropertyValues("hooks.remediation.servlet.path=/heal").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          ServletRegistrationBean<?> bean = ctx.getBean("hooksRemediationServletRegistration", ServletRegistrationBean.class);
          assertThat(bean.getUrlMappings()).containsExactly("/heal/*");
          assertThat(bean.getServletName()).isEqualTo("hooksRemediationServlet");
        });
  }

  @Test
  void aThresholdBelowOneFailsNamingTheProperty() {
    runner().withPropertyValues("hooks.remediation.threshold=0").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).isEqualTo("The property 'hooks.remediation.threshold' cannot be used: the threshold is 0, less than 1");
      assertThat(a.getAction()).contains("Set hooks.remediation.threshold to the failures before the remediation runs, at least 1");
    });
  }

  @Test
  void anAlertUrlThatIsNotHttpFailsNamingThePropertyWithoutEchoingIt() {
    runner().withPropertyValues("hooks.remediation.alerts.final-url=ftp://discord.example/api/webhooks/1/t0ken").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).isEqualTo("The property 'hooks.remediation.alerts.final-url' cannot be used: the URL is not http(s) (scheme 'ftp')");
      assertThat(a.getDescription()).doesNotContain("t0ken");
      assertThat(a.getAction()).startsWith("Set hooks.remediation.alerts.final-url to an http(s) URL");
    });
  }

  @Test
  void aMissingAlertUrlFailsNamingTheProperty() {
    runner().withPropertyValues("hooks.remediation.alerts.critical-url=").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).isEqualTo("The property 'hooks.remediation.alerts.critical-url' cannot be used: no Discord webhook URL is set");
    });
  }

  @Test
  void aMissingServiceNameFailsNamingTheProperty() {
    runner().withPropertyValues("hooks.remediation.critical-service-name=").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).startsWith("The property 'hooks.remediation.critical-service-name' cannot be used:");
      assertThat(a.getAction()).isEqualTo("Set hooks.remediation.critical-service-name.");
    });
  }

}
