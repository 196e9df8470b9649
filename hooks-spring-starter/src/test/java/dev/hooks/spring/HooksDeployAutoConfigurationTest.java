package dev.hooks.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.Hooks;
import dev.hooks.deploy.DeployWebhooks;
import dev.hooks.deploy.Deployer;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/** The conditions, overrides and start-up failures of push to deploy, on the machine's Docker Engine and real stores. */
class HooksDeployAutoConfigurationTest {
  private static final AutoConfigurations ALL = AutoConfigurations.of(HooksNotifyAutoConfiguration.class, HooksAutoConfiguration.class,
      HooksServletAutoConfiguration.class, HooksDeployAutoConfiguration.class, HooksActuatorAutoConfiguration.class);

  @TempDir
  Path data;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues("hooks.journal.data-dir=" + data,
        "hooks.endpoints.github.provider=github", "hooks.endpoints.github.secret=It's a Secret to Everybody",
        "hooks.routes[0].name=pushes", "hooks.routes[0].type=push", "hooks.routes[0].handlers=deploy",
        "hooks.deploy.enabled=true", "hooks.deploy.services.web.repository=file://" + data.resolve("repo"),
        "hooks.deploy.services.web.network=starter-ops-net", "hooks.deploy.services.web.endpoints=github",
        "hooks.deploy.services.web.gate.http-path=/health");
  }

  @Test
  void deployIsOffUnlessEnabled() {
    new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues("hooks.journal.data-dir=" + data).run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Hooks.class);
      assertThat(ctx).doesNotHaveBean(Deployer.class).doesNotHaveBean(HooksDeployAutoConfiguration.HANDLER);
    });
  }

  @Test
  void withoutHooksDeployOnTheClassPathNothingOfItIsWired() {
    runner().withClassLoader(new FilteredClassLoader(Deployer.class)).withPropertyValues("hooks.routes[0].handlers=notify").run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Hooks.class);
      assertThat(ctx).doesNotHaveBean(HooksDeployProperties.class).doesNotHaveBean(HooksDeployAutoConfiguration.HANDLER);
    });
  }

  @Test
  void enabledItWiresTheDeployerAndARouteReachesItsHandlerByName() {
    runner().run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Deployer.class);
      Deployer deployer = ctx.getBean(Deployer.class);
      assertThat(deployer.services()).containsExactly("web");
      assertThat(deployer.service("web").orElseThrow().endpoints()).containsExactlyInAnyOrder("github", "deploy-web-github", "deploy-web-gitlab", "deploy-web-bitbucket", "deploy-web-gitea", "deploy-web-forgejo");
      assertThat(ctx.getBean(HooksDeployAutoConfiguration.HANDLER, EventHandler.class).name()).isEqualTo(deployer.handler().name());
      assertThat(deployer.history("web")).isEmpty();
    });
  }

  @Test
  void aDeployHandlerOfTheApplicationReplacesOurs() {
    EventHandler mine = new EventHandler() {
      @Override
      public void handle(WebhookEvent event) {
      }

      @Override
      public String name() {
        return "my-deploy";
      }
    };
    runner().withBean(HooksDeployAutoConfiguration.HANDLER, EventHandler.class, () -> mine).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(HooksDeployAutoConfiguration.HANDLER)).isSameAs(mine);
    });
  }

  @Test
  void aServiceWithoutARepositoryFailsNamingTheProperty() {
    runner().withPropertyValues("hooks.deploy.services.web.repository=").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).isEqualTo("The property 'hooks.deploy.services.web.repository' cannot be used: service 'web' has no repository");
      assertThat(a.getAction()).startsWith("Set hooks.deploy.services.web.repository to a git URL or path");
    });
  }

  @Test
  void anUnknownTargetFailsNamingThePropertyAndTheTwoTargets() {
    runner().withPropertyValues("hooks.deploy.services.web.target=kubernetes").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).isEqualTo("The property 'hooks.deploy.services.web.target' cannot be used: 'kubernetes' is no deployment target");
      assertThat(a.getAction()).startsWith("Set hooks.deploy.services.web.target to containers (the default) or swarm");
    });
  }

  @Test
  void anEndpointThatIsNotDeclaredFailsNamingTheProperty() {
    runner().withPropertyValues("hooks.deploy.services.web.endpoints=gitlab").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).startsWith("The property 'hooks.deploy.services.web.endpoints' cannot be used: names 'gitlab'");
    });
  }

  @Test
  void withTheAdminApiTheDeployRoutesAreMountedAndAGeneratedWebhookIsServedAndRouted() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HooksNotifyAutoConfiguration.class, HooksAutoConfiguration.class,
            HooksServletAutoConfiguration.class, HooksAdminAutoConfiguration.class, HooksDeployAutoConfiguration.class))
        .withPropertyValues("hooks.journal.data-dir=" + data,
            "hooks.endpoints.github.provider=github", "hooks.endpoints.github.secret=It's a Secret to Everybody",
            "hooks.notify.targets.discord.url=https://discord.com/api/webhooks/1/x",
            "hooks.admin.enabled=true", "hooks.admin.token=admin-token-0123456789",
            "hooks.admin.encryption-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "hooks.deploy.enabled=true", "hooks.deploy.services.web.repository=file://" + data.resolve("repo"),
            "hooks.deploy.services.web.network=starter-ops-net", "hooks.deploy.services.web.endpoints=github")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBean("hooksDeployAdminServletRegistration", ServletRegistrationBean.class).getUrlMappings())
              .containsExactly("/admin/deploy/*");
          String secret = ctx.getBean(DeployWebhooks.class).secret("test", "web", "github");
          assertThat(secret).hasSize(64);
          Hooks hooks = ctx.getBean(Hooks.class);
          assertThat(hooks.endpoints().find("deploy-web-github")).as("the generated webhook is served").isPresent();
          assertThat(ctx.getBean(DeployWebhooks.class).secret("test", "web", "github")).isEqualTo(secret);
          assertThat(ctx.getBean(Deployer.class).service("web").orElseThrow().endpoints()).contains("github", "deploy-web-github");
        });
  }

  @Test
  void withoutTheAdminApiNoDeployRoutesAreMounted() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HooksNotifyAutoConfiguration.class, HooksAutoConfiguration.class,
            HooksServletAutoConfiguration.class, HooksAdminAutoConfiguration.class, HooksDeployAutoConfiguration.class))
        .withPropertyValues("hooks.journal.data-dir=" + data, "hooks.deploy.enabled=true",
            "hooks.deploy.services.web.repository=file://" + data.resolve("repo"), "hooks.deploy.services.web.network=starter-ops-net")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed().hasSingleBean(Deployer.class);
          assertThat(ctx).doesNotHaveBean("hooksDeployAdminServletRegistration").doesNotHaveBean(DeployWebhooks.class);
        });
  }
}
