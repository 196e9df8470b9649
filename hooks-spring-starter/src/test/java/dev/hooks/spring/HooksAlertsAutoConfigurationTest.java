package dev.hooks.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hooks.Hooks;
import dev.hooks.alerts.AlertRouter;
import dev.hooks.alerts.ConnectWiseServer;
import dev.hooks.alerts.ConnectWiseSink;
import dev.hooks.alerts.IncidentSink;
import dev.hooks.alerts.IncidentStore;
import dev.hooks.alerts.InMemoryIncidentStore;
import dev.hooks.alerts.JdbcIncidentStore;
import dev.hooks.alerts.Maintenance;
import dev.hooks.alerts.SinkException;
import dev.hooks.alerts.Ticket;
import dev.hooks.event.Headers;
import dev.hooks.ingress.InboundRequest;
import dev.hooks.ingress.IngressResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The alert router's auto-configuration in a real context: its conditions, the application's
 * beans replacing ours, deliveries through hooks' ingress into a loopback ConnectWise, and the
 * start-up failures naming the property. The payloads are hooks-alerts' test copies of published
 * deliveries: Alertmanager's from zulip/zulip {@code zerver/webhooks/alertmanager/fixtures/}.
 */
class HooksAlertsAutoConfigurationTest {
  private static final AutoConfigurations ALL = AutoConfigurations.of(HooksNotifyAutoConfiguration.class, HooksAlertsAutoConfiguration.class,
      HooksAutoConfiguration.class);
  private static final String TOKEN = "am-token-0123456789abcdef";

