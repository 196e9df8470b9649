package dev.hooks.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Severity;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.outbox.OutboxEntry;
import dev.hooks.verify.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Slack, Telegram, Teams, ntfy, signed webhooks and log, each against a server that behaves like it. */
class SinkNotifiersTest {
  private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

  private static Notification containerStopped(TextFormat f) {
    return MessageTemplates.defaults().forEvent(Events.containerDied()).render(Events.containerDied(), f);
  }

  /** Slack's incoming webhook: 200 "ok"; an unknown hook 404 "no_service". */
  private static RecordingServer slack() throws Exception {
    return new RecordingServer(r -> r.path().equals("/services/T000/B000/XXXX")
        ? RecordingServer.Answer.of(200, "ok")
        : RecordingServer.Answer.of(404, "no_service"));
  }

  @Test
  void slackGetsMrkdwnSectionsFieldsAndColour() throws Exception {
    try (RecordingServer server = slack()) {
      SlackNotifier slack = SlackNotifier.builder("slack", server.uri("/services/T000/B000/XXXX"))
          .outbound(RecordingServer.loopbackPolicy()).build();

      SendOutcome o = slack.sendNow(containerStopped(slack.format()));

      assertThat(o.isSuccess()).isTrue();
      assertThat(Events.json(server.requests().get(0).body())).isEqualTo(Events.json("""
          {"text": "🚨 Container Stopped: phigen-bot",
           "attachments": [{"color": "#E74C3C", "blocks": [
             {"type": "section", "text": {"type": "mrkdwn", "text": "*🚨 Container Stopped: phigen-bot*"}},
             {"type": "section", "fields": [
               {"type": "mrkdwn", "text": "*Exit code*\\n137 (OOM)"},
               {"type": "mrkdwn", "text": "*Uptime*\\n2h 15m"}]},
             {"type": "section", "text": {"type": "mrkdwn", "text": "Last logs:\\n```Loading model...\\nMemoryError: Out of memory```"}},
             {"type": "context", "elements": [{"type": "mrkdwn", "text": "Docker"}]}]}]}
          """));
    }
  }

  @Test
  void slackNoServiceIsPermanentAnd429WaitsForRetryAfter() throws Exception {
    try (RecordingServer server = slack()) {
      SlackNotifier gone = SlackNotifier.builder("gone", server.uri("/services/T000/B000/GONE"))
          .outbound(RecordingServer.loopbackPolicy()).build();
      SendOutcome o = gone.sendNow(Notification.builder().title("x").build());
      assertThat(o.kind()).isEqualTo(SendOutcome.Kind.PERMANENT_FAILURE);
      assertThat(o.reason()).isEqualTo("HTTP 404: no_service");
      assertThat(gone.toString()).doesNotContain("GONE");

      server.behave(r -> new RecordingServer.Answer(429, Map.of("Retry-After", "30"), "rate_limited"));
      SendOutcome limited = gone.sendNow(Notification.builder().title("x").build());
      assertThat(limited.kind()).isEqualTo(SendOutcome.Kind.RATE_LIMITED);
      assertThat(limited.retryAfter()).contains(Duration.ofSeconds(30));
    }
  }

  @Test
  void slackMentionPingsTheChannel() throws Exception {
    try (RecordingServer server = slack()) {
      SlackNotifier slack = SlackNotifier.builder("slack", server.uri("/services/T000/B000/XXXX"))
          .outbound(RecordingServer.loopbackPolicy()).build();
      WebhookEventsHolder.sendFinal(slack);
      assertThat(Events.json(server.requests().get(0).body()).path("text").asText())
          .isEqualTo("<!channel> - Critical failure detected\n🔴 FINAL STOP - INTERVENTION REQUIRED 🔴");
    }
  }

