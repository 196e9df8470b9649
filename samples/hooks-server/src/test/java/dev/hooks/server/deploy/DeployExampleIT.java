package dev.hooks.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.sun.net.httpserver.HttpServer;
import dev.hooks.deploy.Deployer;
import dev.hooks.server.HooksServer;
import dev.hooks.server.ServerOptions;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
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

/**
 * Starts the server with {@code docs/examples/deploy.yaml} exactly as written, against a real
 * local git repository (JGit, given as a {@code file://} URL), the real Docker Engine and a
 * loopback Discord, and deploys on a signed GitHub push.
 */
class DeployExampleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "push-secret-" + UUID.randomUUID();
  private static final String TOKEN = "admin-token-" + UUID.randomUUID();
  private static final String DOCKERFILE = """
      FROM scratch
      COPY busybox /bin/busybox
      RUN ["/bin/busybox","--install","-s","/bin"]
      COPY www /www
      HEALTHCHECK --interval=300ms --timeout=2s --retries=3 CMD wget -q -O- http://127.0.0.1:8000/ || exit 1
      CMD ["/bin/httpd","-f","-p","8000","-h","/www"]
      """;

  private final String prefix = "hooks-deploy-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final DockerClient docker = Deployer.dockerClient();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> commits = new ArrayList<>();
  private final List<JsonNode> discord = new ArrayList<>();
  private HttpServer discordServer;
  private HooksServer server;
  private Path dir;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
    if (discordServer != null) {
      discordServer.stop(0);
    }
    for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
      boolean ours = List.of(c.getNames()).stream().anyMatch(n -> n.startsWith("/" + prefix))
          || commits.contains(c.getLabels().get("dev.hooks.deploy.commit"));
      if (ours) {
        docker.removeContainerCmd(c.getId()).withForce(true).exec();
      }
    }
    for (String sha : commits) {
      try {
        docker.removeImageCmd("web:" + sha.substring(0, 7)).withForce(true).exec();
      } catch (RuntimeException e) {
        // never built
      }
    }
    try {
      docker.removeImageCmd(prefix + "-base").withForce(true).exec();
    } catch (RuntimeException e) {
      // never built
    }
    try {
      docker.removeNetworkCmd(prefix + "-net").exec();
    } catch (RuntimeException e) {
      // never made
    }
    docker.close();
  }

  @Test
  void theExampleDeploysASignedPushOfMainAndAnswersTheCurrentCommitAndStatus() throws Exception {
    dir = Files.createTempDirectory("hooks-deploy-example");
    Path repoDir = dir.resolve("repo");
    Git git = Git.init().setDirectory(repoDir.toFile()).setInitialBranch("main").call();
    Files.copy(Path.of("/bin/busybox"), repoDir.resolve("busybox"));
    String v1 = commit(git, repoDir, "v1");
    String network = prefix + "-net";
    docker.createNetworkCmd().withName(network).withDriver("bridge").exec();
    buildBase();
    startDiscord();

    Map<String, String> env = Map.of(
        "DEPLOY_REPO", repoDir.toUri().toString(),
        "GITHUB_WEBHOOK_SECRET", SECRET,
        "DEPLOY_NETWORK", network,
        "DEPLOY_ALIAS", prefix + "-web",
        "DISCORD_WEBHOOK_URL", "http://127.0.0.1:" + discordServer.getAddress().getPort() + "/api/webhooks/123/token",
        "HOOKS_ADMIN_TOKEN", TOKEN);
    Path config = Path.of("../../docs/examples/deploy.yaml");
    server = HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data")), env,
        new PrintStream(PrintStream.nullOutputStream()), Map.of());
    String base = "http://127.0.0.1:" + server.port();

    HttpResponse<String> accepted = http.send(push(URI.create(base + "/hooks/deploy-github"), SECRET, "delivery-1", v1),
        HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode status = awaitCommit(base, v1);
    assertThat(status.path("status").asText()).isEqualTo("running");
    assertThat(fetch(prefix + "-web", network)).isEqualTo("v1");

    await().atMost(Duration.ofSeconds(20)).until(() -> events().contains("deployment_completed"));
    assertThat(events()).containsExactly("webhook_received", "build_started", "build_completed", "deployment_started", "deployment_completed");

    HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/deploy/services/web")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(401);
    HttpResponse<String> badSignature = http.send(push(URI.create(base + "/hooks/deploy-github"), "wrong-secret", "delivery-x", v1),
        HttpResponse.BodyHandlers.ofString());
    assertThat(badSignature.statusCode()).isEqualTo(401);

    // The per-provider webhook URL and generated secret deploy too.
    JsonNode hook = JSON.readTree(http.send(admin(base + "/admin/deploy/services/web/webhook-url?provider=github").GET().build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(hook.path("provider").asText()).isEqualTo("github");
    assertThat(hook.path("webhookUrl").asText()).isEqualTo(base + "/hooks/deploy-web-github");
    String generated = hook.path("secret").asText();
    assertThat(generated).hasSize(64).isNotEqualTo(SECRET);
    String v2 = commit(git, repoDir, "v2");
    HttpResponse<String> second = http.send(push(URI.create(hook.path("webhookUrl").asText()), generated, "delivery-2", v2),
        HttpResponse.BodyHandlers.ofString());
    assertThat(second.statusCode()).isEqualTo(202);
    awaitCommit(base, v2);
    assertThat(fetch(prefix + "-web", network)).isEqualTo("v2");

    JsonNode history = JSON.readTree(http.send(admin(base + "/admin/deploy/services/web/deployments").GET().build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(history).hasSize(2);
    assertThat(history.get(0).path("steps").findValuesAsText("name")).containsExactly("fetch", "build", "start", "gate", "promote");
    assertThat(history.get(1).path("status").asText()).isEqualTo("stopped");

    HttpResponse<String> rollback = http.send(admin(base + "/admin/deploy/services/web/rollback")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(rollback.statusCode()).isEqualTo(202);
    awaitCommit(base, v1);
    assertThat(fetch(prefix + "-web", network)).isEqualTo("v1");
    git.close();
  }

  private JsonNode awaitCommit(String base, String commit) {
    JsonNode[] last = new JsonNode[1];
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      HttpResponse<String> r = http.send(admin(base + "/admin/deploy/services/web").GET().build(), HttpResponse.BodyHandlers.ofString());
      last[0] = JSON.readTree(r.body());
      return r.statusCode() == 200 && commit.equals(last[0].path("commit").asText()) && !last[0].has("in_progress");
    });
    return last[0];
  }

  private HttpRequest.Builder admin(String url) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN);
  }

  private String commit(Git git, Path repo, String page) throws Exception {
    Files.writeString(repo.resolve("Dockerfile"), DOCKERFILE);
    Files.createDirectories(repo.resolve("www"));
    Files.writeString(repo.resolve("www/index.html"), page + "\n");
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent("Ada Lovelace", "ada@example.com");
    String sha = git.commit().setMessage("release " + page).setAuthor(who).setCommitter(who).call().getName();
    commits.add(sha);
    return sha;
  }

  private void buildBase() throws Exception {
    Path b = Files.createDirectories(dir.resolve("base"));
    Files.copy(Path.of("/bin/busybox"), b.resolve("busybox"));
    Files.writeString(b.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\",\"--install\",\"-s\",\"/bin\"]\n");
    docker.buildImageCmd(b.toFile()).withTags(Set.of(prefix + "-base")).exec(new BuildImageResultCallback()).awaitImageId(120, TimeUnit.SECONDS);
  }

  /** One fetch of the alias from a fresh container on the network. */
  private String fetch(String alias, String network) throws Exception {
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
    synchronized (out) {
      return out.toString().strip();
    }
  }

  /**
   * A loopback Discord incoming webhook: POST with a JSON body answers 204 No Content, as
   * Discord does without {@code ?wait=true} (Discord developer docs, "Execute Webhook").
   */
  private void startDiscord() throws Exception {
    discordServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    discordServer.createContext("/api/webhooks/", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        JsonNode body = JSON.readTree(in.readAllBytes());
        synchronized (discord) {
          discord.add(body);
        }
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    discordServer.start();
  }

  private List<String> events() {
    synchronized (discord) {
      return discord.stream().map(b -> b.path("embeds").path(0).path("fields").path(0).path("value").asText()).toList();
    }
  }

  /**
   * A push as GitHub sends it: the octokit example payload (see {@code src/test/resources/github/README.md})
   * moved to {@code main} at {@code commit}, signed with {@code X-Hub-Signature-256}.
   */
  private static HttpRequest push(URI uri, String secret, String delivery, String commit) throws Exception {
    ObjectNode root;
    try (InputStream in = DeployExampleIT.class.getResourceAsStream("/github/push-with-new-branch.json")) {
      root = (ObjectNode) JSON.readTree(in);
    }
    root.put("ref", "refs/heads/main");
    root.put("after", commit);
    ((ObjectNode) root.path("head_commit")).put("id", commit);
    byte[] body = JSON.writeValueAsBytes(root);
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", delivery)
        .header("X-Hub-Signature-256", sign(secret, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private static String sign(String secret, byte[] body) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }
}