  @TempDir
  Path data;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner().withConfiguration(ALL)
        .withPropertyValues("hooks.journal.type=memory", "hooks.alerts.enabled=true", "hooks.alerts.sinks.mine.type=webhook",
            "hooks.alerts.sinks.mine.url=https://receiver.example.com/incidents", "hooks.alerts.sinks.mine.secret=webhook-secret",
            "hooks.alerts.endpoints[0].id=alertmanager", "hooks.alerts.endpoints[0].token=" + TOKEN,
            "hooks.alerts.endpoints[0].trigger.path=$.status", "hooks.alerts.endpoints[0].trigger.open=firing",
            "hooks.alerts.endpoints[0].trigger.close=resolved",
            "hooks.alerts.endpoints[0].mapping.summary=$.alerts[0].annotations.summary",
            "hooks.alerts.endpoints[0].mapping.description=$.alerts[0].annotations.description");
  }

  @Test
  void withAlertsEnabledTheRouterItsEndpointAndRouteAreThere() {
    runner().run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(AlertRouter.class).hasSingleBean(IncidentStore.class).hasSingleBean(Maintenance.class);
      assertThat(ctx.getBean(IncidentStore.class)).isInstanceOf(InMemoryIncidentStore.class);
      dev.hooks.ingress.Endpoint e = ctx.getBean(Hooks.class).endpoints().find("alertmanager").orElseThrow();
      assertThat(e.provider()).isEqualTo("alerts");
      assertThat(e.isSecretHeader("Authorization")).isTrue();
      assertThat(ctx.getBean(AlertRouter.class).sinks()).containsOnlyKeys("mine");
    });
  }

  @Test
  void alertsDisabledLeaveEveryAlertsBeanOut() {
    runner().withPropertyValues("hooks.alerts.enabled=false").run(ctx -> {
      assertThat(ctx).hasNotFailed().doesNotHaveBean(AlertRouter.class).doesNotHaveBean(IncidentStore.class)
          .doesNotHaveBean(HooksAlertsAutoConfiguration.AlertHooksEndpoints.class);
      assertThat(ctx.getBean(Hooks.class).endpoints().find("alertmanager")).isEmpty();
    });
  }

  @Test
  void alertsAreOffUnlessEnabled() {
    new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues("hooks.journal.type=memory").run(ctx ->
        assertThat(ctx).hasNotFailed().hasSingleBean(Hooks.class).doesNotHaveBean(AlertRouter.class).doesNotHaveBean(IncidentStore.class));
  }

  @Test
  void withoutHooksAlertsOnTheClassPathNoAlertsBeanIsMade() {
    runner().withClassLoader(new FilteredClassLoader(AlertRouter.class)).run(ctx -> {
      assertThat(ctx).hasNotFailed().doesNotHaveBean("hooksAlertRouter").doesNotHaveBean("hooksIncidentStore")
          .doesNotHaveBean(HooksAlertsAutoConfiguration.AlertHooksEndpoints.class);
      assertThat(ctx.getBean(Hooks.class).endpoints().find("alertmanager")).isEmpty();
    });
  }

  @Test
  void withADataSourceIncidentsAreKeptInItUnlessMemoryIsAsked() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + data.resolve("app") + ";DB_CLOSE_DELAY=-1");
    runner().withBean(DataSource.class, () -> ds).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(IncidentStore.class)).isInstanceOf(JdbcIncidentStore.class);
      try (var c = ds.getConnection(); var rs = c.getMetaData().getTables(null, null, "%", null)) {
        List<String> tables = new java.util.ArrayList<>();
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
        }
        assertThat(tables).anyMatch(t -> t.startsWith("hooks_alerts"));
      }
    });
    runner().withBean(DataSource.class, () -> ds).withPropertyValues("hooks.alerts.store.type=memory")
        .run(ctx -> assertThat(ctx.getBean(IncidentStore.class)).isInstanceOf(InMemoryIncidentStore.class));
  }

  @Test
  void anIncidentStoreOfTheApplicationReplacesOurs() {
    InMemoryIncidentStore mine = new InMemoryIncidentStore();
    runner().withBean("myStore", IncidentStore.class, () -> mine).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(IncidentStore.class)).isSameAs(mine);
      assertThat(ctx.getBean(AlertRouter.class).store()).isSameAs(mine);
    });
  }

  @Test
  void aRouterOfTheApplicationReplacesOurs() {
    AlertRouter mine = AlertRouter.builder().sink(new RecordingSink("x")).build();
    runner().withBean("myRouter", AlertRouter.class, () -> mine).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(AlertRouter.class)).isSameAs(mine);
    });
  }

  @Test
  void anIncidentSinkBeanNamedByARuleReceivesTheAlert() {
    RecordingSink pager = new RecordingSink("ignored-own-name");
    runner().withBean("oncall", IncidentSink.class, () -> pager)
        .withPropertyValues("hooks.alerts.endpoints[0].rules[0].name=critical-to-oncall",
            "hooks.alerts.endpoints[0].rules[0].path=$.alerts[0].labels.severity", "hooks.alerts.endpoints[0].rules[0].regex=critical",
            "hooks.alerts.endpoints[0].rules[0].overrides.sink=oncall")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          IngressResult r = post(ctx.getBean(Hooks.class), "alertmanager", "Bearer " + TOKEN, payload("alertmanager/zulip-alert.json"));
          assertThat(r.status()).isEqualTo(202);
          Ticket t = pager.opened.poll(10, TimeUnit.SECONDS);
          assertThat(t).isNotNull();
          assertThat(t.summary()).isEqualTo("Alert: High CPU core temperature");
        });
  }

  @Test
  void anAlertmanagerGroupFilesTicketsAtConnectWiseAndTheResolveClosesOne() throws Exception {
    try (ConnectWiseServer cw = ConnectWiseServer.standard()) {
      runner().withPropertyValues("hooks.alerts.sinks.cw.type=connectwise", "hooks.alerts.sinks.cw.url=" + cw.url(),
          "hooks.alerts.sinks.cw.company=acme", "hooks.alerts.sinks.cw.public-key=pub", "hooks.alerts.sinks.cw.private-key=priv",
          "hooks.alerts.sinks.cw.client-id=client-1", "hooks.alerts.sinks.cw.board=Alerts", "hooks.alerts.sinks.cw.status-new=New",
          "hooks.alerts.sinks.cw.status-closed=Closed", "hooks.alerts.default-sink=cw").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(AlertRouter.class).sinks().get("cw")).isInstanceOf(ConnectWiseSink.class);
            Hooks hooks = ctx.getBean(Hooks.class);
            assertThat(post(hooks, "alertmanager", "Bearer wrong-token-0123456789", payload("alertmanager/zulip-alert.json")).status())
                .isEqualTo(401);
            assertThat(post(hooks, "alertmanager", "Bearer " + TOKEN, payload("alertmanager/zulip-alert.json")).status()).isEqualTo(202);
            // two alerts in the group, two incidents (each its fingerprint from its labels)
            await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().size() == 2);
            assertThat(cw.tickets()).allSatisfy(t -> {
              assertThat(t.board).isEqualTo("Alerts");
              assertThat(t.status).isEqualTo("New");
            });
            assertThat(post(hooks, "alertmanager", "Bearer " + TOKEN, payload("alertmanager/zulip-single_alert.json")).status())
                .isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> cw.tickets().stream().anyMatch(t -> "Closed".equals(t.status)));
            assertThat(cw.tickets()).hasSize(2);
          });
    }
  }

  @Test
  void anInvalidRegexInARuleFailsNamingIt() {
    runner().withPropertyValues("hooks.alerts.endpoints[0].rules[0].name=db", "hooks.alerts.endpoints[0].rules[0].path=$.alerts[0].labels.host",
        "hooks.alerts.endpoints[0].rules[0].regex=(unclosed").run(ctx -> {
          FailureAnalysis a = analysis(ctx);
          assertThat(a.getDescription()).contains("hooks.alerts.endpoints[0].rules[0].regex").contains("does not compile");
          assertThat(a.getAction()).contains("Correct the regular expression of hooks.alerts.endpoints[0].rules[0].regex");
        });
  }

  @Test
  void anInvalidJsonPathInAMappingFailsNamingIt() {
    runner().withPropertyValues("hooks.alerts.endpoints[0].mapping.summary=$.alerts[[0").run(ctx -> {
      FailureAnalysis a = analysis(ctx);
      assertThat(a.getDescription()).contains("hooks.alerts.endpoints[0].mapping.summary");
      assertThat(a.getAction()).contains("Correct the JsonPath").contains("hooks.alerts.endpoints[0].mapping.summary");
    });
  }

  @Test
  void aRuleNamingAnUnknownSinkFailsNamingIt() {
    runner().withPropertyValues("hooks.alerts.endpoints[0].rules[0].path=$.status", "hooks.alerts.endpoints[0].rules[0].regex=firing",
        "hooks.alerts.endpoints[0].rules[0].overrides.sink=pagerduty").run(ctx -> {
          FailureAnalysis a = analysis(ctx);
          assertThat(a.getDescription()).contains("hooks.alerts.endpoints[0].rules[0].overrides.sink").contains("'pagerduty'");
          assertThat(a.getAction()).contains("hooks.alerts.sinks.pagerduty").contains("IncidentSink bean named 'pagerduty'").contains("[mine]");
        });
  }

  @Test
  void aConnectWiseSinkWithoutItsKeysFailsNamingTheMissingOne() {
    runner().withPropertyValues("hooks.alerts.sinks.cw.type=connectwise", "hooks.alerts.sinks.cw.url=https://cw.example.com/v4_6_release/apis/3.0",
        "hooks.alerts.sinks.cw.company=acme", "hooks.alerts.sinks.cw.public-key=pub").run(ctx -> {
          FailureAnalysis a = analysis(ctx);
          assertThat(a.getDescription()).contains("hooks.alerts.sinks.cw.private-key").contains("is empty");
          assertThat(a.getAction()).contains("${CW_PRIVATE_KEY}");
        });
  }

  @Test
  void aShortTokenFailsNamingIt() {
    runner().withPropertyValues("hooks.alerts.endpoints[0].token=short").run(ctx -> {
      FailureAnalysis a = analysis(ctx);
      assertThat(a.getDescription()).contains("hooks.alerts.endpoints[0].token").doesNotContain("short");
      assertThat(a.getAction()).contains("openssl rand");
    });
  }

  private static FailureAnalysis analysis(AssertableApplicationContext ctx) {
    assertThat(ctx).hasFailed();
    FailureAnalysis a = new HooksFailureAnalyzer().analyze(ctx.getStartupFailure());
    assertThat(a).as("analysis of " + ctx.getStartupFailure()).isNotNull();
    return a;
  }

  private static byte[] payload(String name) throws IOException {
    try (InputStream in = HooksAlertsAutoConfigurationTest.class.getClassLoader().getResourceAsStream("payloads/" + name)) {
      return Objects.requireNonNull(in, name).readAllBytes();
    }
  }

  private static IngressResult post(Hooks hooks, String id, String authorization, byte[] body) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Authorization", authorization);
    h.put("Content-Type", "application/json");
    return hooks.ingress().accept(new InboundRequest() {
      @Override
      public String endpointId() {
        return id;
      }

      @Override
      public String method() {
        return "POST";
      }

      @Override
      public String url() {
        return "http://127.0.0.1/hooks/" + id;
      }

      @Override
      public Headers headers() {
        return Headers.of(h);
      }

      @Override
      public long contentLength() {
        return body.length;
      }

      @Override
      public InputStream body() {
        return new ByteArrayInputStream(body);
      }

      @Override
      public InetAddress remoteAddress() {
        return InetAddress.getLoopbackAddress();
      }
    });
  }

  /** An application's sink: records what it is asked to open. */
  static final class RecordingSink implements IncidentSink {
    final BlockingQueue<Ticket> opened = new LinkedBlockingQueue<>();
    private final String name;

    RecordingSink(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String open(Ticket ticket) throws SinkException {
      opened.add(ticket);
      return "ref-" + opened.size();
    }

    @Override
    public void note(String ref, Ticket ticket, String text) {}

    @Override
    public void close(String ref, Ticket ticket) {}
  }
}
