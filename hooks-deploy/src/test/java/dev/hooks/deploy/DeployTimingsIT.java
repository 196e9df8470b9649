package dev.hooks.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import dev.hooks.state.InMemoryStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Times push to deploy on the real Engine for the tiny busybox image and prints the figures that
 * docs/performance.md records: from the push handed to the deployer to the new deployment
 * serving, split into its steps; a rollback to the previous deployment; and, in the same run,
 * the Engine's own floor: a bare create and start of the same image until its HEALTHCHECK says
 * healthy.
 *
 * <pre>./mvnw -q -pl hooks-deploy -am verify -Dit.test=DeployTimingsIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployTimingsIT {
  private static final String ENDPOINT = "deploy-github";
  private static final int ROUNDS = 5;

  private Path dir;
  private DockerFixture docker;
  private ServiceRepo repo;
  private Deployer deployer;
  private DeployService service;

  @BeforeAll
  void setUp() throws Exception {
    dir = Files.createTempDirectory("deploy2-timings-it");
    docker = new DockerFixture(dir, "deploy2-time");
    repo = ServiceRepo.create(dir.resolve("repo"));
    service = DeployService.builder(docker.prefix + "-web", repo.uri())
        .branch("main").endpoint(ENDPOINT).network(docker.network).alias("web").port(8000)
        .gate(HealthGate.builder().dockerHealthcheck(true).deadline(Duration.ofSeconds(30)).build())
        .retain(ROUNDS + 2)
        .build();
    deployer = Deployer.builder(new InMemoryStateStore(), docker.docker, dir.resolve("work")).service(service).build().start();
  }

  @AfterAll
  void tearDown() {
    if (deployer != null) {
      deployer.close();
    }
    if (repo != null) {
      repo.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  private Deployment awaitEnd(String id) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(5)).until(() ->
        deployer.find(service.name(), id).map(d -> d.status().isTerminal()).orElse(false));
    return deployer.find(service.name(), id).orElseThrow();
  }

  @Test
  void pushToServingRollbackAndTheBareEngineFloor() throws Exception {
    Map<String, List<Long>> deploy = new LinkedHashMap<>();
    Map<String, List<Long>> rollback = new LinkedHashMap<>();
    List<Long> bare = new ArrayList<>();
    // one deployment first, so every timed one replaces a running one and finds the base layers built
    String warm = repo.commit("main", ServiceRepo.GOOD, "warm");
    deployer.handler().handle(Pushes.event(ENDPOINT, "timing-warm", "main", warm));
    await().atMost(Duration.ofSeconds(90)).until(() -> deployer.current(service.name()).isPresent() && deployer.isIdle(service.name()));

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String page = "round-" + i;
      String commit = repo.commit("main", ServiceRepo.GOOD, page);
      long t0 = System.nanoTime();
      deployer.handler().handle(Pushes.event(ENDPOINT, "timing-" + i, "main", commit));
      String id = Deployer.idOf(service.name(), "timing-" + i);
      Deployment d = awaitEnd(id);
      long total = (System.nanoTime() - t0) / 1_000_000;
      assertThat(d.status()).as(d.reason().orElse("")).isEqualTo(DeploymentStatus.RUNNING);
      assertThat(docker.fetch("web")).isEqualTo(page);
      record(deploy, d, total);
      ids.add(id);
      await().atMost(Duration.ofSeconds(10)).until(() -> deployer.isIdle(service.name()));
    }
    for (int i = 0; i < 3; i++) {
      // back to the deployment before the current one, whose container is kept stopped
      String to = ids.get(ids.size() - 2 - i);
      long t0 = System.nanoTime();
      Deployment r = deployer.rollback(service.name(), to);
      Deployment d = awaitEnd(r.id());
      long total = (System.nanoTime() - t0) / 1_000_000;
      assertThat(d.status()).as(d.reason().orElse("")).isEqualTo(DeploymentStatus.RUNNING);
      record(rollback, d, total);
      await().atMost(Duration.ofSeconds(10)).until(() -> deployer.isIdle(service.name()));
    }
    String image = deployer.current(service.name()).flatMap(Deployment::image).orElseThrow();
    for (int i = 0; i < ROUNDS; i++) {
      long t0 = System.nanoTime();
      CreateContainerResponse c = docker.docker.createContainerCmd(image).withName(docker.prefix + "-bare-" + i)
          .withHostConfig(HostConfig.newHostConfig().withNetworkMode(docker.network).withInit(true)).exec();
      docker.docker.startContainerCmd(c.getId()).exec();
      while (!"healthy".equals(docker.docker.inspectContainerCmd(c.getId()).exec().getState().getHealth().getStatus())) {
        Thread.sleep(20);
      }
      bare.add((System.nanoTime() - t0) / 1_000_000);
      docker.docker.removeContainerCmd(c.getId()).withForce(true).exec();
    }

    System.out.println("deploy timings (ms, median [min..max] over n runs; image " + image + "):");
    deploy.forEach((k, v) -> System.out.println("  push -> serving  " + k + ": " + summary(v)));
    rollback.forEach((k, v) -> System.out.println("  rollback         " + k + ": " + summary(v)));
    System.out.println("  bare create+start until healthy: " + summary(bare));
    assertThat(bare).hasSize(ROUNDS);
  }

  private static void record(Map<String, List<Long>> into, Deployment d, long total) {
    for (Deployment.Step s : d.steps()) {
      into.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s.durationMs());
    }
    into.computeIfAbsent("total", k -> new ArrayList<>()).add(total);
  }

  private static String summary(List<Long> v) {
    List<Long> s = new ArrayList<>(v);
    s.sort(null);
    return s.get(s.size() / 2) + " [" + s.get(0) + ".." + s.get(s.size() - 1) + "] n=" + s.size();
  }
}