  /** The Telegram Bot API's sendMessage: {"ok": true} for the right token, 401 otherwise. */
  private static RecordingServer telegram() throws Exception {
    return new RecordingServer(r -> r.path().equals("/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/sendMessage")
        ? RecordingServer.Answer.of(200, "{\"ok\":true,\"result\":{\"message_id\":1,\"chat\":{\"id\":-100}}}")
        : RecordingServer.Answer.of(401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}"));
  }

  private static TelegramNotifier.Builder telegramTo(RecordingServer server, String token) {
    return TelegramNotifier.builder("tg", token, "-100").apiBase(server.uri("")).outbound(RecordingServer.loopbackPolicy());
  }

  @Test
  void telegramGetsEscapedHtml() throws Exception {
    try (RecordingServer server = telegram()) {
      TelegramNotifier tg = telegramTo(server, "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11").build();
      var event = Events.containerDied().toBuilder().subject("api<1> & \"db\"").build();

      SendOutcome o = tg.sendNow(MessageTemplates.defaults().forEvent(event).render(event, tg.format()));

      assertThat(o.isSuccess()).isTrue();
      assertThat(Events.json(server.requests().get(0).body())).isEqualTo(Events.json("""
          {"chat_id": "-100",
           "text": "<b>🚨 Container Stopped: api&lt;1&gt; &amp; &quot;db&quot;</b>\\n<b>Exit code:</b> 137 (OOM)\\n<b>Uptime:</b> 2h 15m\\n\\nLast logs:\\n<pre>Loading model...\\nMemoryError: Out of memory</pre>\\n\\n<i>Docker</i>",
           "parse_mode": "HTML",
           "disable_web_page_preview": true}
          """));
    }
  }

  @Test
  void telegramSplitsAt4096AndKeepsPreBlocksBalanced() throws Exception {
    TelegramNotifier tg = TelegramNotifier.builder("tg", "1:abc", "-100").build();
    String logs = ("log line " + "q".repeat(90) + "\n").repeat(80);
    Notification n = Notification.builder().title("Logs").description("<pre>" + logs + "</pre>").build();

    List<RenderedMessage> parts = tg.render(n);

    assertThat(parts).hasSize(2);
    for (RenderedMessage m : parts) {
      String text = Events.json(m.body()).path("text").asText();
      assertThat(text.length()).isLessThanOrEqualTo(TelegramNotifier.TEXT_LIMIT);
      assertThat(text.split("<pre>", -1).length).isEqualTo(text.split("</pre>", -1).length);
    }
  }

  @Test
  void telegramBadTokenIsPermanentAndTheTokenNeverShows() throws Exception {
    try (RecordingServer server = telegram()) {
      TelegramNotifier tg = telegramTo(server, "999:wrong-secret-token").build();

      SendOutcome o = tg.sendNow(Notification.builder().title("x").build());

      assertThat(o.kind()).isEqualTo(SendOutcome.Kind.PERMANENT_FAILURE);
      assertThat(o.reason()).isEqualTo("HTTP 401: Unauthorized");
      assertThat(tg.toString()).doesNotContain("wrong-secret-token").contains("/bot****/sendMessage");
    }
  }

  @Test
  void telegram429WaitsForParametersRetryAfterAndTimeoutReasonHidesToken() throws Exception {
    try (RecordingServer server = telegram()) {
      TelegramNotifier tg = telegramTo(server, "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11").build();
      server.behave(r -> RecordingServer.Answer.of(429,
          "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 5\",\"parameters\":{\"retry_after\":5}}"));

      SendOutcome o = tg.sendNow(Notification.builder().title("x").build());

      assertThat(o.kind()).isEqualTo(SendOutcome.Kind.RATE_LIMITED);
      assertThat(o.retryAfter()).contains(Duration.ofSeconds(5));
      assertThat(o.reason()).isEqualTo("HTTP 429: Too Many Requests: retry after 5");
    }
    TelegramNotifier closed = TelegramNotifier.builder("tg", "123:very-secret", "-1")
        .apiBase(URI.create("http://127.0.0.1:9")).outbound(RecordingServer.loopbackPolicy()).build();
    SendOutcome refused = closed.sendNow(Notification.builder().title("x").build());
    assertThat(refused.kind()).isEqualTo(SendOutcome.Kind.TRANSIENT_FAILURE);
    assertThat(refused.reason()).doesNotContain("very-secret").contains("/bot****/sendMessage");
  }

  @Test
  void teamsGetsAnAdaptiveCardInAWorkflowMessage() throws Exception {
    try (RecordingServer server = new RecordingServer(r -> RecordingServer.Answer.of(202, ""))) {
      URI workflow = server.uri("/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRETSIG");
      TeamsNotifier teams = TeamsNotifier.builder("teams", workflow).outbound(RecordingServer.loopbackPolicy()).build();
      var event = Events.githubPush();

      SendOutcome o = teams.sendNow(MessageTemplates.defaults().forEvent(event).render(event, teams.format()));

      assertThat(o.status()).isEqualTo(202);
      assertThat(teams.toString()).doesNotContain("SECRETSIG");
      JsonNode body = Events.json(server.requests().get(0).body());
      assertThat(body).isEqualTo(Events.json("""
          {"type": "message", "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null,
            "content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
              "body": [
                {"type": "TextBlock", "text": "🚀 Push to master", "weight": "Bolder", "size": "Medium", "color": "Accent", "wrap": true},
                {"type": "FactSet", "facts": [
                  {"title": "Repo", "value": "Hello-World"}, {"title": "Author", "value": "@Codertocat"}, {"title": "Commits", "value": "1"}]},
                {"type": "TextBlock", "text": "Latest: \\"Initial commit\\"\\nFiles: README.md\\n\\nView: https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246", "wrap": true},
                {"type": "TextBlock", "text": "GitHub · Codertocat/Hello-World", "isSubtle": true, "size": "Small", "wrap": true}],
              "actions": [{"type": "Action.OpenUrl", "title": "View", "url": "https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246"}]}}]}
          """));
      assertThat(server.requests().get(0).query()).isEqualTo("api-version=2016-06-01&sig=SECRETSIG");
    }
  }

  @Test
  void ntfyGetsJsonWithPriorityTagsAndClickAndBearerToken() throws Exception {
    try (RecordingServer server = new RecordingServer(r -> RecordingServer.Answer.of(200,
        "{\"id\":\"sPs71M8A2T\",\"time\":1700000000,\"event\":\"message\",\"topic\":\"ops\"}"))) {
      NtfyNotifier ntfy = NtfyNotifier.builder("ntfy", server.uri(""), "ops").token(Secret.of("tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2"))
          .outbound(RecordingServer.loopbackPolicy()).build();
      var event = Events.remediation("final", 3).toBuilder().attribute("host", "vps-1").build();

      assertThat(ntfy.sendNow(MessageTemplates.defaults().forEvent(event).render(event, ntfy.format())).isSuccess()).isTrue();

      RecordingServer.Request r = server.requests().get(0);
      assertThat(r.path()).isEqualTo("/");
      assertThat(r.header("Authorization")).isEqualTo("Bearer tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2");
      assertThat(Events.json(r.body())).isEqualTo(Events.json("""
          {"topic": "ops", "title": "🔴 FINAL STOP - INTERVENTION REQUIRED 🔴",
           "message": "@everyone - Critical failure detected\\nService: your-app-prod\\nFailed attempts: 3\\nHost: vps-1\\n\\nProblem: automatic remediation failed\\n\\nhooks",
           "priority": 5, "tags": ["rotating_light"]}
          """));
    }
  }

  @Test
  void ntfyRateLimitIsHonoured() throws Exception {
    try (RecordingServer server = new RecordingServer(r -> new RecordingServer.Answer(429, Map.of("Retry-After", "12"),
        "{\"code\":42901,\"http\":429,\"error\":\"limit reached: too many requests, please be nice\"}"))) {
      NtfyNotifier ntfy = NtfyNotifier.builder("ntfy", server.uri(""), "ops").outbound(RecordingServer.loopbackPolicy()).build();

      SendOutcome o = ntfy.sendNow(Notification.builder().title("x").severity(Severity.INFO).build());

      assertThat(o.kind()).isEqualTo(SendOutcome.Kind.RATE_LIMITED);
      assertThat(o.retryAfter()).contains(Duration.ofSeconds(12));
      assertThat(o.reason()).isEqualTo("HTTP 429: limit reached: too many requests, please be nice");
    }
  }

  @Test
  void standardWebhooksSignatureMatchesTheSpecificationVector() {
    // standard-webhooks/standard-webhooks libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java
    // (verifyWebhookSignWorks); the same vector is in the Svix libraries.
    assertThat(SignedWebhookNotifier.signature(Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}"))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void signedWebhookSendsTheVectorsHeadersForTheVectorsMessage() throws Exception {
    try (RecordingServer server = new RecordingServer(r -> RecordingServer.Answer.of(200, ""))) {
      clock.set(java.time.Instant.ofEpochSecond(1614265330L));
      SignedWebhookNotifier hook = SignedWebhookNotifier.builder("audit", server.uri("/hooks"), Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
          .outbound(RecordingServer.loopbackPolicy()).clock(clock).build();

      SendOutcome o = hook.send(RenderedMessage.json("{\"test\": 2432232314}"), "msg_p5jXN8AQM9LWM0D4loKWxJek");

      assertThat(o.isSuccess()).isTrue();
      RecordingServer.Request r = server.requests().get(0);
      assertThat(r.header("webhook-id")).isEqualTo("msg_p5jXN8AQM9LWM0D4loKWxJek");
      assertThat(r.header("webhook-timestamp")).isEqualTo("1614265330");
      assertThat(r.header("webhook-signature")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
      assertThat(r.body()).isEqualTo("{\"test\": 2432232314}");
    }
  }

  @Test
  void signedWebhookKeepsItsIdAcrossRetriesThroughTheOutbox() throws Exception {
    try (RecordingServer server = new RecordingServer(r -> RecordingServer.Answer.of(500, "busy"))) {
      SignedWebhookNotifier hook = SignedWebhookNotifier.builder("audit", server.uri("/hooks"), Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
          .outbound(RecordingServer.loopbackPolicy()).clock(clock).build();
      NotifierRegistry notifiers = NotifierRegistry.of(hook);
      InMemoryNotificationOutbox outbox = new InMemoryNotificationOutbox();
      NotifyHandler.builder(outbox, notifiers).clock(clock).route(NotificationRoute.builder("audit").to("audit").build()).build()
          .handle(Events.githubPush());
      OutboxSender sender = OutboxSender.builder(outbox, notifiers).clock(clock).build();

      sender.drainAll();
      clock.advance(Duration.ofMinutes(1));
      server.behave(r -> RecordingServer.Answer.of(204, ""));
      sender.drainAll();

      assertThat(server.requests()).hasSize(2);
      assertThat(server.requests()).extracting(r -> r.header("webhook-id")).containsOnly(
          dev.hooks.outbox.OutboxMessage.idempotencyKey("push-1", "audit", "audit", 0));
      assertThat(server.requests().get(1).header("webhook-timestamp")).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
      JsonNode body = Events.json(server.requests().get(1).body());
      assertThat(body.path("type").asText()).isEqualTo("push");
      assertThat(body.at("/data/title").asText()).isEqualTo("🚀 Push to master");
      assertThat(outbox.counts().delivered()).isEqualTo(1);
      assertThat(outbox.deadLetters(1)).extracting(OutboxEntry::key).isEmpty();
    }
  }

  @Test
  void signedWebhookRefusesAMalformedSecretAndSaysHowToMakeOne() {
    assertThatThrownBy(() -> SignedWebhookNotifier.builder("x", URI.create("https://a.example/h"), Secret.of("whsec_not base64!")).build())
        .hasMessage("secret of signed webhook 'x' is not whsec_ followed by base64; generate one with: echo whsec_$(openssl rand -base64 32)");
  }

  @Test
  void logNotifierWritesThePlainTextAndAlwaysSucceeds() {
    LogNotifier log = new LogNotifier("log");
    List<RenderedMessage> parts = log.render(containerStopped(log.format()));

    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).body()).isEqualTo("""
        🚨 Container Stopped: phigen-bot
        Exit code: 137 (OOM)
        Uptime: 2h 15m
        Last logs:
        Loading model...
        MemoryError: Out of memory
        Docker""");
    assertThat(log.send(parts.get(0), "k").isSuccess()).isTrue();
  }

  @Test
  void outboundPolicyRefusesOtherHostsPlainHttpAndUserInfo() {
    OutboundPolicy p = OutboundPolicy.builder().allowHost("discord.com").allowHost("*.slack.com").build();

    assertThat(p.isAllowed(URI.create("https://discord.com/api/webhooks/1/a"))).isTrue();
    assertThat(p.isAllowed(URI.create("https://hooks.slack.com/services/x"))).isTrue();
    assertThat(p.isAllowed(URI.create("http://discord.com/api/webhooks/1/a"))).isFalse();
    assertThat(p.isAllowed(URI.create("https://discord.com.evil.example/api"))).isFalse();
    assertThat(p.isAllowed(URI.create("https://evilslack.com/x"))).isFalse();
    assertThat(p.isAllowed(URI.create("https://discord.com@169.254.169.254/latest"))).isFalse();
    assertThat(p.isAllowed(URI.create("https://169.254.169.254/latest"))).isFalse();
    assertThatThrownBy(() -> OutboundPolicy.builder().allowHost("*")).hasMessageContaining("would allow every host");
  }

  /** Sends the final remediation notice through a notifier. */
  private static final class WebhookEventsHolder {
    static void sendFinal(Notifier n) {
      var e = Events.remediation("final", 3);
      n.sendNow(MessageTemplates.defaults().forEvent(e).render(e, n.format()));
    }
  }
}
