package dev.hooks.remediation;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.dispatch.PermanentFailureException;
import dev.hooks.event.WebhookEvent;
import dev.hooks.state.InMemoryStateStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemediationEventHandlerTest {
  private static final ServiceKey WEB = ServiceKey.of("shop", "web");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final FailureTracker tracker = FailureTracker.builder(new InMemoryStateStore(),
      RemediationLadder.builder().verify(service -> true).build()).clock(clock).build();
  private final ServiceResolver resolver = name -> Optional.ofNullable(Map.of("shop-web-1", WEB).get(name));

  private int failures(ServiceKey key) {
    return tracker.status(key).map(ServiceStatus::failures).orElse(0);
  }

  /** As the parsers module reads a Docker health_status event. */
  private static WebhookEvent docker(String id, String action, String project, String service) {
    return WebhookEvent.builder(id, "docker", "container").action(action).subject(service)
        .attribute("compose_project", project).attribute("compose_service", service)
        .attribute("container_name", project + "-" + service + "-1").build();
  }

  /** As the parsers module reads an autoheal webhook: only the container's name. */
  private static WebhookEvent autoheal(String id, String container) {
    return WebhookEvent.builder(id, "autoheal", "container").action("restarted").subject(container).build();
  }

  @Test
  void dockerEventsCountForTheirComposeProjectAndService() {
    RemediationEventHandler h = RemediationEventHandler.builder(tracker).build();
    h.handle(docker("d1", "unhealthy", "shop", "web"));
    h.handle(docker("d2", "died", "shop", "web"));
    h.handle(docker("d3", "unhealthy", "blog", "web"));
    assertThat(failures(WEB)).isEqualTo(2);
    assertThat(failures(ServiceKey.of("blog", "web"))).isEqualTo(1);
    assertThat(tracker.status(WEB).orElseThrow().lastFailureReason()).isEqualTo("died");
  }

  @Test
  void autohealEventsAreResolvedFromTheContainerName() {
    RemediationEventHandler h = RemediationEventHandler.builder(tracker).resolver(resolver).build();
    h.handle(autoheal("a1", "shop-web-1"));
    h.handle(autoheal("a1", "shop-web-1"));
    h.handle(autoheal("a2", "/shop-web-1"));
    assertThat(failures(WEB)).isEqualTo(2);
  }

  @Test
  void aContainerWithoutComposeLabelsIsAPermanentFailure() {
    RemediationEventHandler h = RemediationEventHandler.builder(tracker).resolver(resolver).build();
    assertThatThrownBy(() -> h.handle(autoheal("a1", "lonely")))
        .isInstanceOf(PermanentFailureException.class)
        .hasMessage("container lonely of event a1 has no compose project/service labels");
  }

  @Test
  void otherTypesAndActionsAreIgnored() {
    RemediationEventHandler h = RemediationEventHandler.builder(tracker).build();
    h.handle(WebhookEvent.builder("p1", "github", "push").build());
    h.handle(docker("d1", "started", "shop", "web"));
    h.handle(docker("d2", "restarted", "shop", "web"));
    assertThat(tracker.status()).isEmpty();
  }

  @Test
  void aCleanExitIsNotAFailure() {
    RemediationEventHandler h = RemediationEventHandler.builder(tracker).build();
    h.handle(docker("d1", "died", "shop", "web").toBuilder().attribute("exit_code", "0").build());
    assertThat(failures(WEB)).isZero();
    h.handle(docker("d2", "died", "shop", "web").toBuilder().attribute("exit_code", "137").build());
    h.handle(docker("d3", "oom", "shop", "web"));
    assertThat(failures(WEB)).isEqualTo(2);
  }

  @Test
  void everyAutohealRestartNoticeIsAFailure() {
    FailureTracker patient = FailureTracker.builder(new InMemoryStateStore(), RemediationLadder.builder().verify(service -> true).build())
        .policy(RemediationPolicy.builder().threshold(10).build()).clock(clock).build();
    RemediationEventHandler h = RemediationEventHandler.builder(patient).resolver(resolver).build();
    for (String action : new String[] {"restarted", "restarting", "restart_failed", "unhealthy"}) {
      h.handle(autoheal("a-" + action, "shop-web-1").toBuilder().action(action).build());
    }
    assertThat(patient.status(WEB).orElseThrow().failures()).isEqualTo(4);
  }

  @Test
  void aHealthyEventStartsTheStablePeriod() {
    RemediationEventHandler h = RemediationEventHandler.builder(tracker).build();
    h.handle(docker("d1", "unhealthy", "shop", "web"));
    h.handle(docker("d2", "healthy", "shop", "web"));
    assertThat(tracker.status(WEB).orElseThrow().stableResetAt()).isEqualTo(clock.instant().plusSeconds(300));
  }

  @Test
  void aWatchedServiceIsTheOnlyOneTracked() {
    RemediationEventHandler h = RemediationEventHandler.builder(tracker).resolver(resolver).watch("shop-web-1").build();
    h.handle(docker("d1", "unhealthy", "shop", "db"));
    h.handle(autoheal("a1", "shop-web-1"));
    assertThat(tracker.status()).extracting(ServiceStatus::service).containsExactly(WEB);
  }

  @Test
  void namesThatCannotBeTheWatchedServiceAreDroppedBeforeAnyLookup() {
    List<String> lookedUp = new CopyOnWriteArrayList<>();
    ServiceResolver counting = name -> {
      lookedUp.add(name);
      return name.equals("shop_web_2") ? Optional.of(WEB) : resolver.resolve(name);
    };
    RemediationEventHandler h = RemediationEventHandler.builder(tracker).resolver(counting).watch("web").build();
    h.handle(autoheal("a1", "blog-db-1"));
    h.handle(autoheal("a2", "webmail"));
    h.handle(autoheal("a3", "shop-web-1"));
    assertThat(lookedUp).containsExactly("shop-web-1");
    assertThat(failures(WEB)).isEqualTo(1);

    RemediationEventHandler byKey = RemediationEventHandler.builder(tracker).resolver(counting).watch("shop/web").build();
    byKey.handle(autoheal("a4", "blog_web_1"));
    byKey.handle(autoheal("a5", "shop_web_2"));
    assertThat(lookedUp).containsExactly("shop-web-1", "shop_web_2");
  }

  @Test
  void aNameOutsideDockersSyntaxIsRefusedUnresolvedAndEscaped() {
    List<String> lookedUp = new CopyOnWriteArrayList<>();
    RemediationEventHandler h = RemediationEventHandler.builder(tracker).resolver(name -> {
      lookedUp.add(name);
      return Optional.of(WEB);
    }).build();
    assertThatThrownBy(() -> h.handle(autoheal("a1", "shop-web-1\r\n10:00:00 INFO reset by admin")))
        .isInstanceOf(PermanentFailureException.class)
        .hasMessage("container name 'shop-web-1\\r\\n10:00:00 INFO reset by admin' of event a1 is not a Docker container name"
            + " ([a-zA-Z0-9][a-zA-Z0-9_.-]*)");
    assertThatThrownBy(() -> h.handle(autoheal("a2", "../../v1.41/containers/x")))
        .isInstanceOf(PermanentFailureException.class)
        .hasMessageStartingWith("container name '../../v1.41/containers/x' of event a2 is not a Docker container name");
    assertThatThrownBy(() -> h.handle(autoheal("a3", "-rm")))
        .isInstanceOf(PermanentFailureException.class);
    assertThat(lookedUp).isEmpty();
    assertThat(tracker.status()).isEmpty();
  }
}
