package dev.hooks.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import dev.hooks.deploy.Deployer;
import dev.hooks.server.ServerProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the server as a child JVM while a deployment is in its health gate, then a restart
 * on the same data directory: the interrupted deployment ends {@code failed} with the reason,
 * its container is stopped and off the network, and the previous deployment alone holds the
 * alias and answers.
 */
class DeployKillIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "kill-push-secret-" + UUID.randomUUID();
  private static final String TOKEN = "kill-admin-token-" + UUID.randomUUID();
  private static final String GOOD = """
      FROM scratch
      COPY busybox /bin/busybox
      RUN ["/bin/busybox","--install","-s","/bin"]
      COPY www /www
      HEALTHCHECK --interval=300ms --timeout=2s --retries=3 CMD wget -q -O- http://127.0.0.1:8000/ || exit 1
      CMD ["/bin/httpd","-f","-p","8000","-h","/www"]
      """;
  /** Serves, but stays "starting": its check fails inside a start period longer than the test. */
  private static final String SLOW_GATE = GOOD.replace("HEALTHCHECK --interval=300ms", "HEALTHCHECK --start-period=300s --interval=300ms")
      .replace("127.0.0.1:8000/ ||", "127.0.0.1:8000/ready ||");

  @TempDir Path dir;
  private final String prefix = "deploy2-kill-" + UUID.randomUUID().toString().substring(0, 8);
  private final String service = prefix + "-web";
  private final String network = prefix + "-net";
  private final String alias = prefix + "-alias";
  private final DockerClient docker = Deployer.dockerClient();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ServerProcess> started = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    started.forEach(c -> c.process().destroyForcibly());
    for (ServerProcess c : started) {
      c.process().waitFor(20, TimeUnit.SECONDS);
    }
    // the children's logs, kept beside the test reports
    for (String name : List.of("first", "second")) {
      Path log = dir.resolve(name + ".log");
      if (Files.exists(log)) {
        Files.copy(log, Files.createDirectories(Path.of("target", "failsafe-reports")).resolve("DeployKillIT-" + name + ".log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
      if (List.of(c.getNames()).stream().anyMatch(n -> n.startsWith("/" + prefix))) {
        docker.removeContainerCmd(c.getId()).withForce(true).exec();
      }
    }
    docker.listImagesCmd().exec().stream()
        .filter(i -> i.getRepoTags() != null && List.of(i.getRepoTags()).stream().anyMatch(t -> t.startsWith(prefix) && !t.startsWith(prefix + "-base")))
        .forEach(i -> removeImage(i.getId()));
    removeImage(prefix + "-base");
    try {
      docker.removeNetworkCmd(network).exec();
    } catch (RuntimeException e) {
      // never made
    }
    docker.close();
  }

  private void removeImage(String id) {
    try {
      docker.removeImageCmd(id).withForce(true).exec();
    } catch (RuntimeException e) {
      // already gone
    }
  }

  @Test
  void aServerKilledDuringTheGateRestartsWithTheInterruptedDeploymentFailedAndTheOldOneAloneOnTheAlias() throws Exception {
    Path repoDir = dir.resolve("repo");
    Git git = Git.init().setDirectory(repoDir.toFile()).setInitialBranch("main").call();
    Files.copy(Path.of("/bin/busybox"), repoDir.resolve("busybox"));
    docker.createNetworkCmd().withName(network).withDriver("bridge").exec();
    buildBase();
    Path config = dir.resolve("hooks.yaml");
    Files.writeString(config, """
        endpoints:
          - id: github
            provider: github
            verifier:
              secrets: ["%s"]
        notify:
          targets:
            discord:
              url: http://127.0.0.1:9/api/webhooks/1/unreachable
              allow-plain-http: true
        admin:
          token: "%s"
        deploy:
          lease: 2s
          services:
            %s:
              repository: "%s"
              endpoints: [github]
              network: %s
              alias: %s
              gate:
                docker-healthcheck: true
                deadline: 240s
        """.formatted(SECRET, TOKEN, service, repoDir.toUri(), network, alias));
    Path data = dir.resolve("data");

    int port = startChild(config, data, "first");
    String v1 = commit(git, repoDir, GOOD, "v1");
    assertThat(send(port, "deploy2-kill-1", v1)).isEqualTo(202);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      JsonNode s = admin(port, "");
      return v1.equals(s.path("commit").asText()) && "running".equals(s.path("status").asText()) && !s.has("in_progress");
    });
    assertThat(fetch()).isEqualTo("v1");

    String v2 = commit(git, repoDir, SLOW_GATE, "v2-slow-gate");
    assertThat(send(port, "deploy2-kill-2", v2)).isEqualTo(202);
    JsonNode[] gating = new JsonNode[1];
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      JsonNode newest = admin(port, "/deployments").get(0);
      gating[0] = newest;
      return v2.equals(newest.path("commit").asText()) && "deploying".equals(newest.path("status").asText()) && newest.has("container");
    });
    String interrupted = gating[0].path("id").asText();
    String newContainer = gating[0].path("container").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> "starting".equals(health(newContainer)));

    Process first = started.get(0).process();
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // what the killed process left: both containers running, the new one off the alias
    assertThat(docker.inspectContainerCmd(newContainer).exec().getState().getRunning()).isTrue();
    assertThat(holdersOfTheAlias()).hasSize(1);
    assertThat(fetch()).isEqualTo("v1");

    int second = startChild(config, data, "second");
    // the recovery ends the deployment first, then gives the service back its state
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
        "failed".equals(admin(second, "/deployments/" + interrupted).path("status").asText())
            && "running".equals(admin(second, "").path("service_status").asText()));

    JsonNode after = admin(second, "/deployments/" + interrupted);
    assertThat(after.path("reason").asText()).isEqualTo("interrupted by a restart while deploying; the previous deployment kept serving");
    JsonNode svc = admin(second, "");
    assertThat(svc.path("commit").asText()).isEqualTo(v1);
    assertThat(svc.path("status").asText()).isEqualTo("running");
    assertThat(svc.path("service_status").asText()).isEqualTo("running");
    InspectContainerResponse left = docker.inspectContainerCmd(newContainer).exec();
    assertThat(left.getState().getRunning()).isFalse();
    assertThat(left.getNetworkSettings().getNetworks()).doesNotContainKey(network);
    List<String> holders = holdersOfTheAlias();
    String v1Container = null;
    for (JsonNode d : admin(second, "/deployments")) {
      if (v1.equals(d.path("commit").asText()) && "running".equals(d.path("status").asText())) {
        v1Container = d.path("container").asText();
      }
    }
    assertThat(holders).singleElement().isEqualTo("/" + v1Container);
    assertThat(fetch()).isEqualTo("v1");
    git.close();
  }

  /** The names of the service's containers that hold the alias on the network. */
  private List<String> holdersOfTheAlias() {
    List<String> out = new ArrayList<>();
    for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("dev.hooks.deploy.service", service)).exec()) {
      ContainerNetwork n = docker.inspectContainerCmd(c.getId()).exec().getNetworkSettings().getNetworks().get(network);
      if (n != null && n.getAliases() != null && n.getAliases().contains(alias)) {
        out.add(c.getNames()[0]);
      }
    }
    return out;
  }

  private String health(String container) {
    var h = docker.inspectContainerCmd(container).exec().getState().getHealth();
    return h == null ? "none" : h.getStatus();
  }

  private JsonNode admin(int port, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/deploy/services/" + service + path))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private int send(int port, String delivery, String commit) throws Exception {
    ObjectNode root;
    // the octokit example push (src/test/resources/github/README.md), moved to main at the commit
    try (InputStream in = DeployKillIT.class.getResourceAsStream("/github/push-with-new-branch.json")) {
      root = (ObjectNode) JSON.readTree(in);
    }
    root.put("ref", "refs/heads/main");
    root.put("after", commit);
    ((ObjectNode) root.path("head_commit")).put("id", commit);
    byte[] body = JSON.writeValueAsBytes(root);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/github"))
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", delivery)
        .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private String commit(Git git, Path repo, String dockerfile, String page) throws Exception {
    Files.writeString(repo.resolve("Dockerfile"), dockerfile);
    Files.createDirectories(repo.resolve("www"));
    Files.writeString(repo.resolve("www/index.html"), page + "\n");
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent("Ada Lovelace", "ada@example.com");
    return git.commit().setMessage("release " + page).setAuthor(who).setCommitter(who).call().getName();
  }

  private void buildBase() throws Exception {
    Path b = Files.createDirectories(dir.resolve("base"));
    Files.copy(Path.of("/bin/busybox"), b.resolve("busybox"));
    Files.writeString(b.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\",\"--install\",\"-s\",\"/bin\"]\n");
    docker.buildImageCmd(b.toFile()).withTags(Set.of(prefix + "-base")).exec(new BuildImageResultCallback()).awaitImageId(120, TimeUnit.SECONDS);
  }

  /** One fetch of the alias from a fresh container on the network. */
  private String fetch() throws Exception {
    String name = prefix + "-fetch-" + UUID.randomUUID().toString().substring(0, 6);
    docker.createContainerCmd(prefix + "-base").withName(name)
        .withCmd("sh", "-c", "wget -q -O- http://" + alias + ":8000/ || echo FAIL")
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network)).exec();
    docker.startContainerCmd(name).exec();
    docker.waitContainerCmd(name).start().awaitStatusCode(20, TimeUnit.SECONDS);
    StringBuilder out = new StringBuilder();
    docker.logContainerCmd(name).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
      @Override
      public void onNext(Frame f) {
        synchronized (out) {
          out.append(new String(f.getPayload(), StandardCharsets.UTF_8));
        }
      }
    }).awaitCompletion(10, TimeUnit.SECONDS);
    docker.removeContainerCmd(name).withForce(true).exec();
    synchronized (out) {
      return out.toString().strip();
    }
  }

  private int startChild(Path config, Path data, String name) throws Exception {
    ServerProcess child = ServerProcess.start(config, data, dir.resolve(name + ".log"), Map.of());
    started.add(child);
    return child.port();
  }
}
