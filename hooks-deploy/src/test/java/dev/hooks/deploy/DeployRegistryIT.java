package dev.hooks.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hooks.state.InMemoryStateStore;
import dev.hooks.verify.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The registry option against a real Distribution registry (Debian's docker-registry) on
 * loopback with basic auth: the built image is pushed with the service's credentials and the
 * plain-container target pulls it back before starting it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployRegistryIT {
  private static final String ENDPOINT = "deploy-github";

  private Path dir;
  private DockerFixture docker;
  private ServiceRepo repo;
  private LocalRegistry registry;

  @BeforeAll
  void setUp() throws Exception {
    dir = Files.createTempDirectory("deploy2-registry-it");
    docker = new DockerFixture(dir, "deploy2-reg");
    repo = ServiceRepo.create(dir.resolve("repo"));
    registry = new LocalRegistry(dir.resolve("registry"));
  }

  @AfterAll
  void tearDown() {
    if (registry != null) {
      registry.close();
    }
    if (repo != null) {
      repo.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  private DeployService service(String name, String alias, Secret password) {
    return DeployService.builder(docker.prefix + "-" + name, repo.uri())
        .branch("main").endpoint(ENDPOINT).network(docker.network).alias(alias).port(8000)
        .gate(HealthGate.builder().dockerHealthcheck(true).deadline(Duration.ofSeconds(20)).build())
        .registry("http://" + registry.host + "/")
        .registryCredentials(registry.user, password)
        .build();
  }

  private Deployment deployOnce(DeployService s, String commit, String delivery) throws Exception {
    try (Deployer deployer = Deployer.builder(new InMemoryStateStore(), docker.docker, dir.resolve("work-" + s.name())).service(s).build().start()) {
      deployer.handler().handle(Pushes.event(ENDPOINT, delivery, "main", commit));
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
          deployer.history(s.name()).stream().anyMatch(d -> d.status().isTerminal()) && deployer.isIdle(s.name()));
      return deployer.history(s.name()).get(0);
    }
  }

  @Test
  void theImageIsPushedWithTheCredentialsAndTheContainerRunsWhatTheRegistryServes() throws Exception {
    String v1 = repo.commit("main", ServiceRepo.GOOD, "v1-from-registry");
    DeployService s = service("web", "web", Secret.of(registry.password));
    String tag = v1.substring(0, 7);

    Deployment d = deployOnce(s, v1, "delivery-registry-1");

    assertThat(d.status()).as(d.reason().orElse("")).isEqualTo(DeploymentStatus.RUNNING);
    assertThat(d.image()).contains(registry.host + "/" + s.name() + ":" + tag);
    assertThat(d.steps()).extracting(Deployment.Step::name).containsExactly("fetch", "build", "push", "pull", "start", "gate", "promote");
    // the registry holds the tag, and only for an authenticated client
    assertThat(registry.get("/v2/" + s.name() + "/tags/list", true).body()).contains("\"" + tag + "\"");
    assertThat(registry.get("/v2/" + s.name() + "/tags/list", false).statusCode()).isEqualTo(401);
    // the access log: the push PUTs the manifest; the pull then asks for it again (a HEAD, as the
    // layers are on the Engine already; a GET when they are not)
    java.util.List<String> log = registry.logLines();
    String manifest = "/v2/" + s.name() + "/manifests/" + tag + " HTTP";
    int put = indexOf(log, "\"PUT " + manifest, 0);
    assertThat(put).isNotNegative();
    assertThat(Math.max(indexOf(log, "\"HEAD " + manifest, put), indexOf(log, "\"GET " + manifest, put))).isGreaterThan(put);
    var container = docker.docker.inspectContainerCmd(d.container().orElseThrow()).exec();
    assertThat(container.getConfig().getImage()).isEqualTo(registry.host + "/" + s.name() + ":" + tag);
    assertThat(docker.fetch("web")).isEqualTo("v1-from-registry");
    assertThat(String.join("\n", d.buildLog())).doesNotContain(registry.password);
  }

  private static int indexOf(java.util.List<String> lines, String text, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aPushTheRegistryRefusesFailsTheDeploymentBeforeAnyContainerStarts() throws Exception {
    String v1 = repo.commit("main", ServiceRepo.GOOD, "v1-refused");
    DeployService s = service("refused", "refused", Secret.of("not-the-password"));

    Deployment d = deployOnce(s, v1, "delivery-registry-2");

    assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
    assertThat(d.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("push failed: ").contains("unauthorized")
        .doesNotContain("not-the-password"));
    assertThat(d.steps()).extracting(st -> st.name() + ":" + st.outcome()).contains("build:ok", "push:failed");
    assertThat(d.container()).isEmpty();
    assertThat(docker.serviceContainers(s.name())).isEmpty();
  }

  @Test
  void aSwarmServiceIsCreatedFromTheImageTheRegistryServesWithTheCredentials() throws Exception {
    boolean initialized = false;
    if (!"ACTIVE".equals(docker.docker.infoCmd().exec().getSwarm().getLocalNodeState().name())) {
      run("docker", "swarm", "init", "--advertise-addr", "127.0.0.1");
      initialized = true;
    }
    DeployService base = service("swarm", "unused", Secret.of(registry.password));
    DeployService s = DeployService.builder(base.name(), repo.uri()).branch("main").endpoint(ENDPOINT).port(8000)
        .gate(base.gate())
        .registry(registry.host).registryCredentials(registry.user, Secret.of(registry.password))
        .swarm(SwarmOptions.builder().monitor(java.time.Duration.ofSeconds(1)).build())
        .build();
    try {
      String v1 = repo.commit("main", ServiceRepo.GOOD, "v1-swarm-from-registry");
      Deployment d = deployOnce(s, v1, "delivery-registry-3");

      assertThat(d.status()).as(d.reason().orElse("")).isEqualTo(DeploymentStatus.RUNNING);
      assertThat(d.steps()).extracting(Deployment.Step::name).containsExactly("fetch", "build", "push", "pull", "start", "gate");
      String tag = v1.substring(0, 7);
      String remote = registry.host + "/" + s.name() + ":" + tag;
      var svc = docker.docker.inspectServiceCmd(s.name()).exec();
      assertThat(svc.getSpec().getTaskTemplate().getContainerSpec().getImage()).isEqualTo(remote);
      var task = docker.docker.listTasksCmd().withServiceFilter(s.name()).exec().stream()
          .filter(t -> t.getStatus().getState() == com.github.dockerjava.api.model.TaskState.RUNNING).findFirst().orElseThrow();
      assertThat(docker.docker.inspectContainerCmd(task.getStatus().getContainerStatus().getContainerID()).exec().getConfig().getImage())
          .isEqualTo(remote);
      // pushed with the credentials, then asked for again by the pull before the service update
      java.util.List<String> log = registry.logLines();
      String manifest = "/v2/" + s.name() + "/manifests/" + tag + " HTTP";
      int put = indexOf(log, "\"PUT " + manifest, 0);
      assertThat(put).isNotNegative();
      assertThat(Math.max(indexOf(log, "\"HEAD " + manifest, put), indexOf(log, "\"GET " + manifest, put))).isGreaterThan(put);
    } finally {
      try {
        docker.docker.removeServiceCmd(s.name()).exec();
        await().atMost(Duration.ofSeconds(20)).until(() -> docker.docker.listContainersCmd().withShowAll(true)
            .withLabelFilter(java.util.Map.of("com.docker.swarm.service.name", s.name())).exec().isEmpty());
      } catch (RuntimeException e) {
        // never created
      }
      if (initialized) {
        run("docker", "swarm", "leave", "--force");
      }
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
