package dev.hooks.remediation;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A two-service compose stack (db, and web depending on db being healthy) made from a
 * FROM-scratch busybox image, with a unique project name. {@code web} turns unhealthy while
 * {@code /tmp/broken} exists in its container (gone when recreated) or {@code flags/web-broken}
 * exists on the host (survives recreation).
 */
final class ComposeStack implements AutoCloseable {
  static final String IMAGE = "hooks-remediation-it:" + UUID.randomUUID().toString().substring(0, 8);

  final String project = "hrit" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  final Path dir;
  final Path composeFile;
  private final DockerClient docker;

  ComposeStack(DockerClient docker) throws IOException {
    this.docker = docker;
    this.dir = Files.createTempDirectory("hooks-remediation-stack");
    Files.createDirectories(dir.resolve("flags"));
    this.composeFile = dir.resolve("docker-compose.yml");
    Files.writeString(composeFile, """
        version: "2.4"
        services:
          db:
            image: %1$s
            init: true
            command: ["sh", "-c", "echo db ready; while true; do echo db alive; sleep 1; done"]
            healthcheck:
              test: ["CMD-SHELL", "test ! -f /flags/db-broken"]
              interval: 1s
              timeout: 1s
              retries: 1
            volumes: ["./flags:/flags"]
          web:
            image: %1$s
            init: true
            depends_on:
              db:
                condition: service_healthy
            command: ["sh", "-c", "echo web started; while true; do echo web serving request; sleep 1; done"]
            healthcheck:
              test: ["CMD-SHELL", "test ! -f /tmp/broken && test ! -f /flags/web-broken"]
              interval: 1s
              timeout: 1s
              retries: 1
            volumes: ["./flags:/flags"]
        """.formatted(IMAGE), StandardCharsets.UTF_8);
  }

  /** Builds the shared image once per test JVM. */
  static synchronized void buildImage() throws Exception {
    if (imageBuilt) {
      return;
    }
    Path context = Files.createTempDirectory("hooks-remediation-image");
    Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
    Files.writeString(context.resolve("Dockerfile"), """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "--install", "-s", "/bin"]
        RUN mkdir -p /tmp && chmod 1777 /tmp
        """);
    run(context, "docker", "build", "-q", "-t", IMAGE, ".");
    delete(context);
    imageBuilt = true;
  }

  private static boolean imageBuilt;

  static synchronized void removeImage() throws Exception {
    if (imageBuilt) {
      run(Path.of("."), "docker", "rmi", "-f", IMAGE);
      imageBuilt = false;
    }
  }

  void up() throws Exception {
    run(dir, "docker-compose", "-f", composeFile.toString(), "-p", project, "up", "-d");
  }

  ServiceKey key(String service) {
    return ServiceKey.of(project, service);
  }

  /** The id of the service's one container (running or not). */
  String containerId(String service) {
    List<Container> found = docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(ServiceKey.PROJECT_LABEL, project, ServiceKey.SERVICE_LABEL, service)).exec();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " containers for " + project + "/" + service);
    }
    return found.get(0).getId();
  }

  String containerName(String service) {
    return docker.inspectContainerCmd(containerId(service)).exec().getName().substring(1);
  }

  InspectContainerResponse inspect(String service) {
    return docker.inspectContainerCmd(containerId(service)).exec();
  }

  String health(String service) {
    InspectContainerResponse.ContainerState state = inspect(service).getState();
    return state.getHealth() == null ? "none" : state.getHealth().getStatus();
  }

  void exec(String service, String... command) throws Exception {
    List<String> argv = new ArrayList<>(List.of("docker", "exec", containerId(service)));
    argv.addAll(List.of(command));
    run(dir, argv.toArray(String[]::new));
  }

  @Override
  public void close() throws IOException {
    try {
      run(dir, "docker-compose", "-f", composeFile.toString(), "-p", project, "down", "-v", "--remove-orphans", "-t", "1");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while removing stack " + project, e);
    }
    delete(dir);
  }

  static String run(Path dir, String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }

  static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
