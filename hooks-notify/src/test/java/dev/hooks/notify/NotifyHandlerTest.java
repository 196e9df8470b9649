package dev.hooks.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.WebhookEvent;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.outbox.OutboxEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotifyHandlerTest {
  private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
  private final InMemoryNotificationOutbox outbox = new InMemoryNotificationOutbox();
  private final NotifierRegistry notifiers = new NotifierRegistry();
  private DiscordServer server;

  @BeforeEach
  void start() throws Exception {
    server = new DiscordServer(clock);
    notifiers.register(DiscordNotifier.builder("discord-dev", server.webhook("1", "a")).outbound(RecordingServer.loopbackPolicy()).build());
    notifiers.register(DiscordNotifier.builder("discord-ops", server.webhook("2", "b")).outbound(RecordingServer.loopbackPolicy()).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private NotifyHandler handler(NotificationRoute... routes) {
    NotifyHandler.Builder b = NotifyHandler.builder(outbox, notifiers).clock(clock);
    for (NotificationRoute r : routes) {
      b.route(r);
    }
    return b.build();
  }

  private List<JsonNode> sent() {
    OutboxSender.builder(outbox, notifiers).clock(clock).build().drainAll();
    List<JsonNode> bodies = new ArrayList<>();
    server.requests().forEach(r -> bodies.add(Events.json(r.body())));
    return bodies;
  }

  private static WebhookEvent push(String id, String branch) {
    return Events.githubPush().toBuilder().id(id).branch(branch).build();
  }

  private static WebhookEvent event(String id, String type, String action) {
    return WebhookEvent.builder(id, "github", type).action(action).repository("Codertocat/Hello-World").receivedAt(Events.AT).build();
  }

  @Test
  void handlingTheSameEventTwiceNotifiesOnce() {
    NotifyHandler h = handler(NotificationRoute.builder("all").to("discord-dev", "discord-ops").build());

    h.handle(Events.githubPush());
    h.handle(Events.githubPush());

    assertThat(outbox.counts().pending()).isEqualTo(2);
    assertThat(sent()).hasSize(2);
    assertThat(server.requests()).extracting(RecordingServer.Request::path)
        .containsExactlyInAnyOrder("/api/webhooks/1/a", "/api/webhooks/2/b");
  }

  @Test
  void filtersOnProviderTypeRepositoryAndBranchGlob() {
    NotifyHandler h = handler(NotificationRoute.builder("releases")
        .provider("github").type("push").repository("Codertocat/*").branch("main", "release/*")
        .to("discord-dev").build());

    h.handle(push("p1", "release/1.2"));
    h.handle(push("p2", "feature/x"));
    h.handle(push("p3", "main"));
    h.handle(push("p4", "release/1/2"));
    h.handle(push("p5", "main").toBuilder().repository("someone/else").build());
    h.handle(push("p6", "main").toBuilder().provider("gitlab").build());
    h.handle(event("e7", "pull_request", "opened").toBuilder().branch("main").build());

    assertThat(sent()).extracting(b -> b.at("/embeds/0/title").asText())
        .containsExactly("🚀 Push to release/1.2", "🚀 Push to main");
  }

  @Test
  void actionFilterAndJsonPathCondition() {
    NotifyHandler h = handler(NotificationRoute.builder("merged")
        .type("pull_request").action("closed").when("$[?(@.pull_request.merged == true)]")
        .to("discord-dev").build());

    h.handle(event("a", "pull_request", "closed").toBuilder().payload(Events.json("{\"pull_request\": {\"merged\": true, \"number\": 7}}")).build());
    h.handle(event("b", "pull_request", "closed").toBuilder().payload(Events.json("{\"pull_request\": {\"merged\": false, \"number\": 8}}")).build());
    h.handle(event("c", "pull_request", "opened").toBuilder().payload(Events.json("{\"pull_request\": {\"merged\": true, \"number\": 9}}")).build());

    assertThat(sent()).extracting(b -> b.at("/embeds/0/title").asText()).containsExactly("📋 Pull Request #7 closed");
  }

  @Test
  void ruleNotifiesOnlyWhenThePullRequestIsApprovedTwice() {
    NotifyHandler h = handler(NotificationRoute.builder("ready")
        .type("pull_request").rule("pr.status == 'approved' and pr.reviews >= 2")
        .template(MessageTemplate.builder()
            .title("⚡ PR #{{pr_number}} Ready to Merge")
            .field("Approvals", "{{attributes.pr.reviews}}/2 ✓", true)
            .field("Checks", "All passed ✓", true)
            .description("Merge: !git merge #{{pr_number}}")
            .build())
        .to("discord-dev").build());
    WebhookEvent review = event("r", "pull_request", "submitted").toBuilder()
        .payload(Events.json("{\"number\": 45, \"pull_request\": {\"number\": 45}}")).build();

    h.handle(review.toBuilder().id("r1").attribute("pr.status", "approved").attribute("pr.reviews", "1").build());
    h.handle(review.toBuilder().id("r2").attribute("pr.status", "changes_requested").attribute("pr.reviews", "2").build());
    h.handle(review.toBuilder().id("r3").attribute("pr.status", "approved").attribute("pr.reviews", "2").build());

    List<JsonNode> bodies = sent();
    assertThat(bodies).hasSize(1);
    JsonNode embed = bodies.get(0).at("/embeds/0");
    assertThat(embed.path("title").asText()).isEqualTo("⚡ PR #45 Ready to Merge");
    assertThat(embed.at("/fields/0/value").asText()).isEqualTo("2/2 ✓");
    assertThat(embed.path("description").asText()).isEqualTo("Merge: !git merge #45");
  }

  @Test
  void customOneLineTemplateReadsPayloadKeysAndJsonPath() {
    NotifyHandler h = handler(NotificationRoute.builder("custom")
        .provider("generic").template(MessageTemplate.of("🔔 {{event}}: {{message}} ({$.metrics.cpu}%)")).to("discord-dev").build());

    h.handle(WebhookEvent.builder("g1", "generic", "custom").receivedAt(Events.AT)
        .payload(Events.json("{\"event\": \"Server Alert\", \"message\": \"CPU usage at 95%\", \"metrics\": {\"cpu\": 95}}")).build());

    assertThat(sent().get(0).at("/embeds/0/description").asText()).isEqualTo("🔔 Server Alert: CPU usage at 95% (95%)");
  }

  @Test
  void digestTurnsAWindowOfEventsIntoOneSummary() {
    NotifyHandler h = handler(NotificationRoute.builder("activity")
        .provider("github").digest(Duration.ofMinutes(5)).to("discord-dev").build());

    h.handle(push("p1", "main"));
    h.handle(event("pr1", "pull_request", "opened"));
    clock.advance(Duration.ofMinutes(1));
    h.handle(push("p2", "feature-oauth"));
    h.handle(event("pr2", "pull_request", "synchronize"));
    h.handle(event("i1", "issue", "closed"));
    h.handle(push("p3", "dev"));
    h.handle(push("p4", "main"));
    h.handle(event("pr3", "pull_request", "synchronize"));
    clock.advance(Duration.ofMinutes(3).plusSeconds(59));
    h.handle(event("i2", "issue", "closed"));
    assertThat(h.flushDigests()).isZero();
    assertThat(outbox.counts().pending()).isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(h.flushDigests()).isEqualTo(1);

    List<JsonNode> bodies = sent();
    assertThat(bodies).hasSize(1);
    JsonNode embed = bodies.get(0).at("/embeds/0");
    assertThat(embed.path("title").asText()).isEqualTo("📊 GitHub Activity (last 5m)");
    assertThat(embed.path("description").asText())
        .isEqualTo("Pushes: 4 (main, feature-oauth, dev)\nPRs: 1 opened, 2 updated\nIssues: 2 closed");
    assertThat(embed.path("footer").path("text").asText()).isEqualTo("9 events");
  }

  @Test
  void aThousandEventsInOneWindowMakeOneMessage() {
    NotifyHandler h = handler(NotificationRoute.builder("activity").digest(Duration.ofMinutes(5)).to("discord-dev").build());

    for (int i = 0; i < 1000; i++) {
      h.handle(push("p" + i, "branch-" + (i % 20)));
      clock.advance(Duration.ofMillis(250));
    }
    clock.advance(Duration.ofSeconds(50));
    h.flushDigests();

    List<JsonNode> bodies = sent();
    assertThat(bodies).hasSize(1);
    assertThat(bodies.get(0).at("/embeds/0/description").asText())
        .isEqualTo("Pushes: 1000 (branch-0, branch-1, branch-2, branch-3, branch-4, branch-5, branch-6, branch-7, +12 more)");
  }

  @Test
  void aNewEventAfterTheWindowFlushesTheOldOneAndStartsAnother() {
    NotifyHandler h = handler(NotificationRoute.builder("activity").digest(Duration.ofMinutes(5)).to("discord-dev").build());

    h.handle(push("p1", "main"));
    clock.advance(Duration.ofMinutes(6));
    h.handle(push("p2", "dev"));

    assertThat(outbox.counts().pending()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(5));
    h.flushDigests();
    assertThat(sent()).extracting(b -> b.at("/embeds/0/description").asText()).containsExactly("Pushes: 1 (main)", "Pushes: 1 (dev)");
  }

  @Test
  void eachPartOfASplitNotificationHasItsOwnStableKey() {
    NotifyHandler h = handler(NotificationRoute.builder("logs").template(MessageTemplate.of("{{{payload.log}}}")).to("discord-dev").build());
    String log = ("line " + "z".repeat(94) + "\n").repeat(100);
    WebhookEvent e = WebhookEvent.builder("big", "generic", "custom").receivedAt(Events.AT)
        .payload(Events.json("{\"log\": " + Events.JSON.valueToTree(log) + "}")).build();

    h.handle(e);
    h.handle(e);

    // 10,000 characters: descriptions of 3,999 + 3,999 + 1,999; the last two share a message (5,998 <= 6,000).
    assertThat(outbox.counts().pending()).isEqualTo(2);
    assertThat(outbox.find(dev.hooks.outbox.OutboxMessage.idempotencyKey("big", "logs", "discord-dev", 1)))
        .map(OutboxEntry::status).contains(OutboxEntry.Status.PENDING);
    assertThat(sent()).extracting(b -> b.path("embeds").size()).containsExactly(1, 2);
  }

  @Test
  void twoRoutesWithOneNameAreRefused() {
    NotificationRoute r = NotificationRoute.builder("same").to("discord-dev").build();
    assertThatThrownBy(() -> handler(r, r)).hasMessage("two notification routes are named 'same'; names must be unique");
    assertThatThrownBy(() -> NotificationRoute.builder("none").build())
        .hasMessage("notification route 'none' has no target; add one with .to(\"notifier-name\")");
  }
}
