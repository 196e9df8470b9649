package dev.hooks.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.EventActions;
import dev.hooks.event.EventTypes;
import dev.hooks.event.WebhookEvent;
import org.junit.jupiter.api.Test;

class EventFilterVocabularyTest {

  private static WebhookEvent event(String provider, String type, String action) {
    return WebhookEvent.builder("d", provider, type).action(action).build();
  }

  @Test
  void oneRouteCoversTheFailedPipelinesOfEveryCiProvider() {
    EventFilter ciFailed = EventFilter.builder().type(EventTypes.CI_PIPELINE).action(EventActions.FAILED).build();
    for (String provider : new String[] {"github", "gitlab", "jenkins", "circleci"}) {
      assertThat(ciFailed.test(event(provider, "ci.pipeline", "failed"))).as(provider).isTrue();
      assertThat(ciFailed.test(event(provider, "ci.pipeline", "succeeded"))).as(provider).isFalse();
      assertThat(ciFailed.test(event(provider, "ci.job", "failed"))).as(provider).isFalse();
    }
  }

  @Test
  void deprecatedTypeWordsStillMatchTheTypesTheyNowAre() {
    assertThat(EventFilter.builder().type("workflow").build().test(event("github", "ci.pipeline", "failed"))).isTrue();
    assertThat(EventFilter.builder().type("pipeline").build().test(event("gitlab", "ci.pipeline", "failed"))).isTrue();
    assertThat(EventFilter.builder().type("job").build().test(event("gitlab", "ci.job", "failed"))).isTrue();
    assertThat(EventFilter.builder().type("job").build().test(event("gitlab", "ci.pipeline", "failed"))).isFalse();
    EventFilter build = EventFilter.builder().type("build").build();
    assertThat(build.test(event("jenkins", "ci.pipeline", "failed"))).isTrue();
    assertThat(build.test(event("github", "commit_status", "failed"))).isTrue();
    assertThat(build.test(event("github", "push", null))).isFalse();
    assertThat(EventFilter.builder().type("monitor").build().test(event("uptime-kuma", "alert", "firing"))).isTrue();
    assertThat(EventTypes.resolve("build")).containsExactly("build", "ci.pipeline", "commit_status");
    assertThat(EventTypes.resolve("push")).containsExactly("push");
  }

  @Test
  void deprecatedActionWordsStillMatchTheActionsTheyNowAre() {
    assertThat(EventFilter.builder().action("down").build().test(event("uptime-kuma", "alert", "firing"))).isTrue();
    assertThat(EventFilter.builder().action("up").build().test(event("uptime-kuma", "alert", "resolved"))).isTrue();
    assertThat(EventFilter.builder().action("unstable").build().test(event("jenkins", "ci.pipeline", "failed"))).isTrue();
    assertThat(EventFilter.builder().action("declined").build().test(event("bitbucket", "pull_request", "closed")))
        .isTrue();
    assertThat(EventFilter.builder().action("up").build().test(event("uptime-kuma", "alert", "firing"))).isFalse();
  }

  @Test
  void anActionMatchesTheProvidersOwnWordKeptInSourceAction() {
    WebhookEvent sync = WebhookEvent.builder("d", "github", "pull_request").action("updated")
        .attribute(EventActions.SOURCE_ACTION, "synchronize").build();
    assertThat(EventFilter.builder().action("synchronize").build().test(sync)).isTrue();
    assertThat(EventFilter.builder().action("updated").build().test(sync)).isTrue();
    assertThat(EventFilter.builder().action("labeled").build().test(sync)).isFalse();
    assertThat(Route.builder("r").type("pull_request").action("synchronize").handler(e -> {}).build().matches(sync))
        .isTrue();
  }

  @Test
  void vocabularySaysWhichActionsATypeTakes() {
    assertThat(EventActions.isValid("ci.pipeline", "failed")).isTrue();
    assertThat(EventActions.isValid("ci.pipeline", "failure")).isFalse();
    assertThat(EventActions.isValid("ci.pipeline", null)).isFalse();
    assertThat(EventActions.isValid("push", null)).isTrue();
    assertThat(EventActions.isValid("alert", "down")).isFalse();
    assertThat(EventActions.isValid("custom", "anything")).isTrue();
    assertThat(EventActions.isValid("ping", "created")).isFalse();
    assertThat(EventTypes.isKnown("ci.job")).isTrue();
    assertThat(EventTypes.isKnown("job")).isFalse();
    assertThat(EventTypes.isAlias("job")).isTrue();
  }
}
