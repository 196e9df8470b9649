package dev.hooks.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import dev.hooks.event.WebhookEvent;
import dev.hooks.jdbc.JdbcJournals;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two server replicas deploy one service: two {@link Deployer}s, each with its own connection
 * pool and {@code JdbcStateStore} on one real PostgreSQL, against the real Docker Engine. A push
 * delivered to both is deployed once; two different pushes arriving together are deployed one
 * after the other under the service's lease; when the replica holding the lease stops in the
 * middle of a deploy, the other takes the lease and deploys the next push. The tests run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployReplicasIT {
  private static final String ENDPOINT = "deploy-github";
  private static final String ALIAS = "web";

  private EmbeddedPostgres postgres;
  private Path dir;
  private DockerFixture docker;
  private ServiceRepo repo;
  private JdbcJournals dbA;
  private JdbcJournals dbB;
  private DeployService service;
  private Deployer a;
  private Deployer b;
  private boolean aStopped;

  @BeforeAll
  void setUp() throws Exception {
    postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
    dir = Files.createTempDirectory("hooks-deploy-replicas-it");
    docker = new DockerFixture(dir, "hooks-deploy-replicas-it");
    repo = ServiceRepo.create(dir.resolve("repo"));
    String url = postgres.getJdbcUrl("postgres", "postgres");
    dbA = JdbcJournals.builder().url(url).user("postgres").password("").purgeInterval(Duration.ZERO).build();
    dbB = JdbcJournals.builder().url(url).user("postgres").password("").purgeInterval(Duration.ZERO).build();
    service = DeployService.builder(docker.prefix + "-web", repo.uri())
        .branch("main").endpoint(ENDPOINT).network(docker.network).alias(ALIAS).port(8000)
        .gate(HealthGate.builder().dockerHealthcheck(true).deadline(Duration.ofSeconds(30)).build())
        .build();
    a = replica(dbA, "work-a");
    b = replica(dbB, "work-b");
  }

  private Deployer replica(JdbcJournals db, String work) {
    return Deployer.builder(db.stateStore(), docker.docker, dir.resolve(work))
        .service(service)
        .lease(Duration.ofSeconds(3))
        .build()
        .start();
  }

  @AfterAll
  void tearDown() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {a, b, dbA, dbB, repo, docker, postgres}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  @Order(1)
  void aPushDeliveredToBothReplicasIsBuiltAndStartedOnce() throws Exception {
    String v1 = repo.commit("main", ServiceRepo.GOOD, "v1");
    WebhookEvent push = Pushes.event(ENDPOINT, "delivery-1", "main", v1);

    atOnce(() -> a.handler().handle(push), () -> b.handler().handle(push));

    Deployment d = awaitEnd(v1);
    assertThat(d.status()).isEqualTo(DeploymentStatus.RUNNING);
    assertThat(deploymentsOf(v1)).as("one deployment of the push, seen alike by both replicas").hasSize(1);
    assertThat(b.history(service.name())).extracting(Deployment::id).containsExactlyElementsOf(
        a.history(service.name()).stream().map(Deployment::id).toList());
    assertThat(docker.serviceContainers(service.name())).as("one container started").singleElement()
        .satisfies(c -> assertThat(c.getLabels()).containsEntry(ContainerTarget.LABEL_DEPLOYMENT, d.id()));
    assertThat(imagesOf(service.name())).as("one image built").hasSize(1);
    assertThat(docker.fetch(ALIAS)).isEqualTo("v1");
  }

  @Test
  @Order(2)
  void twoDifferentPushesOnTwoReplicasAreDeployedOneAfterTheOtherAndOneContainerKeepsTheAlias() throws Exception {
    String v2 = repo.commit("main", ServiceRepo.GOOD, "v2");
    String v3 = repo.commit("main", ServiceRepo.GOOD, "v3");

    atOnce(() -> a.handler().handle(Pushes.event(ENDPOINT, "delivery-2", "main", v2)),
        () -> b.handler().handle(Pushes.event(ENDPOINT, "delivery-3", "main", v3)));

    Deployment d2 = awaitEnd(v2);
    Deployment d3 = awaitEnd(v3);
    assertThat(deploymentsOf(v2)).hasSize(1);
    assertThat(deploymentsOf(v3)).hasSize(1);
    assertThat(List.of(d2.status(), d3.status())).as("both promoted, the later one serving")
        .containsExactlyInAnyOrder(DeploymentStatus.RUNNING, DeploymentStatus.STOPPED);
    Deployment first = d2.finishedAt().orElseThrow().isBefore(d3.finishedAt().orElseThrow()) ? d2 : d3;
    Deployment last = first == d2 ? d3 : d2;
    assertThat(last.startedAt).as("the lease let one replica deploy at a time").isAfterOrEqualTo(first.finishedAt().orElseThrow());
    assertThat(last.status()).isEqualTo(DeploymentStatus.RUNNING);

    List<Container> running = runningContainers();
    assertThat(running).as("one container serves").singleElement()
        .satisfies(c -> assertThat(c.getLabels()).containsEntry(ContainerTarget.LABEL_DEPLOYMENT, last.id()));
    for (Deployment d : List.of(d2, d3)) {
      assertThat(docker.serviceContainers(service.name()))
          .filteredOn(c -> d.id().equals(c.getLabels().get(ContainerTarget.LABEL_DEPLOYMENT)))
          .as("one container started for %s", d.id()).hasSize(1);
    }
    assertThat(docker.fetch(ALIAS)).isEqualTo(last == d2 ? "v2" : "v3");
    assertThat(a.current(service.name()).map(Deployment::id)).contains(last.id());
    assertThat(b.current(service.name()).map(Deployment::id)).contains(last.id());
  }

  @Test
  @Order(3)
  void whenTheReplicaDeployingStopsTheOtherTakesTheLeaseAndDeploysTheNextPush() throws Exception {
    String serving = a.current(service.name()).orElseThrow().id();
    String v4 = repo.commit("main", ServiceRepo.SLOW, "v4");
    a.handler().handle(Pushes.event(ENDPOINT, "delivery-4", "main", v4));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
        deploymentsOf(v4).stream().anyMatch(d -> d.status() == DeploymentStatus.BUILDING));

    a.close();
    aStopped = true;
    String v5 = repo.commit("main", ServiceRepo.GOOD, "v5");
    b.handler().handle(Pushes.event(ENDPOINT, "delivery-5", "main", v5));

    Deployment d5 = awaitEnd(v5);
    assertThat(d5.status()).isEqualTo(DeploymentStatus.RUNNING);
    Deployment d4 = deploymentsOf(v4).get(0);
    assertThat(d4.status()).as("the stopped replica's deploy never went live").isNotIn(DeploymentStatus.RUNNING, DeploymentStatus.STOPPED);
    assertThat(docker.serviceContainers(service.name()))
        .noneMatch(c -> d4.id().equals(c.getLabels().get(ContainerTarget.LABEL_DEPLOYMENT)));
    assertThat(runningContainers()).singleElement()
        .satisfies(c -> assertThat(c.getLabels()).containsEntry(ContainerTarget.LABEL_DEPLOYMENT, d5.id()));
    assertThat(docker.fetch(ALIAS)).isEqualTo("v5");
    assertThat(b.history(service.name())).extracting(Deployment::id).contains(serving);
  }

  /** A delivery to one replica's handler. */
  private interface Delivering {
    void run() throws Exception;
  }

  private void atOnce(Delivering first, Delivering second) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Delivering r : List.of(first, second)) {
        done.add(pool.submit(() -> {
          go.await();
          r.run();
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private List<Deployment> deploymentsOf(String commit) {
    return b.history(service.name()).stream().filter(d -> commit.equals(d.commit().orElse(null))).toList();
  }

  private Deployment awaitEnd(String commit) {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
        deploymentsOf(commit).stream().anyMatch(d -> d.status().isTerminal()) && b.isIdle(service.name()) && (aStopped || a.isIdle(service.name())));
    return deploymentsOf(commit).get(0);
  }

  private List<Container> runningContainers() {
    return docker.serviceContainers(service.name()).stream().filter(c -> "running".equals(c.getState())).toList();
  }

  private List<Image> imagesOf(String name) {
    return docker.docker.listImagesCmd().withLabelFilter(Map.of(ContainerTarget.LABEL_SERVICE, name)).exec();
  }
}
