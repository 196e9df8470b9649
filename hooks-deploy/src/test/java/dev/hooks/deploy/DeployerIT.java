package dev.hooks.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectImageResponse;
import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.notify.DiscordNotifier;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.notify.OutboxSender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One service's life on the real Docker Engine, from a real local git repository, with its
 * state in an H2 file and its notifications through the outbox to a loopback Discord. The tests
 * run in order: each starts from the deployment the one before left serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployerIT {
  private static final String ENDPOINT = "deploy-github";
  private static final String ALIAS = "web";

  private Path dir;
  private DockerFixture docker;
  private ServiceRepo repo;
  private LoopbackDiscord discord;
  private JdbcJournals db;
  private OutboxSender sender;
  private Deployer deployer;
  private DeployService service;
  private String v1;
  private String v1Deployment;
  private int deliveries;

  @BeforeAll
  void setUp() throws Exception {
    dir = Files.createTempDirectory("hooks-deploy-it");
    docker = new DockerFixture(dir);
    repo = ServiceRepo.create(dir.resolve("repo"));
    discord = new LoopbackDiscord();
    db = JdbcJournals.builder().url("jdbc:h2:file:" + dir.resolve("state")).build();
    NotifierRegistry notifiers = NotifierRegistry.of(DiscordNotifier.builder("discord", discord.url())
        .outbound(OutboundPolicy.builder().allowHost("127.0.0.1").allowPlainHttp(true).build()).build());
    sender = OutboxSender.builder(db.outbox(), notifiers).pollInterval(Duration.ofMillis(100)).build();
    sender.start();
    service = DeployService.builder(docker.prefix + "-web", repo.uri())
        .branch("main").endpoint(ENDPOINT).network(docker.network).alias(ALIAS).port(8000)
        .gate(HealthGate.builder().dockerHealthcheck(true).deadline(Duration.ofSeconds(20)).build())
        .buildArg("UNUSED", "1")
        .notify("discord")
        .build();
    deployer = newDeployer(notifiers);
    deployer.start();
  }

  private Deployer newDeployer(NotifierRegistry notifiers) {
    return Deployer.builder(db.stateStore(), docker.docker, dir.resolve("work"))
        .service(service)
        .listener(DeployNotifications.builder(db.outbox(), notifiers).service(service.name(), service.notifyTargets()).build())
        .build();
  }

  @AfterAll
  void tearDown() {
    if (deployer != null) {
      deployer.close();
    }
    if (sender != null) {
      sender.close();
    }
    if (db != null) {
      db.close();
    }
    if (discord != null) {
      discord.close();
    }
    if (repo != null) {
      repo.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  private String lastDelivery = "";
  private byte[] lastBody = new byte[0];

  private void push(String branch, String commit) {
    try {
      lastDelivery = "delivery-" + (++deliveries);
      lastBody = Pushes.body(branch, commit);
      deployer.handler().handle(Pushes.event(ENDPOINT, lastDelivery, lastBody));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Deployment awaitEnd(String commit) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
        deployer.history(service.name()).stream().anyMatch(d -> commit.equals(d.commit().orElse(null)) && d.status().isTerminal())
            && deployer.isIdle(service.name()));
    return deployer.history(service.name()).stream().filter(d -> commit.equals(d.commit().orElse(null))).findFirst().orElseThrow();
  }

  private List<String> awaitNotifications(int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.events().size() >= count);
    return discord.events();
  }

  @Test
  @Order(1)
  void aGoodCommitIsBuiltDeployedAndAnswersThroughTheAlias() throws Exception {
    v1 = repo.commit("main", ServiceRepo.GOOD, "v1");
    push("main", v1);

    Deployment d = awaitEnd(v1);
    v1Deployment = d.id();
    assertThat(d.status()).isEqualTo(DeploymentStatus.RUNNING);
    assertThat(d.image()).contains(service.name() + ":" + v1.substring(0, 7));
    assertThat(d.author()).contains("Codertocat");
    assertThat(d.steps()).extracting(Deployment.Step::name).containsExactly("fetch", "build", "start", "gate", "promote");
    assertThat(d.buildLog()).anyMatch(l -> l.contains("COPY www /www"));
    assertThat(docker.fetch(ALIAS)).isEqualTo("v1");
    assertThat(deployer.state(service.name()).status()).isEqualTo("running");
    assertThat(deployer.current(service.name()).flatMap(Deployment::commit)).contains(v1);

    InspectImageResponse image = docker.docker.inspectImageCmd(service.name() + ":" + v1.substring(0, 7)).exec();
    assertThat(image.getConfig().getLabels()).containsEntry(ContainerTarget.LABEL_SERVICE, service.name())
        .containsEntry(ContainerTarget.LABEL_COMMIT, v1).containsEntry(ContainerTarget.LABEL_DEPLOYMENT, d.id());

    assertThat(awaitNotifications(5)).containsExactly(
        "webhook_received", "build_started", "build_completed", "deployment_started", "deployment_completed");
    var completed = discord.bodies().get(4).path("embeds").path(0);
    assertThat(completed.toString()).contains(v1.substring(0, 7)).contains("Codertocat").contains("Initial commit").contains("Duration");
  }

  @Test
  @Order(2)
  void anUnhealthyCommitIsStoppedWhileThePreviousKeepsAnsweringThroughout() throws Exception {
    String prober = docker.startProber(ALIAS);
    await().atMost(Duration.ofSeconds(10)).until(() -> docker.logs(prober).size() >= 3);
    int before = discord.events().size();
    String bad = repo.commit("main", ServiceRepo.UNHEALTHY, "v2-unhealthy");
    push("main", bad);

    Deployment d = awaitEnd(bad);
    List<String> answers = docker.stopProber(prober);

    assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
    assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).contains("HEALTHCHECK unhealthy"));
    assertThat(d.steps()).extracting(s -> s.name() + ":" + s.outcome()).contains("gate:failed");
    assertThat(answers).hasSizeGreaterThan(10).containsOnly("v1");
    assertThat(docker.fetch(ALIAS)).isEqualTo("v1");
    assertThat(deployer.current(service.name()).map(Deployment::id)).contains(v1Deployment);
    var bad1 = docker.docker.inspectContainerCmd(d.container().orElseThrow()).exec();
    assertThat(bad1.getState().getRunning()).isFalse();
    assertThat(awaitNotifications(before + 6).subList(before, before + 6)).containsExactly(
        "webhook_received", "build_started", "build_completed", "deployment_started", "deployment_failed", "deployment_rollback");
  }

  @Test
  @Order(3)
  void aCommitWhoseBuildFailsLeavesTheCurrentDeploymentServing() throws Exception {
    int before = discord.events().size();
    String broken = repo.commit("main", ServiceRepo.BROKEN, "v3-broken");
    push("main", broken);

    Deployment d = awaitEnd(broken);
    assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
    assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("build failed"));
    assertThat(d.logExcerpt()).hasValueSatisfying(l -> assertThat(l).contains("missing dependency"));
    assertThat(d.container()).isEmpty();
    assertThat(docker.fetch(ALIAS)).isEqualTo("v1");
    assertThat(awaitNotifications(before + 3).subList(before, before + 3)).containsExactly("webhook_received", "build_started", "build_failed");
    assertThat(discord.bodies().get(before + 2).toString()).contains("missing dependency");
  }

  @Test
  @Order(4)
  void threeQuickPushesProduceOneDeployOfTheNewestCommit() throws Exception {
    String s1 = repo.commit("main", ServiceRepo.SLOW, "v4-a");
    String s2 = repo.commit("main", ServiceRepo.SLOW, "v4-b");
    String s3 = repo.commit("main", ServiceRepo.GOOD, "v4-c");
    push("main", s1);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> deployer.history(service.name()).stream()
        .anyMatch(d -> s1.equals(d.commit().orElse(null)) && d.status() == DeploymentStatus.BUILDING && d.steps().size() == 1));
    push("main", s2);
    push("main", s3);

    Deployment d3 = awaitEnd(s3);
    assertThat(d3.status()).isEqualTo(DeploymentStatus.RUNNING);
    Map<String, DeploymentStatus> byCommit = new java.util.HashMap<>();
    deployer.history(service.name()).forEach(d -> byCommit.put(d.commit().orElse(""), d.status()));
    assertThat(byCommit.get(s1)).isEqualTo(DeploymentStatus.CANCELLED);
    assertThat(byCommit.get(s2)).isEqualTo(DeploymentStatus.SUPERSEDED);
    assertThat(docker.serviceContainers(service.name())).noneMatch(c -> s1.equals(c.getLabels().get(ContainerTarget.LABEL_COMMIT))
        || s2.equals(c.getLabels().get(ContainerTarget.LABEL_COMMIT)));
    assertThat(docker.fetch(ALIAS)).isEqualTo("v4-c");
  }

  @Test
  @Order(5)
  void aPushToAnotherBranchATagOrARedeliveryDoesNothing() throws Exception {
    int deployments = deployer.history(service.name()).size();
    deployer.handler().handle(Pushes.event(ENDPOINT, lastDelivery, lastBody));
    String feature = repo.commit("feature", ServiceRepo.GOOD, "feature");
    push("feature", feature);
    byte[] tag = new String(Pushes.body("main", feature), java.nio.charset.StandardCharsets.UTF_8)
        .replace("\"refs/heads/main\"", "\"refs/tags/v1.0.0\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    deployer.handler().handle(Pushes.event(ENDPOINT, "delivery-tag", tag));
    deployer.handler().handle(Pushes.event("some-other-endpoint", "delivery-other", "main", feature));

    assertThat(deployer.history(service.name())).hasSize(deployments);
    assertThat(deployer.isIdle(service.name())).isTrue();
  }

  @Test
  @Order(6)
  void aManualRollbackToANamedDeploymentMovesTheAliasBack() throws Exception {
    int before = discord.events().size();
    Deployment r = deployer.rollback(service.name(), v1Deployment);
    await().atMost(Duration.ofSeconds(30)).until(() -> deployer.find(service.name(), r.id()).map(d -> d.status().isTerminal()).orElse(false)
        && deployer.isIdle(service.name()));

    assertThat(deployer.find(service.name(), r.id()).map(Deployment::status)).contains(DeploymentStatus.RUNNING);
    assertThat(deployer.current(service.name()).flatMap(Deployment::commit)).contains(v1);
    assertThat(docker.fetch(ALIAS)).isEqualTo("v1");
    assertThat(awaitNotifications(before + 1).get(before)).isEqualTo("deployment_rollback");
    long running = docker.serviceContainers(service.name()).stream().filter(c -> "running".equals(c.getState())).count();
    assertThat(running).isEqualTo(1);
  }

  @Test
  @Order(7)
  void retentionKeepsTheNewestDeploymentsAndNeverTheCurrentOrPrevious() {
    assertThat(docker.serviceContainers(service.name()).size()).isLessThanOrEqualTo(service.retain());
    ServiceState st = deployer.state(service.name());
    for (String id : List.of(st.current().orElseThrow(), st.previous().orElseThrow())) {
      String container = deployer.find(service.name(), id).flatMap(Deployment::container).orElseThrow();
      assertThat(docker.serviceContainers(service.name())).anyMatch(c -> List.of(c.getNames()).contains("/" + container));
    }
  }

  @Test
  @Order(8)
  void aRestartDuringTheGateEndsThatDeploymentFailedWithTheCurrentOneHoldingTheAlias() throws Exception {
    deployer.close();
    // What a process killed during a gate leaves: a deploying record and its container running off the alias.
    Deployment current = deployer.current(service.name()).orElseThrow();
    Deployment d = new Deployment();
    d.id = "crashed1";
    d.service = service.name();
    d.commit = current.commit().orElseThrow();
    d.status = DeploymentStatus.DEPLOYING;
    d.createdAt = java.time.Instant.now();
    d.image = current.image().orElseThrow();
    String container = new ContainerTarget(docker.docker, java.time.Clock.systemUTC()).start(service, d, d.image);
    d.container = container;
    new DeploymentStore(db.stateStore()).save(d);

    deployer = newDeployer(NotifierRegistry.of());
    deployer.start();

    await().atMost(Duration.ofSeconds(20)).until(() -> deployer.find(service.name(), "crashed1").map(x -> x.status().isTerminal()).orElse(false));
    Deployment after = deployer.find(service.name(), "crashed1").orElseThrow();
    assertThat(after.status()).isEqualTo(DeploymentStatus.FAILED);
    assertThat(after.reason()).hasValueSatisfying(r -> assertThat(r).contains("interrupted by a restart while deploying"));
    assertThat(docker.docker.inspectContainerCmd(container).exec().getState().getRunning()).isFalse();
    assertThat(deployer.state(service.name()).status()).isEqualTo("running");
    assertThat(docker.fetch(ALIAS)).isEqualTo("v1");
  }

  @Test
  @Order(9)
  void twoDeployersSharingOneStoreDeployAPushDeliveredToBothOnce() throws Exception {
    Deployer other = newDeployer(NotifierRegistry.of()).start();
    try {
      int deployments = deployer.history(service.name()).size();
      String v5 = repo.commit("main", ServiceRepo.GOOD, "v5");
      byte[] body = Pushes.body("main", v5);
      deployer.handler().handle(Pushes.event(ENDPOINT, "delivery-both", body));
      other.handler().handle(Pushes.event(ENDPOINT, "delivery-both", body));

      assertThat(deployer.history(service.name())).hasSize(deployments + 1);
      Deployment d = awaitEnd(v5);
      await().atMost(Duration.ofSeconds(30)).until(() -> other.isIdle(service.name()));
      assertThat(d.status()).isEqualTo(DeploymentStatus.RUNNING);
      assertThat(docker.serviceContainers(service.name())).filteredOn(c -> v5.equals(c.getLabels().get(ContainerTarget.LABEL_COMMIT))).hasSize(1);
      assertThat(docker.fetch(ALIAS)).isEqualTo("v5");
    } finally {
      other.close();
    }
  }
}
