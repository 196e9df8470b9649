package dev.hooks.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscordNotifierTest {
  private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
  private DiscordServer server;
  private DiscordNotifier discord;

  @BeforeEach
  void start() throws Exception {
    server = new DiscordServer(clock);
    discord = DiscordNotifier.builder("discord-dev", server.webhook("111", "secret-token"))
        .outbound(RecordingServer.loopbackPolicy())
        .build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode sendThroughOutbox(dev.hooks.event.WebhookEvent event) {
    InMemoryNotificationOutbox outbox = new InMemoryNotificationOutbox();
    NotifierRegistry notifiers = NotifierRegistry.of(discord);
    NotifyHandler handler = NotifyHandler.builder(outbox, notifiers)
        .route(NotificationRoute.builder("dev").to("discord-dev").build())
        .clock(clock)
        .build();
    handler.handle(event);
    OutboxSender.builder(outbox, notifiers).clock(clock).build().drainAll();
    assertThat(server.requests()).hasSize(1);
    return Events.json(server.requests().get(0).body());
  }

  @Test
  void pushBecomesAnEmbedThatReadsLikeTheChatExample() {
    JsonNode body = sendThroughOutbox(Events.githubPush());

    assertThat(body).isEqualTo(Events.json("""
        {"embeds": [{
          "title": "🚀 Push to master",
          "description": "Latest: \\"Initial commit\\"\\nFiles: README.md\\n\\nView: https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246",
          "url": "https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246",
          "color": 3447003,
          "fields": [
            {"name": "Repo", "value": "Hello-World", "inline": true},
            {"name": "Author", "value": "@Codertocat", "inline": true},
            {"name": "Commits", "value": "1", "inline": true}
          ],
          "footer": {"text": "GitHub · Codertocat/Hello-World"},
          "timestamp": "2026-11-23T10:00:00Z"
        }],
        "allowed_mentions": {"parse": []}}
        """));
    assertThat(server.requests().get(0).path()).isEqualTo("/api/webhooks/111/secret-token");
    assertThat(server.requests().get(0).header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void pullRequestOpenedShowsTitleAuthorStatusAndFiles() {
    JsonNode embed = sendThroughOutbox(Events.githubPullRequestOpened()).at("/embeds/0");

    assertThat(embed.path("title").asText()).isEqualTo("📋 New Pull Request #2");
    assertThat(embed.path("color").asInt()).isEqualTo(MessageTemplate.PURPLE);
    assertThat(embed.path("fields")).isEqualTo(Events.json("""
        [{"name": "Title", "value": "Update the README with new information.", "inline": false},
         {"name": "Author", "value": "@Codertocat", "inline": true},
         {"name": "Status", "value": "Open", "inline": true},
         {"name": "Files", "value": "1 changed (+1, -1)", "inline": true}]
        """));
    assertThat(embed.path("description").asText()).isEqualTo("Review: https://github.com/Codertocat/Hello-World/pull/2");
  }

  @Test
  void containerStoppedShowsExitCodeUptimeAndLastLogsInACodeBlock() {
    JsonNode embed = sendThroughOutbox(Events.containerDied()).at("/embeds/0");

    assertThat(embed.path("title").asText()).isEqualTo("🚨 Container Stopped: phigen-bot");
    assertThat(embed.path("fields")).isEqualTo(Events.json("""
        [{"name": "Exit code", "value": "137 (OOM)", "inline": true},
         {"name": "Uptime", "value": "2h 15m", "inline": true}]
        """));
    assertThat(embed.path("description").asText()).isEqualTo("Last logs:\n```\nLoading model...\nMemoryError: Out of memory\n```");
    assertThat(embed.path("color").asInt()).isEqualTo(MessageTemplate.RED);
  }

  @Test
  void criticalRemediationIsOrangeAndPingsNobody() {
    JsonNode body = sendThroughOutbox(Events.remediation("critical", 3));

    assertThat(body.path("content").isMissingNode()).isTrue();
    assertThat(body.path("allowed_mentions")).isEqualTo(Events.json("{\"parse\": []}"));
    JsonNode embed = body.at("/embeds/0");
    assertThat(embed.path("title").asText()).isEqualTo("🚨 Monitoring alert - CRITICAL");
    assertThat(embed.path("color").asInt()).isEqualTo(MessageTemplate.ORANGE);
    assertThat(embed.path("fields")).isEqualTo(Events.json("""
        [{"name": "Service", "value": "your-app-prod", "inline": true},
         {"name": "Consecutive failures", "value": "3", "inline": true}]
        """));
    assertThat(embed.path("description").asText())
        .isEqualTo("Action: starting critical remediation\n- Backing up logs\n- Restarting the whole stack");
  }

  @Test
  void finalRemediationMentionsEveryoneAndAllowsThatMention() {
    JsonNode body = sendThroughOutbox(Events.remediation("final", 3));

    assertThat(body.path("content").asText()).isEqualTo("@everyone - Critical failure detected");
    assertThat(body.path("allowed_mentions")).isEqualTo(Events.json("{\"parse\": [\"everyone\"]}"));
    assertThat(body.at("/embeds/0/title").asText()).isEqualTo("🔴 FINAL STOP - INTERVENTION REQUIRED 🔴");
    assertThat(body.at("/embeds/0/color").asInt()).isEqualTo(MessageTemplate.RED);
  }

  @Test
  void everyoneInACommitMessageIsEscapedAndPingsNobody() {
    var event = Events.githubPush().toBuilder()
        .payload(Events.json("{\"head_commit\": {\"message\": \"@everyone fix *all* the_things\"}, \"commits\": [{}]}"))
        .build();
    JsonNode body = sendThroughOutbox(event);

    assertThat(body.at("/embeds/0/description").asText()).startsWith("Latest: \"@everyone fix \\*all\\* the\\_things\"");
    assertThat(body.path("allowed_mentions")).isEqualTo(Events.json("{\"parse\": []}"));
  }

  @Test
  void longDescriptionIsSplitOnLineBoundariesWithinEveryLimit() {
    String line = "x".repeat(99);
    String description = IntStream.range(0, 150).mapToObj(i -> String.format("%03d", i) + line).collect(Collectors.joining("\n"));
    Notification n = Notification.builder().title("Long").description(description).footer("footer").build();

    List<DiscordMessage> messages = discord.messages(n);

    StringBuilder rejoined = new StringBuilder();
    for (DiscordMessage m : messages) {
      assertThat(m.embeds()).hasSizeLessThanOrEqualTo(DiscordMessage.EMBEDS_LIMIT);
      assertThat(m.embeds().stream().mapToInt(DiscordEmbed::length).sum()).isLessThanOrEqualTo(DiscordEmbed.TOTAL_LIMIT);
      for (DiscordEmbed e : m.embeds()) {
        assertThat(e.description().length()).isLessThanOrEqualTo(DiscordEmbed.DESCRIPTION_LIMIT);
        if (!e.description().isEmpty()) {
          rejoined.append(rejoined.length() == 0 ? "" : "\n").append(e.description());
        }
      }
    }
    // 15,449 characters: four descriptions of up to 4,096, one per message because two would pass 6,000.
    assertThat(messages).hasSize(4);
    assertThat(rejoined.toString()).isEqualTo(description);
    assertThat(messages.get(0).embeds().get(0).title()).isEqualTo("Long");
    DiscordMessage last = messages.get(messages.size() - 1);
    assertThat(last.embeds().get(last.embeds().size() - 1).footer()).isEqualTo("footer");
  }

  @Test
  void thirtyFieldsSpreadOverTwoEmbedsAndLongValuesSplitIntoContinuations() {
    Notification.Builder b = Notification.builder().title("Fields");
    for (int i = 0; i < 30; i++) {
      b.field("f" + i, "v" + i, true);
    }
    b.field("logs", ("y".repeat(600) + "\n").repeat(3).strip(), false);

    List<DiscordMessage> messages = discord.messages(b.build());

    assertThat(messages).hasSize(1);
    List<DiscordEmbed> embeds = messages.get(0).embeds();
    assertThat(embeds).hasSize(2);
    assertThat(embeds.get(0).fields()).hasSize(25);
    assertThat(embeds.get(1).fields()).extracting(Notification.Field::name)
        .containsExactly("f25", "f26", "f27", "f28", "f29", "logs", "\u200b", "\u200b");
    assertThat(embeds.get(1).fields().get(5).value()).isEqualTo("y".repeat(600));
  }

  @Test
  void overlongTitleIsTruncatedToDiscordsLimit() {
    DiscordMessage m = discord.messages(Notification.builder().title("t".repeat(300)).build()).get(0);

    assertThat(m.embeds().get(0).title()).hasSize(DiscordEmbed.TITLE_LIMIT).endsWith("…");
  }

  @Test
  void waitTrueAnswers200WithTheCreatedMessage() {
    DiscordNotifier waiting = DiscordNotifier.builder("w", server.webhook("222", "tok"))
        .outbound(RecordingServer.loopbackPolicy()).waitForMessage(true).build();

    SendOutcome o = waiting.post(DiscordMessage.builder().content("hello").build());

    assertThat(o.kind()).isEqualTo(SendOutcome.Kind.SUCCESS);
    assertThat(o.status()).isEqualTo(200);
    assertThat(Events.json(o.responseBody().orElseThrow()).path("webhook_id").asText()).isEqualTo("222");
    assertThat(server.requests().get(0).query()).isEqualTo("wait=true");
    assertThat(server.requests().get(0).body()).isEqualTo("{\"content\":\"hello\",\"allowed_mentions\":{\"parse\":[]}}");
  }

  @Test
  void successAnnouncesTheBucketFromRateLimitHeaders() {
    SendOutcome o = discord.post(DiscordMessage.builder().content("hi").build());

    assertThat(o.status()).isEqualTo(204);
    assertThat(o.rateLimit()).hasValueSatisfying(r -> {
      assertThat(r.limit()).isEqualTo(5);
      assertThat(r.remaining()).isEqualTo(4);
      assertThat(r.resetAfter()).isEqualTo(java.time.Duration.ofSeconds(2));
      assertThat(r.bucket()).startsWith("bucket-");
    });
  }

  @Test
  void unknownWebhookIsAPermanentFailureWhoseReasonHidesTheToken() {
    DiscordNotifier gone = DiscordNotifier.builder("gone", server.uri("/api/webhooks/999/very-secret"))
        .outbound(RecordingServer.loopbackPolicy()).build();

    SendOutcome o = gone.post(DiscordMessage.builder().content("hi").build());

    assertThat(o.kind()).isEqualTo(SendOutcome.Kind.PERMANENT_FAILURE);
    assertThat(o.reason()).isEqualTo("HTTP 404: Unknown Webhook (code 10015)");
    assertThat(gone.toString()).doesNotContain("very-secret").contains("/api/webhooks/999/****");
  }

  @Test
  void webhookOnAHostOutsideThePolicyIsRefusedAtBuild() {
    assertThatThrownBy(() -> DiscordNotifier.builder("evil", URI.create("https://169.254.169.254/api/webhooks/1/x")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host '169.254.169.254'")
        .hasMessageContaining("allowHost");
    assertThat(DiscordNotifier.builder("ok", URI.create("https://discord.com/api/webhooks/1/x")).build().redactedUrl())
        .isEqualTo("https://discord.com/api/webhooks/1/****");
  }
}
