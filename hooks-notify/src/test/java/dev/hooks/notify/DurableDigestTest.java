package dev.hooks.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.event.WebhookEvent;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.outbox.OutboxEntry;
import dev.hooks.state.InMemoryStateStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurableDigestTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final InMemoryNotificationOutbox outbox = new InMemoryNotificationOutbox();
  private final InMemoryStateStore state = new InMemoryStateStore();
  private final NotifierRegistry notifiers = NotifierRegistry.of(
      DiscordNotifier.builder("discord", URI.create("https://discord.com/api/webhooks/1/never-called")).build());

  private NotifyHandler handler(NotificationRoute.Builder route) {
    return NotifyHandler.builder(outbox, notifiers).digestState(state).clock(clock).route(route.to("discord").build()).build();
  }

  private static WebhookEvent push(String id, String repo, String branch) {
    return WebhookEvent.builder(id, "github", "push").repository(repo).branch(branch).build();
  }

  private List<String> bodies() {
    return outbox.claim("t", clock.instant(), Duration.ofMinutes(1), 100).stream().map(OutboxEntry::message).map(m -> m.body()).toList();
  }

  @Test
  void aGroupedDigestSendsOneSummaryPerGroupWhenTheWindowEnds() {
    NotifyHandler h = handler(NotificationRoute.builder("by-repo").digest(Duration.ofMinutes(5)).digestGroupBy("repository"));
    h.handle(push("1", "octo/a", "main"));
    h.handle(push("2", "octo/b", "dev"));
    h.handle(push("3", "octo/a", "feature"));
    assertThat(h.flushDigests()).isZero();
    clock.advance(Duration.ofMinutes(5));
    assertThat(h.flushDigests()).isEqualTo(2);
    assertThat(bodies()).hasSize(2)
        .anySatisfy(b -> assertThat(b).contains("Pushes: 2 (main, feature)").contains("2 events"))
        .anySatisfy(b -> assertThat(b).contains("Pushes: 1 (dev)").contains("1 event"));
  }

  @Test
  void aWindowReachingItsMaxItemsIsSentAtOnceAndTheNextEventOpensANewOne() {
    NotifyHandler h = handler(NotificationRoute.builder("capped").digest(Duration.ofHours(1)).digestMaxItems(3));
    h.handle(push("1", "octo/a", "main"));
    h.handle(push("2", "octo/a", "main"));
    assertThat(bodies()).isEmpty();
    h.handle(push("3", "octo/a", "main"));
    assertThat(bodies()).singleElement().satisfies(b -> assertThat(b).contains("3 events"));
    h.handle(push("4", "octo/a", "main"));
    clock.advance(Duration.ofHours(1));
    assertThat(h.flushDigests()).isEqualTo(1);
  }

  @Test
  void aDigestTemplateSeesTheCountWindowGroupAndSummary() {
    NotifyHandler h = handler(NotificationRoute.builder("templated").digest(Duration.ofMinutes(5)).digestGroupBy("repository")
        .digestTemplate(MessageTemplate.of("{{attributes.count}} in {{attributes.window}} for {{subject}}: {{attributes.summary}}")));
    h.handle(push("1", "octo/a", "main"));
    h.handle(push("2", "octo/a", "dev"));
    clock.advance(Duration.ofMinutes(6));
    h.flushDigests();
    assertThat(bodies()).singleElement().satisfies(b -> assertThat(b).contains("2 in 5m for octo/a: Pushes: 2 (main, dev)"));
  }

  @Test
  void anUnknownGroupFieldIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> NotificationRoute.builder("x").digestGroupBy("colour"))
        .hasMessage("digest group-by 'colour' is not a field; use provider, type, repository, branch, subject or endpoint");
  }
}
