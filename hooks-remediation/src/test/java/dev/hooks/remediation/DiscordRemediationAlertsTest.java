package dev.hooks.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.HooksException;
import dev.hooks.notify.OutboxSender;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.outbox.OutboxCounts;
import dev.hooks.testing.MutableClock;
import java.time.Duration;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The message shapes follow the autoheal webhook listener's Discord alerts (seed document
 * "1-autoheal-listener": critical embed "🚨 Alerte Monitoring - CRITICAL" with the failing
 * service, its consecutive failures and the actions, final embed "🔴 ARRÊT FINAL - INTERVENTION
 * REQUISE 🔴" ending in "@everyone - Panne critique détectée", the host in the footer) and
 * Discord's execute-webhook fields (https://discord.com/developers/docs/resources/webhook#execute-webhook:
 * content, embeds[].title/description/color/timestamp/footer.text, allowed_mentions.parse).
 */
class DiscordRemediationAlertsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:15:30.123456Z"), ZoneOffset.UTC);

  private final DiscordWebhookServer discord;
  private final DiscordRemediationAlerts alerts;

  DiscordRemediationAlertsTest() throws Exception {
    discord = new DiscordWebhookServer();
    alerts = DiscordRemediationAlerts.builder(discord.webhook("111", "crit-token"), discord.webhook("222", "final-token"))
        .clock(CLOCK).build();
  }

  @AfterEach
  void stop() {
    discord.close();
  }

  @Test
  void theCriticalAlertIsAnOrangeEmbedWithTheFailuresAndTheHost() throws Exception {
    alerts.critical("shop/web", 3, "vps-1");
    DiscordWebhookServer.Message m = discord.take();
    assertThat(m.path()).isEqualTo("/api/webhooks/111/crit-token");
    assertThat(m.body()).isEqualTo(JSON.readTree("""
        {"embeds":[{
          "title":"🚨 Alerte Monitoring - CRITICAL",
          "description":"**Service**: `shop/web`\\n**Échecs consécutifs**: 3\\n**Action**: Démarrage de la remédiation critique\\n- Sauvegarde des logs\\n- Redémarrage complet de la stack",
          "color":16753920,
          "timestamp":"2026-11-23T10:15:30.123Z",
          "footer":{"text":"hooks remediation - VPS vps-1"}}]}
        """));
  }

  @Test
  void theFinalAlertIsARedEmbedThatMentionsEveryone() throws Exception {
    alerts.finalStop("shop/web", 3, "vps-1");
    DiscordWebhookServer.Message m = discord.take();
    assertThat(m.path()).isEqualTo("/api/webhooks/222/final-token");
    assertThat(m.body()).isEqualTo(JSON.readTree("""
        {"content":"@everyone - Panne critique détectée",
         "allowed_mentions":{"parse":["everyone"]},
         "embeds":[{
          "title":"🔴 ARRÊT FINAL - INTERVENTION REQUISE 🔴",
          "description":"**Service**: `shop/web`\\n**Tentatives échouées**: 3\\n**Problème**: La remédiation automatique a échoué, service arrêté\\n\\n@everyone - Panne critique détectée",
          "color":16711680,
          "timestamp":"2026-11-23T10:15:30.123Z",
          "footer":{"text":"hooks remediation - VPS vps-1"}}]}
        """));
  }

  @Test
  void theRecoveryGoesToTheCriticalWebhookInGreen() throws Exception {
    DiscordRemediationAlerts named = DiscordRemediationAlerts.builder(discord.webhook("111", "crit-token"), discord.webhook("222", "final-token"))
        .clock(CLOCK).username("Watchdog").footer("Monitoring").build();
    named.recovered("shop/web", 7, "vps-2");
    DiscordWebhookServer.Message m = discord.take();
    assertThat(m.path()).isEqualTo("/api/webhooks/111/crit-token");
    assertThat(m.body().path("username").asText()).isEqualTo("Watchdog");
    assertThat(m.body().path("embeds").path(0).path("color").asInt()).isEqualTo(0x2ECC71);
    assertThat(m.body().path("embeds").path(0).path("description").asText()).contains("#7");
    assertThat(m.body().path("embeds").path(0).path("footer").path("text").asText()).isEqualTo("Monitoring - VPS vps-2");
  }

  @Test
  void aRefusedMessageFailsWithTheStatusButNeverTheToken() {
    URI wrong = URI.create(discord.webhook("111", "secret-token").toString().replace("/api/webhooks/", "/api/hooks/"));
    DiscordRemediationAlerts broken = DiscordRemediationAlerts.builder(wrong, wrong).clock(CLOCK).build();
    assertThatThrownBy(() -> broken.critical("shop/web", 3, "vps-1"))
        .isInstanceOf(HooksException.class)
        .hasMessage("discord webhook answered 404")
        .message().doesNotContain("secret-token");
  }

  @Test
  void throughTheOutboxAFinalAlertRefusedWith429IsSentAgainAndOnlyOnce() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:15:30Z"));
    InMemoryNotificationOutbox outbox = new InMemoryNotificationOutbox();
    DiscordRemediationAlerts queued = DiscordRemediationAlerts.builder(discord.webhook("111", "crit-token"), discord.webhook("222", "final-token"))
        .clock(clock).outbox(outbox).build();
    RemediationContext ctx = new RemediationContext(ServiceKey.of("shop", "web"), 3, 1, 4, "threshold", clock.instant());
    RemediationAction finalAlert = RemediationActions.finalAlert(queued, "vps-1");
    finalAlert.run(ctx);
    finalAlert.run(ctx); // the same give-up step run again (a restart): one message
    assertThat(discord.requests()).isZero();

    try (OutboxSender sender = OutboxSender.builder(outbox, queued.notifiers()).clock(clock).build()) {
      discord.rateLimitNext(2.5);
      OutboxSender.DrainReport first = sender.drainOnce();
      assertThat(first.waiting()).isEqualTo(1);
      assertThat(discord.pending()).isZero();

      clock.advance(Duration.ofSeconds(3));
      OutboxSender.DrainReport second = sender.drainOnce();
      assertThat(second.delivered()).isEqualTo(1);
    }
    DiscordWebhookServer.Message m = discord.take();
    assertThat(m.path()).isEqualTo("/api/webhooks/222/final-token");
    assertThat(m.body().path("content").asText()).isEqualTo("@everyone - Panne critique détectée");
    assertThat(m.body().path("allowed_mentions").path("parse").path(0).asText()).isEqualTo("everyone");
    assertThat(discord.requests()).isEqualTo(2);
    assertThat(outbox.counts()).isEqualTo(new OutboxCounts(0, 1, 0));
  }
}
