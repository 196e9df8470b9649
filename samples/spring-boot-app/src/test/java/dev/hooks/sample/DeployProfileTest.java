package dev.hooks.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.deploy.Deployer;
import dev.hooks.deploy.Deployment;
import dev.hooks.deploy.DeploymentStatus;
import java.io.IOException;
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
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code deploy} profile as a user runs it: a local git repository (JGit) whose Dockerfile
 * builds FROM scratch with Debian's static busybox and has a HEALTHCHECK, a network of its own on
 * the machine's Docker Engine, a signed GitHub push of its commit, and a loopback server
 * answering as a Discord webhook does (204) that receives the step notifications.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("deploy")
class DeployProfileTest {
  private static final String SECRET = "It's a Secret to Everybody";
  private static final String NETWORK = "starter-ops-net-" + UUID.randomUUID().toString().substring(0, 8);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LoopbackDiscord DISCORD = LoopbackDiscord.start();
  private static final Path DIR = temp();
  private static RevCommit commit;

  @LocalServerPort
  int port;

  @Autowired
  Deployer deployer;

  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws Exception {
    Path repo = Files.createDirectories(DIR.resolve("repo"));
    Files.copy(Path.of("/bin/busybox"), repo.resolve("busybox"));
    Files.writeString(repo.resolve("Dockerfile"), """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "--install", "-s", "/bin"]
        HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD true
        CMD ["sleep", "3600"]
        """);
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      commit = git.commit().setMessage("a service that is healthy").setAuthor("Monalisa Octocat", "mona@example.com")
          .setCommitter("Monalisa Octocat", "mona@example.com").setSign(false).call();
    }
    docker("network", "create", NETWORK);
    registry.add("GITHUB_WEBHOOK_SECRET", () -> SECRET);
    registry.add("DISCORD_WEBHOOK_URL", DISCORD::url);
    registry.add("DEPLOY_REPO", () -> repo.toUri().toString());
    registry.add("DEPLOY_NETWORK", () -> NETWORK);
    registry.add("hooks.journal.data-dir", () -> DIR.resolve("data").toString());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    DISCORD.close();
    if (commit != null) {
      String ids = docker("ps", "-aq", "--filter", "label=dev.hooks.deploy.commit=" + commit.name()).strip();
      for (String id : ids.split("\\s+")) {
        if (!id.isBlank()) {
          docker("rm", "-f", id);
        }
      }
      docker("image", "rm", "-f", "web:" + commit.name().substring(0, 12));
    }
    docker("network", "rm", NETWORK);
  }

  @Test
  void aSignedPushOfTheWatchedBranchIsBuiltDeployedAndAnnounced() throws Exception {
    // octokit/webhooks payload-examples/api.github.com/push/with-new-branch.payload.json, pointed at the local repository's commit
    ObjectNode push = (ObjectNode) JSON.readTree(resource("github-push.json"));
    push.put("ref", "refs/heads/main").put("after", commit.name());
    ((ObjectNode) push.path("head_commit")).put("id", commit.name()).put("message", "a service that is healthy");
    byte[] body = JSON.writeValueAsBytes(push);

    assertThat(post(body, "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(401);
    HttpResponse<String> r = post(body, "sha256=" + hmac(body));
    assertThat(r.statusCode()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(20)).until(() -> !deployer.history("web").isEmpty());
    Deployment d = deployer.history("web").get(0);
    assertThat(d.commit()).contains(commit.name());
    await().atMost(Duration.ofSeconds(80)).until(() -> terminal(deployer.find("web", d.id()).orElseThrow().status()));
    assertThat(deployer.find("web", d.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.RUNNING);
    assertThat(docker("ps", "-q", "--filter", "label=dev.hooks.deploy.deployment=" + d.id()).strip()).isNotEmpty();
    await().atMost(Duration.ofSeconds(20)).until(() -> String.join("\n", DISCORD.messages()).contains(commit.name().substring(0, 7)));

    String prometheus = get("/actuator/prometheus").body();
    assertThat(prometheus).contains("hooks_deploy_deployments_total{outcome=\"completed\",service=\"web\"");
  }

  private static boolean terminal(DeploymentStatus s) {
    return s == DeploymentStatus.RUNNING || s == DeploymentStatus.FAILED || s == DeploymentStatus.CANCELLED;
  }

  private HttpResponse<String> post(byte[] body, String signature) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/github"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", UUID.randomUUID().toString()).header("X-Hub-Signature-256", signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String hmac(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DeployProfileTest.class.getResourceAsStream("/" + name)) {
      return in.readAllBytes();
    }
  }

  private static String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }


  private static Path temp() {
    try {
      return Files.createTempDirectory("starter-ops-deploy");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
