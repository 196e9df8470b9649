package dev.hooks.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.HooksException;
import dev.hooks.dispatch.EventHandler;
import dev.hooks.event.WebhookEvent;
import org.junit.jupiter.api.Test;

class RouteTest {
  private static final EventHandler NOOP = e -> {};

  private static WebhookEvent push(String branch, String json) throws Exception {
    return WebhookEvent.builder("d", "github", "push").endpointId("gh").action("pushed").branch(branch)
        .payload(new ObjectMapper().readTree(json)).build();
  }

  @Test
  void everyGivenConditionMustHold() throws Exception {
    Route r = Route.builder("deploy").provider("github").type("push").branch("main").handler(NOOP).build();
    assertThat(r.matches(push("main", "{}"))).isTrue();
    assertThat(r.matches(push("dev", "{}"))).isFalse();
    assertThat(r.matches(push("main", "{}").toBuilder().provider("gitlab").build())).isFalse();
  }

  @Test
  void branchGlobsMatchWithinAndAcrossSegments() throws Exception {
    Route one = Route.builder("r").branch("release/*").handler(NOOP).build();
    Route any = Route.builder("r").branch("feature/**").handler(NOOP).build();
    assertThat(one.matches(push("release/1.2", "{}"))).isTrue();
    assertThat(one.matches(push("release/1/2", "{}"))).isFalse();
    assertThat(any.matches(push("feature/a/b", "{}"))).isTrue();
    assertThat(one.matches(WebhookEvent.builder("d", "github", "tag").tag("release/1").build())).isFalse();
  }

  @Test
  void globTreatsRegexCharactersLiterally() {
    assertThat(Glob.of("v1.2.*").matches("v1.2.3")).isTrue();
    assertThat(Glob.of("v1.2.*").matches("v1x2.3")).isFalse();
    assertThat(Glob.of("fix-?").matches("fix-a")).isTrue();
  }

  @Test
  void jsonPathConditionsReadThePayload() throws Exception {
    Route merged = Route.builder("m").when("$.pull_request.merged").handler(NOOP).build();
    Route approved = Route.builder("a").when("$[?(@.review.state == 'approved' && @.reviews >= 2)]").handler(NOOP).build();

    assertThat(merged.matches(push("x", "{\"pull_request\":{\"merged\":true}}"))).isTrue();
    assertThat(merged.matches(push("x", "{\"pull_request\":{\"merged\":false}}"))).isFalse();
    assertThat(merged.matches(push("x", "{}"))).isFalse();
    assertThat(approved.matches(push("x", "{\"review\":{\"state\":\"approved\"},\"reviews\":2}"))).isTrue();
    assertThat(approved.matches(push("x", "{\"review\":{\"state\":\"approved\"},\"reviews\":1}"))).isFalse();
  }

  @Test
  void invalidJsonPathFailsWhenTheRouteIsBuiltNamingIt() {
    assertThatThrownBy(() -> Route.builder("bad").when("$.[[").handler(NOOP).build())
        .isInstanceOf(HooksException.class).hasMessageContaining("$.[[");
  }

  @Test
  void routerCollectsEachHandlerOnceInRouteOrder() throws Exception {
    EventHandler a = e -> {};
    EventHandler b = e -> {};
    Router router = Router.of(
        Route.builder("1").type("push").handler(a).build(),
        Route.builder("2").provider("github").handler(b, a).build(),
        Route.builder("3").type("release").handler(NOOP).build());
    assertThat(router.handlersFor(push("main", "{}"))).containsExactly(a, b);
  }
}
