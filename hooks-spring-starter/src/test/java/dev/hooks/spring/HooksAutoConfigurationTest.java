package dev.hooks.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.Hooks;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.notify.NotifyHandler;
import dev.hooks.servlet.HooksServlet;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/** Every condition and override of the auto-configuration, on real stores in a temporary directory. */
class HooksAutoConfigurationTest {
  private static final AutoConfigurations ALL = AutoConfigurations.of(HooksNotifyAutoConfiguration.class, HooksAutoConfiguration.class,
      HooksServletAutoConfiguration.class, HooksActuatorAutoConfiguration.class);

  @TempDir
  Path data;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner().withConfiguration(ALL)
        .withPropertyValues("hooks.journal.data-dir=" + data, "hooks.endpoints.github.provider=github",
            "hooks.endpoints.github.secret=It's a Secret to Everybody");
  }

  @Test
  void withNoDataSourceTheJournalIsEmbeddedInTheDataDirectory() {
    runner().run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Hooks.class);
      assertThat(ctx.getBean(HooksStorage.class).kind()).isEqualTo("embedded");
      assertThat(data.resolve("hooks.mv.db")).exists();
      assertThat(ctx.getBean(Hooks.class).endpoints().find("github")).isPresent();
    });
  }

  @Test
  void withADataSourceTheJournalIsOnIt() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + data.resolve("app") + ";DB_CLOSE_DELAY=-1");
    runner().withBean(DataSource.class, () -> ds).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(HooksStorage.class).kind()).isEqualTo("jdbc");
      assertThat(data.resolve("app.mv.db")).exists();
      assertThat(data.resolve("hooks.mv.db")).doesNotExist();
    });
  }

  @Test
  void aJournalOfTheApplicationReplacesOurs() {
    InMemoryEventJournal mine = new InMemoryEventJournal();
    runner().withBean("myJournal", EventJournal.class, () -> mine).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(Hooks.class).journal()).isSameAs(mine);
    });
  }

  @Test
  void aHooksBeanOfTheApplicationReplacesOursAndTheRestBacksOff() {
    runner().withBean("myHooks", Hooks.class, () -> Hooks.builder().journal(new InMemoryEventJournal()).build()).run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Hooks.class);
      assertThat(ctx.getBean(Hooks.class).endpoints().find("github")).isEmpty();
    });
  }

  @Test
  void hooksEnabledFalseConfiguresNothing() {
    runner().withPropertyValues("hooks.enabled=false").run(ctx -> {
      assertThat(ctx).hasNotFailed().doesNotHaveBean(Hooks.class).doesNotHaveBean(NotifyHandler.class).doesNotHaveBean(HooksStorage.class);
    });
  }

  @Test
  void withoutHooksNotifyOnTheClassPathThereIsNoNotifyHandler() {
    runner().withClassLoader(new FilteredClassLoader(NotifyHandler.class)).run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Hooks.class).doesNotHaveBean(NotifyHandler.class);
    });
  }

  @Test
  void aRouteReachesAnEventHandlerBeanByName() {
    EventHandler mine = e -> { };
    runner().withBean("audit", EventHandler.class, () -> mine)
        .withPropertyValues("hooks.routes[0].name=everything", "hooks.routes[0].handlers[0]=audit").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          var routes = ctx.getBean(Hooks.class).router().routes();
          assertThat(routes).extracting(r -> r.name()).containsExactly("everything");
          assertThat(routes.get(0).handlers()).containsExactly(mine);
        });
  }

  @Test
  void anEmptySecretFailsNamingThePropertyAndTheFix() {
    runner().withPropertyValues("hooks.endpoints.github.secret=").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).contains("hooks.endpoints.github.secret");
      assertThat(a.getAction()).contains("${SOME_ENV_VAR}");
    });
  }

  @Test
  void anUnknownProviderFailsListingTheProviders() {
    runner().withPropertyValues("hooks.endpoints.github.provider=githab").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).contains("hooks.endpoints.github.provider");
      assertThat(a.getAction()).contains("gitlab").contains("github");
    });
  }

  @Test
  void aCatalogProviderWithoutASchemeIsVerifiedAsThatProviderSigns() {
    // github-actions is a name of the ProviderCatalog only: GitHub's HMAC over a workflow_run
    // delivery. The vector is GitHub's documented one
    // (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
    runner().withPropertyValues("hooks.endpoints.ci.provider=github-actions", "hooks.endpoints.ci.secret=It's a Secret to Everybody")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          dev.hooks.ingress.Endpoint ci = ctx.getBean(Hooks.class).endpoints().find("ci").orElseThrow();
          assertThat(ci.provider()).isEqualTo("github-actions");
          assertThat(ci.verifier().verify(delivery("X-Hub-Signature-256",
              "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "Hello, World!")).isOk()).isTrue();
          assertThat(ci.verifier().verify(delivery("X-Hub-Signature-256",
              "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "Hello, World?")).reason())
              .isEqualTo(dev.hooks.verify.Verification.Reason.MISMATCH);
        });
  }

  @Test
  void autohealTakesItsTokenFromXWebhookTokenWhichIsKeptOutOfTheJournal() {
    runner().withPropertyValues("hooks.endpoints.heal.provider=autoheal", "hooks.endpoints.heal.secret=s3cret-token-value")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          dev.hooks.ingress.Endpoint heal = ctx.getBean(Hooks.class).endpoints().find("heal").orElseThrow();
          assertThat(heal.verifier().verify(delivery("X-Webhook-Token", "s3cret-token-value", "{}")).isOk()).isTrue();
          assertThat(heal.verifier().verify(delivery("Authorization", "Bearer s3cret-token-value", "{}")).isOk()).isFalse();
          assertThat(heal.isSecretHeader("X-Webhook-Token")).isTrue();
        });
  }

  @Test
  void aSenderThatSignsNothingDefaultsToABearerTokenAndWithoutASecretFailsNamingIt() {
    runner().withPropertyValues("hooks.endpoints.kuma.provider=uptime-kuma", "hooks.endpoints.kuma.secret=s3cret-token-value")
        .run(ctx -> {
          dev.hooks.ingress.Endpoint kuma = ctx.getBean(Hooks.class).endpoints().find("kuma").orElseThrow();
          assertThat(kuma.verifier().verify(delivery("Authorization", "Bearer s3cret-token-value", "{}")).isOk()).isTrue();
          assertThat(kuma.verifier().verify(delivery("Authorization", "Bearer other", "{}")).isOk()).isFalse();
        });
    runner().withPropertyValues("hooks.endpoints.kuma.provider=uptime-kuma").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).contains("hooks.endpoints.kuma.secret").contains("bearer");
      assertThat(a.getAction()).contains("scheme=none");
    });
  }

  @Test
  void anInvalidJsonPathFailsNamingTheRoute() {
    runner().withBean("audit", EventHandler.class, () -> e -> { })
        .withPropertyValues("hooks.routes[0].when[0]=$.[[[", "hooks.routes[0].handlers[0]=audit").run(ctx -> {
          FailureAnalysis a = StartupFailures.analysis(ctx);
          assertThat(a.getDescription()).contains("hooks.routes[0].when");
          assertThat(a.getAction()).contains("route-1");
        });
  }

  @Test
  void aNotifyTargetWithNoUrlFailsNamingIt() {
    runner().withPropertyValues("hooks.notify.targets.discord.type=discord").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).contains("hooks.notify.targets.discord.url");
      assertThat(a.getAction()).contains("DISCORD_WEBHOOK_URL");
    });
  }

  @Test
  void anUnreachableDatabaseFailsNamingTheUrl() {
    runner().withPropertyValues("hooks.journal.type=jdbc", "hooks.journal.url=jdbc:h2:tcp://127.0.0.1:1/nowhere").run(ctx -> {
      FailureAnalysis a = StartupFailures.analysis(ctx);
      assertThat(a.getDescription()).contains("hooks.journal.url");
      assertThat(a.getAction()).contains("reachable");
    });
  }

  @Test
  void theServletIsMountedAtTheConfiguredPrefix() {
    new WebApplicationContextRunner().withConfiguration(ALL)
        .withPropertyValues("hooks.journal.type=memory", "hooks.servlet.path=/webhooks").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          @SuppressWarnings("unchecked")
          ServletRegistrationBean<HooksServlet> reg = ctx.getBean("hooksServletRegistration", ServletRegistrationBean.class);
          assertThat(reg.getUrlMappings()).containsExactly("/webhooks/*");
        });
  }

  @Test
  void theMetadataDescribesEveryProperty() throws Exception {
    Set<String> described = new TreeSet<>();
    // every jar of Spring Boot has a file of this name; the starter's is the one with hooks.*
    for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
      JsonNode metadata;
      try (InputStream in = url.openStream()) {
        metadata = new ObjectMapper().readTree(in);
      }
      metadata.path("properties").forEach(p -> {
        String name = p.path("name").asText();
        if (name.startsWith("hooks.")) {
          described.add(name);
          assertThat(p.path("description").asText()).as(name).isNotBlank();
        }
      });
    }
    Set<String> expected = new TreeSet<>();
    walk("hooks", HooksProperties.class, expected);
    assertThat(described).containsAll(expected);
    assertThat(expected).contains("hooks.journal.data-dir", "hooks.servlet.path", "hooks.notify.targets", "hooks.endpoints");
  }

  private static void walk(String prefix, Class<?> type, Set<String> out) throws Exception {
    for (PropertyDescriptor p : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
      String name = prefix + "." + kebab(p.getName());
      Class<?> t = p.getPropertyType();
      if (t.getEnclosingClass() == HooksProperties.class && p.getWriteMethod() == null) {
        walk(name, t, out);
      } else if (p.getWriteMethod() != null || Map.class.isAssignableFrom(t) || Collection.class.isAssignableFrom(t)) {
        out.add(name);
      }
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static dev.hooks.event.Delivery delivery(String header, String value, String body) {
    return dev.hooks.event.Delivery.builder("e").method("POST").url("https://hooks.example.com/hooks/e")
        .headers(dev.hooks.event.Headers.of(Map.of(header, value, "Content-Type", "application/json")))
        .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
  }

}
