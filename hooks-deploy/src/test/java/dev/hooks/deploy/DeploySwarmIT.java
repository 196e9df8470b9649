package dev.hooks.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceUpdateState;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import dev.hooks.state.InMemoryStateStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Swarm target on a real single-node Docker Swarm (initialized here when the Engine is not
 * in one, and left afterwards): pushes become {@code service update}s, start-first with failure
 * action rollback; an update whose HEALTHCHECK fails is rolled back by the swarm while the old
 * task keeps answering on its host-mode port. The tests run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploySwarmIT {
  private static final String ENDPOINT = "deploy-github";

  private Path dir;
  private DockerFixture docker;
  private ServiceRepo repo;
  private boolean initializedSwarm;
  private Deployer deployer;
  private final InMemoryStateStore stateStore = new InMemoryStateStore();
  private final DeploymentStore store = new DeploymentStore(stateStore);
  private DeployService service;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private int deliveries;
  private String v2Image;
  private String v1Deployment;

  @BeforeAll
  void setUp() throws Exception {
    dir = Files.createTempDirectory("deploy2-swarm-it");
    docker = new DockerFixture(dir, "deploy2-swarm");
    repo = ServiceRepo.create(dir.resolve("repo"));
    String state = docker.docker.infoCmd().exec().getSwarm().getLocalNodeState().name();
    if (!"ACTIVE".equals(state)) {
      run("docker", "swarm", "init", "--advertise-addr", "127.0.0.1");
      initializedSwarm = true;
    }
    service = DeployService.builder(docker.prefix + "-web", repo.uri())
        .branch("main").endpoint(ENDPOINT).port(8000)
        .gate(HealthGate.builder().dockerHealthcheck(true).deadline(Duration.ofSeconds(45)).build())
        .swarm(SwarmOptions.builder().monitor(Duration.ofSeconds(2)).build())
        .build();
    deployer = Deployer.builder(stateStore, docker.docker, dir.resolve("work")).service(service).build().start();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (deployer != null) {
      deployer.close();
    }
    try {
      docker.docker.removeServiceCmd(service.name()).exec();
      // the service's task containers go with it
      await().atMost(Duration.ofSeconds(20)).until(() -> docker.docker.listContainersCmd().withShowAll(true)
          .withLabelFilter(java.util.Map.of("com.docker.swarm.service.name", service.name())).exec().isEmpty());
    } catch (RuntimeException e) {
      // never created
    }
    if (initializedSwarm) {
      run("docker", "swarm", "leave", "--force");
    }
    if (repo != null) {
      repo.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  private Deployment deploy(String commit) throws Exception {
    deployer.handler().handle(Pushes.event(ENDPOINT, "delivery-swarm-" + (++deliveries), "main", commit));
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
        deployer.history(service.name()).stream().anyMatch(d -> commit.equals(d.commit().orElse(null)) && d.status().isTerminal())
            && deployer.isIdle(service.name()));
    return deployer.history(service.name()).stream().filter(d -> commit.equals(d.commit().orElse(null))).findFirst().orElseThrow();
  }

  /** The host port of the running task of {@code image}, published in host mode. */
  private int hostPort(String image) {
    Task t = docker.docker.listTasksCmd().withServiceFilter(service.name()).exec().stream()
        .filter(x -> x.getStatus().getState() == TaskState.RUNNING && SwarmTarget.sameImage(x.getSpec().getContainerSpec().getImage(), image))
        .findFirst().orElseThrow(() -> new AssertionError("no running task of " + image));
    String container = t.getStatus().getContainerStatus().getContainerID();
    Ports.Binding[] b = docker.docker.inspectContainerCmd(container).exec().getNetworkSettings().getPorts().getBindings()
        .get(ExposedPort.tcp(8000));
    return Integer.parseInt(b[0].getHostPortSpec());
  }

  private String page(int port) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body().strip() : "HTTP " + r.statusCode();
    } catch (IOException e) {
      return "FAIL " + e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "FAIL interrupted";
    }
  }

  @Test
  @Order(1)
  void aGoodCommitCreatesThenUpdatesTheSwarmServiceStartFirstWithRollbackOnFailure() throws Exception {
    String v1 = repo.commit("main", ServiceRepo.GOOD, "swarm-v1");
    Deployment d1 = deploy(v1);
    assertThat(d1.status()).as(d1.reason().orElse("")).isEqualTo(DeploymentStatus.RUNNING);
    assertThat(page(hostPort(d1.image().orElseThrow()))).isEqualTo("swarm-v1");
    v1Deployment = d1.id();

    String v2 = repo.commit("main", ServiceRepo.GOOD, "swarm-v2");
    Deployment d2 = deploy(v2);
    v2Image = d2.image().orElseThrow();

    assertThat(d2.status()).as(d2.reason().orElse("")).isEqualTo(DeploymentStatus.RUNNING);
    assertThat(d2.steps()).extracting(Deployment.Step::name).containsExactly("fetch", "build", "start", "gate");
    Service svc = docker.docker.inspectServiceCmd(service.name()).exec();
    assertThat(SwarmTarget.sameImage(svc.getSpec().getTaskTemplate().getContainerSpec().getImage(), v2Image)).isTrue();
    assertThat(svc.getUpdateStatus().getState()).isEqualTo(ServiceUpdateState.COMPLETED);
    assertThat(svc.getSpec().getUpdateConfig().getOrder()).isEqualTo(UpdateOrder.START_FIRST);
    assertThat(svc.getSpec().getUpdateConfig().getFailureAction()).isEqualTo(UpdateFailureAction.ROLLBACK);
    assertThat(svc.getSpec().getUpdateConfig().getMonitor()).isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(svc.getSpec().getRollbackConfig().getOrder()).isEqualTo(UpdateOrder.START_FIRST);
    assertThat(svc.getSpec().getEndpointSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPublishMode()).isEqualTo(com.github.dockerjava.api.model.PortConfig.PublishMode.host));
    assertThat(page(hostPort(v2Image))).isEqualTo("swarm-v2");
    assertThat(deployer.current(service.name()).map(Deployment::id)).contains(d2.id());
  }

  @Test
  @Order(2)
  void aCommitWhoseHealthcheckFailsIsRolledBackByTheSwarmWhileTheOldTaskKeepsAnswering() throws Exception {
    int port = hostPort(v2Image);
    List<String> answers = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean polling = new AtomicBoolean(true);
    Thread prober = new Thread(() -> {
      while (polling.get()) {
        answers.add(page(port));
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    prober.start();
    String bad = repo.commit("main", ServiceRepo.UNHEALTHY, "swarm-v3-unhealthy");
    Deployment d;
    try {
      d = deploy(bad);
    } finally {
      polling.set(false);
      prober.join(5_000);
    }

    assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
    assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).contains("the swarm rolled the update back"));
    assertThat(d.steps()).extracting(s -> s.name() + ":" + s.outcome()).contains("gate:failed");
    assertThat(answers).hasSizeGreaterThan(20).containsOnly("swarm-v2");
    Service svc = docker.docker.inspectServiceCmd(service.name()).exec();
    assertThat(SwarmTarget.sameImage(svc.getSpec().getTaskTemplate().getContainerSpec().getImage(), v2Image)).isTrue();
    assertThat(svc.getUpdateStatus().getState()).isEqualTo(ServiceUpdateState.ROLLBACK_COMPLETED);
    assertThat(page(hostPort(v2Image))).isEqualTo("swarm-v2");
    assertThat(deployer.current(service.name()).flatMap(Deployment::image)).contains(v2Image);
    assertThat(deployer.state(service.name()).status()).isEqualTo("running");
  }

  @Test
  @Order(3)
  void aManualRollbackUpdatesTheServiceBackToANamedDeploymentsImage() throws Exception {
    Deployment r = deployer.rollback(service.name(), v1Deployment);
    await().atMost(Duration.ofSeconds(90)).until(() -> deployer.find(service.name(), r.id()).map(d -> d.status().isTerminal()).orElse(false)
        && deployer.isIdle(service.name()));

    Deployment d = deployer.find(service.name(), r.id()).orElseThrow();
    assertThat(d.status()).as(d.reason().orElse("")).isEqualTo(DeploymentStatus.RUNNING);
    String v1Image = deployer.find(service.name(), v1Deployment).flatMap(Deployment::image).orElseThrow();
    Service svc = docker.docker.inspectServiceCmd(service.name()).exec();
    assertThat(SwarmTarget.sameImage(svc.getSpec().getTaskTemplate().getContainerSpec().getImage(), v1Image)).isTrue();
    assertThat(page(hostPort(v1Image))).isEqualTo("swarm-v1");
    assertThat(deployer.current(service.name()).map(Deployment::id)).contains(r.id());
  }

  @Test
  @Order(4)
  void aRestartDuringAnUpdateEndsItFailedAndGivesTheServiceBackTheCurrentImage() throws Exception {
    deployer.close();
    String current = deployer.current(service.name()).flatMap(Deployment::image).orElseThrow();
    // What a process killed during the swarm's update leaves: a deploying record, the service updating to its image.
    Deployment d = new Deployment();
    d.id = "crashedswarm1";
    d.service = service.name();
    d.commit = deployer.history(service.name()).stream().filter(x -> x.image().map(v2Image::equals).orElse(false))
        .findFirst().flatMap(Deployment::commit).orElseThrow();
    d.status = DeploymentStatus.DEPLOYING;
    d.createdAt = java.time.Instant.now();
    d.image = v2Image;
    store.save(d);
    new SwarmTarget(docker.docker, java.time.Clock.systemUTC()).deploy(service, d, v2Image);

    deployer = Deployer.builder(stateStore, docker.docker, dir.resolve("work")).service(service).build().start();

    await().atMost(Duration.ofSeconds(30)).until(() -> deployer.find(service.name(), "crashedswarm1").map(x -> x.status().isTerminal()).orElse(false));
    Deployment after = deployer.find(service.name(), "crashedswarm1").orElseThrow();
    assertThat(after.status()).isEqualTo(DeploymentStatus.FAILED);
    assertThat(after.reason()).hasValueSatisfying(r -> assertThat(r).contains("interrupted by a restart while deploying"));
    Service svc = docker.docker.inspectServiceCmd(service.name()).exec();
    assertThat(SwarmTarget.sameImage(svc.getSpec().getTaskTemplate().getContainerSpec().getImage(), current)).isTrue();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> "swarm-v1".equals(page(hostPort(current))));
  }
}
