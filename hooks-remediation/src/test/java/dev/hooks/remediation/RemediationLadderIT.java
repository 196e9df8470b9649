package dev.hooks.remediation;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.github.dockerjava.api.DockerClient;
import dev.hooks.event.WebhookEvent;
import dev.hooks.state.InMemoryStateStore;
import dev.hooks.state.StateStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole ladder against the real Docker Engine and the compose CLI. */
class RemediationLadderIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST = "vps-test-1";
  private static DockerClient docker;

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final StateStore store = new InMemoryStateStore();
  private ComposeStack stack;
  private DiscordWebhookServer discord;
  private Path archives;

  @BeforeAll
  static void image() throws Exception {
    docker = DockerRemediation.newClient();
    ComposeStack.buildImage();
  }

  @AfterAll
  static void removeImage() throws Exception {
    ComposeStack.removeImage();
    docker.close();
  }

  @BeforeEach
  void stack() throws Exception {
    discord = new DiscordWebhookServer();
    archives = Files.createTempDirectory("hooks-remediation-archives");
    stack = new ComposeStack(docker);
    stack.up();
    await().atMost(Duration.ofSeconds(60)).until(() -> stack.health("web").equals("healthy"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    stack.close();
    discord.close();
    ComposeStack.delete(archives);
  }

  private RemediationLadder ladder() {
    RemediationAlerts alerts = DiscordRemediationAlerts.builder(discord.webhook("1", "critical-token"), discord.webhook("2", "final-token"))
        .clock(clock).build();
    return RemediationLadder.builder()
        .step(RemediationActions.criticalAlert(alerts, HOST))
        .step(DockerRemediation.archiveLogs(docker, archives, 5))
        .step(DockerRemediation.composeReset(stack.composeFile))
        .verify(DockerRemediation.healthProbe(docker))
        .onGiveUp(DockerRemediation.stopService(docker))
        .onGiveUp(RemediationActions.finalAlert(alerts, HOST))
        .onRecovered(RemediationActions.recoveredAlert(alerts, HOST))
        .build();
  }

  private FailureTracker tracker(RemediationPolicy policy) {
    return FailureTracker.builder(store, ladder()).policy(policy).clock(clock).build();
  }

  @Test
  void anUnhealthyServiceIsCountedAlertedArchivedAndItsStackRecreatedAcrossARestart() throws Exception {
    ServiceKey web = stack.key("web");
    String oldWeb = stack.containerId("web");
    String oldDb = stack.containerId("db");
    String oldWebName = stack.containerName("web");

    FailureTracker first = tracker(RemediationPolicy.ofDefaults());
    try (DockerEventsSource source = DockerEventsSource.builder(docker, first).project(stack.project).build()) {
      source.start();
      await().atMost(Duration.ofSeconds(20)).until(source::isConnected);
      flipUnhealthyAndBack(first, web, 1);
      flipUnhealthyAndBack(first, web, 2);
    }

    // A new process over the same store: the count survived.
    FailureTracker second = tracker(RemediationPolicy.ofDefaults());
    assertThat(second.status(web).orElseThrow().failures()).isEqualTo(2);
    try (DockerEventsSource source = DockerEventsSource.builder(docker, second).project(stack.project).build()) {
      source.start();
      await().atMost(Duration.ofSeconds(20)).until(source::isConnected);
      stack.exec("web", "touch", "/tmp/broken");
      await().atMost(Duration.ofSeconds(90)).until(() -> second.status(web).orElseThrow().phase() == ServicePhase.COOLDOWN);
    }
    Instant remediatedAt = clock.instant();

    DiscordWebhookServer.Message critical = discord.take();
    assertThat(critical.path()).isEqualTo("/api/webhooks/1/critical-token");
    JsonNode embed = critical.body().path("embeds").path(0);
    assertThat(embed.path("color").asInt()).isEqualTo(16753920);
    assertThat(embed.path("title").asText()).isEqualTo("🚨 Alerte Monitoring - CRITICAL");
    assertThat(embed.path("description").asText()).isEqualTo("**Service**: `" + web + "`\n"
        + "**Échecs consécutifs**: 3\n"
        + "**Action**: Démarrage de la remédiation critique\n"
        + "- Sauvegarde des logs\n"
        + "- Redémarrage complet de la stack");
    assertThat(embed.path("footer").path("text").asText()).endsWith("VPS " + HOST);
    assertThat(critical.body().has("allowed_mentions")).isFalse();

    List<Path> files;
    try (Stream<Path> list = Files.list(archives)) {
      files = list.toList();
    }
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString()).startsWith(stack.project + "-").endsWith("-1.tar.gz");
    Map<String, String> entries = untar(files.get(0));
    assertThat(entries.get(oldWebName + ".log")).contains("web started").contains("web serving request");
    assertThat(entries.get(oldWebName + ".inspect.json")).contains(oldWeb);
    assertThat(entries.keySet()).hasSize(4);
    assertThat(entries.entrySet()).filteredOn(e -> e.getKey().endsWith(".log") && !e.getKey().equals(oldWebName + ".log"))
        .singleElement().satisfies(e -> assertThat(e.getValue()).contains("db ready"));

    assertThat(stack.containerId("web")).isNotEqualTo(oldWeb);
    assertThat(stack.containerId("db")).isNotEqualTo(oldDb);
    await().atMost(Duration.ofSeconds(60)).until(() -> stack.health("web").equals("healthy"));

    // The cooldown holds the verification back until the clock passes it.
    ServiceStatus cooling = second.status(web).orElseThrow();
    assertThat(cooling.verifyDueAt()).isEqualTo(remediatedAt.plus(Duration.ofSeconds(300)));
    assertThat(second.runDue()).isZero();
    clock.advance(Duration.ofSeconds(299));
    assertThat(second.runDue()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(second.runDue()).isEqualTo(1);

    ServiceStatus healed = second.status(web).orElseThrow();
    assertThat(healed.phase()).isEqualTo(ServicePhase.OK);
    assertThat(healed.failures()).isZero();
    JsonNode recovered = discord.take().body().path("embeds").path(0);
    assertThat(recovered.path("color").asInt()).isEqualTo(0x2ECC71);
    assertThat(discord.pending()).isZero();
  }

  @Test
  void aStackThatStaysUnhealthyIsStoppedAnnouncedToEveryoneAndQuarantinedUntilReset() throws Exception {
    ServiceKey web = stack.key("web");
    FailureTracker tracker = tracker(RemediationPolicy.builder().threshold(2).build());
    RemediationService service = RemediationService.builder(tracker).resolver(DockerRemediation.serviceResolver(docker)).build();
    Files.createFile(stack.dir.resolve("flags/web-broken"));
    await().atMost(Duration.ofSeconds(30)).until(() -> stack.health("web").equals("unhealthy"));

    // Two autoheal webhooks naming the container, as the parsers module reads them.
    String container = stack.containerName("web");
    service.handler().handle(autoheal("a1", container));
    assertThat(service.status().service(web).orElseThrow().failures()).isEqualTo(1);
    service.handler().handle(autoheal("a2", container));
    ServiceStatus cooling = service.status().service(web).orElseThrow();
    assertThat(cooling.phase()).isEqualTo(ServicePhase.COOLDOWN);
    assertThat(discord.take().body().path("embeds").path(0).path("color").asInt()).isEqualTo(0xFFA500);

    // The recreated web container finds the host flag again and fails its healthcheck.
    await().atMost(Duration.ofSeconds(60)).until(() -> stack.health("web").equals("unhealthy"));
    clock.advance(Duration.ofSeconds(300));
    assertThat(tracker.runDue()).isEqualTo(1);

    ServiceStatus quarantined = service.status().service(web).orElseThrow();
    assertThat(quarantined.phase()).isEqualTo(ServicePhase.QUARANTINED);
    assertThat(stack.inspect("web").getState().getRunning()).isFalse();
    assertThat(stack.inspect("db").getState().getRunning()).isTrue();
    DiscordWebhookServer.Message last = discord.take();
    assertThat(last.path()).isEqualTo("/api/webhooks/2/final-token");
    assertThat(last.body().path("content").asText()).isEqualTo("@everyone - Panne critique détectée");
    assertThat(last.body().path("allowed_mentions")).isEqualTo(JSON.readTree("{\"parse\":[\"everyone\"]}"));
    JsonNode embed = last.body().path("embeds").path(0);
    assertThat(embed.path("color").asInt()).isEqualTo(16711680);
    assertThat(embed.path("title").asText()).isEqualTo("🔴 ARRÊT FINAL - INTERVENTION REQUISE 🔴");
    assertThat(embed.path("description").asText()).contains("**Tentatives échouées**: 2").contains("@everyone");
    assertThat(embed.path("footer").path("text").asText()).endsWith("VPS " + HOST);

    // Quarantine holds until an admin reset by the name the autoheal listener used.
    service.handler().handle(autoheal("a3", container));
    assertThat(service.status().service(web).orElseThrow().phase()).isEqualTo(ServicePhase.QUARANTINED);
    assertThat(service.reset(container)).containsExactly(web);
    assertThat(service.status().service(web).orElseThrow().phase()).isEqualTo(ServicePhase.OK);
    assertThat(discord.pending()).isZero();
  }

  @Test
  void aLabelResetRestartsTheStackInDependsOnOrderWithoutAComposeFile() throws Exception {
    String webId = stack.containerId("web");
    String webStarted = stack.inspect("web").getState().getStartedAt();
    String dbStarted = stack.inspect("db").getState().getStartedAt();

    RemediationAction reset = DockerRemediation.labelReset(docker, List.of("db", "web"));
    reset.run(new RemediationContext(stack.key("web"), 3, 1, 1, "threshold", clock.instant()));

    assertThat(stack.containerId("web")).as("restarted, not recreated").isEqualTo(webId);
    Instant newDb = Instant.parse(stack.inspect("db").getState().getStartedAt());
    Instant newWeb = Instant.parse(stack.inspect("web").getState().getStartedAt());
    assertThat(newDb).isAfter(Instant.parse(dbStarted));
    assertThat(newWeb).isAfter(Instant.parse(webStarted));
    assertThat(newWeb).as("web starts once db is healthy").isAfter(newDb);
    await().atMost(Duration.ofSeconds(30)).until(() -> DockerRemediation.healthProbe(docker).healthy(stack.key("web")));
  }

  @Test
  void theEventsSourceReconnectsAndResyncsWhatItMissedByInspection() throws Exception {
    ServiceKey web = stack.key("web");
    FailureTracker tracker = tracker(RemediationPolicy.ofDefaults());
    try (EngineProxy proxy = new EngineProxy(Path.of("/var/run/docker.sock"));
        DockerClient viaProxy = clientFor(proxy.dockerHost());
        DockerEventsSource source = DockerEventsSource.builder(viaProxy, tracker)
            .project(stack.project).reconnectDelay(Duration.ofMillis(300)).build()) {
      source.start();
      await().atMost(Duration.ofSeconds(20)).until(source::isConnected);

      proxy.cut();
      await().atMost(Duration.ofSeconds(20)).until(() -> !source.isConnected());
      stack.exec("web", "touch", "/tmp/broken");
      await().atMost(Duration.ofSeconds(30)).until(() -> stack.health("web").equals("unhealthy"));
      assertThat(tracker.status(web).orElseThrow().failures()).as("the transition happened while the stream was down").isZero();

      proxy.restore();
      await().atMost(Duration.ofSeconds(30)).until(() -> tracker.status(web).map(ServiceStatus::failures).orElse(0) == 1);
      await().atMost(Duration.ofSeconds(20)).until(source::isConnected);
      source.resync();
      assertThat(tracker.status(web).orElseThrow().failures()).as("a resync counts a still-unhealthy container once").isEqualTo(1);

      stack.exec("web", "rm", "/tmp/broken");
      await().atMost(Duration.ofSeconds(30)).until(() -> tracker.status(web).orElseThrow().stableResetAt() != null);
    }
  }

  private static DockerClient clientFor(String host) {
    com.github.dockerjava.core.DockerClientConfig config = com.github.dockerjava.core.DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host).withDockerTlsVerify(false).build();
    return com.github.dockerjava.core.DockerClientImpl.getInstance(config,
        new com.github.dockerjava.httpclient5.ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
  }

  @Test
  void archivesKeepOnlyTheNewestOfTheProject() throws Exception {
    RemediationAction archive = DockerRemediation.archiveLogs(docker, archives, 2, Duration.ofDays(1));
    Path otherProject = Files.createFile(archives.resolve("other-20200101T000000Z-1.tar.gz"));
    for (int incident = 1; incident <= 3; incident++) {
      archive.run(new RemediationContext(stack.key("web"), 3, 1, incident, "threshold", clock.instant()));
      clock.advance(Duration.ofMinutes(1));
    }
    try (Stream<Path> list = Files.list(archives)) {
      assertThat(list.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder(
          "other-20200101T000000Z-1.tar.gz",
          stack.project + "-" + stamp(clock.instant().minus(Duration.ofMinutes(2))) + "-2.tar.gz",
          stack.project + "-" + stamp(clock.instant().minus(Duration.ofMinutes(1))) + "-3.tar.gz");
    }
    assertThat(otherProject).exists();

    clock.advance(Duration.ofDays(1));
    archive.run(new RemediationContext(stack.key("web"), 3, 1, 4, "threshold", clock.instant()));
    try (Stream<Path> list = Files.list(archives)) {
      assertThat(list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(stack.project)).toList())
          .as("older than a day").containsExactly(stack.project + "-" + stamp(clock.instant()) + "-4.tar.gz");
    }
    Map<String, String> entries = untar(archives.resolve(stack.project + "-" + stamp(clock.instant()) + "-4.tar.gz"));
    assertThat(entries.get(stack.containerName("db") + ".log")).contains("db alive");
  }

  private static String stamp(Instant at) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC).format(at);
  }

  private void flipUnhealthyAndBack(FailureTracker tracker, ServiceKey web, int expected) throws Exception {
    stack.exec("web", "touch", "/tmp/broken");
    await().atMost(Duration.ofSeconds(30)).until(() -> tracker.status(web).map(ServiceStatus::failures).orElse(0) == expected);
    stack.exec("web", "rm", "/tmp/broken");
    await().atMost(Duration.ofSeconds(30)).until(() -> tracker.status(web).orElseThrow().stableResetAt() != null);
  }

  private WebhookEvent autoheal(String id, String container) {
    return WebhookEvent.builder(id, "autoheal", "container")
        .action("restarted")
        .subject(container)
        .receivedAt(clock.instant())
        .payload(MissingNode.getInstance())
        .build();
  }

  private static Map<String, String> untar(Path archive) throws Exception {
    Map<String, String> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tar.transferTo(out);
        entries.put(e.getName(), out.toString(StandardCharsets.UTF_8));
      }
    }
    return entries;
  }
}
