package dev.hooks.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import dev.hooks.Hooks;
import dev.hooks.event.WebhookEvent;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.route.Route;
import dev.hooks.state.InMemoryStateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The source against the real Docker Engine: containers of a FROM-scratch busybox image, labelled
 * with a label unique to this run so that other work on the Engine is not seen.
 */
class DockerEngineSourceIT {
  private static final String PREFIX = "hooks-docker-it-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String IMAGE = PREFIX + ":latest";
  private static final String LABEL = "dev.hooks.test-run";
  private static DockerClient docker;

  private final List<String> containers = new ArrayList<>();
  private final List<WebhookEvent> received = new CopyOnWriteArrayList<>();
  private final InMemoryStateStore state = new InMemoryStateStore();
  private Hooks hooks;

  @BeforeAll
  static void buildImage() throws Exception {
    docker = DockerEngineSource.newClient();
    Path context = Files.createTempDirectory(PREFIX);
    Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
    Files.writeString(context.resolve("Dockerfile"), """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "--install", "-s", "/bin"]
        """);
    run(context, "docker", "build", "-q", "-t", IMAGE, ".");
    try (Stream<Path> files = Files.walk(context)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @AfterAll
  static void removeImage() throws Exception {
    run(Path.of("."), "docker", "rmi", "-f", IMAGE);
    docker.close();
  }

  @AfterEach
  void cleanUp() {
    for (String id : containers) {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
    if (hooks != null) {
      hooks.close();
    }
  }

  private Hooks hooks() {
    hooks = Hooks.builder()
        .journal(new InMemoryEventJournal())
        .route(Route.builder("collect").provider("docker").handler(received::add).build())
        .build()
        .start();
    return hooks;
  }

  private DockerEngineSource source(Hooks hooks) {
    return DockerEngineSource.builder(docker, hooks, state)
        .label(LABEL + "=" + PREFIX)
        .logLines(3)
        .reconnectDelay(Duration.ofMillis(200))
        .build();
  }

  @Test
  void aContainerExitingWithCode3IsAnEventWithItsExitCodeUptimeAndLastLogLines() throws Exception {
    try (DockerEngineSource source = source(hooks())) {
      source.start();
      await().atMost(Duration.ofSeconds(20)).until(source::isConnected);
      String name = runContainer("crash", "echo booting; echo serving; echo connection refused; sleep 2; echo giving up; exit 3");

      WebhookEvent died = await().atMost(Duration.ofSeconds(30)).until(() -> find(name, "died"), e -> e != null);
      assertThat(died.provider()).isEqualTo("docker");
      assertThat(died.type()).isEqualTo("container");
      assertThat(died.endpointId()).isEqualTo("docker-engine");
      assertThat(died.attribute("exit_code")).contains("3");
      assertThat(died.attribute("container_name")).contains(name);
      assertThat(died.attribute("image")).contains(IMAGE);
      // The script sleeps two seconds before exiting; the engine records StartedAt a moment after
      // the process starts (up to a second under load), so the uptime is at least one second.
      assertThat(Long.parseLong(died.attribute("uptime_seconds").orElseThrow())).isBetween(1L, 60L);
      assertThat(died.attribute("uptime")).hasValueSatisfying(u -> assertThat(u).matches("\\d+s"));
      // Three lines asked for: the last three, in order.
      assertThat(died.attribute("logs")).contains("serving\nconnection refused\ngiving up");
      assertThat(died.severity()).isEqualTo(dev.hooks.event.Severity.ERROR);
      assertThat(died.id()).endsWith("-die");
      assertThat(find(name, "started")).isNotNull();
    }
  }

  @Test
  void aRestartedSourceResumesFromTheLastEventWithoutLossOrDuplicates() throws Exception {
    Hooks hooks = hooks();
    String first;
    try (DockerEngineSource source = source(hooks)) {
      source.start();
      await().atMost(Duration.ofSeconds(20)).until(source::isConnected);
      first = runContainer("before", "echo first; exit 3");
      await().atMost(Duration.ofSeconds(30)).until(() -> find(first, "died") != null);
    }
    // While no source runs, a second container starts and dies.
    String second = runContainer("while-down", "echo second; exit 3");
    docker.waitContainerCmd(second).start().awaitStatusCode();

    try (DockerEngineSource restarted = source(hooks)) {
      restarted.start();
      WebhookEvent died = await().atMost(Duration.ofSeconds(30)).until(() -> find(second, "died"), e -> e != null);
      assertThat(died.attribute("exit_code")).contains("3");
      assertThat(died.attribute("logs")).contains("second");
      // The Engine replays from the stored position on: the last event before the restart is
      // read again and dropped by the journal as a duplicate.
      assertThat(restarted.duplicateCount()).isGreaterThanOrEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> count(second, "started") == 1);
      assertThat(count(first, "died")).isEqualTo(1);
      assertThat(count(first, "started")).isEqualTo(1);
      assertThat(count(second, "died")).isEqualTo(1);
      assertThat(count(second, "started")).isEqualTo(1);
    }
  }

  @Test
  void aNameFilterKeepsOnlyMatchingContainers() throws Exception {
    Hooks hooks = hooks();
    try (DockerEngineSource source = DockerEngineSource.builder(docker, hooks, state)
        .label(LABEL + "=" + PREFIX).name(PREFIX + "-keep-*").reconnectDelay(Duration.ofMillis(200)).build()) {
      source.start();
      await().atMost(Duration.ofSeconds(20)).until(source::isConnected);
      String skipped = runContainer("skip", "exit 1");
      docker.waitContainerCmd(skipped).start().awaitStatusCode();
      String kept = runContainer("keep-me", "exit 2");
      WebhookEvent died = await().atMost(Duration.ofSeconds(30)).until(() -> find(kept, "died"), e -> e != null);
      assertThat(died.attribute("exit_code")).contains("2");
      // The skipped container died before the kept one started; the stream is in order.
      assertThat(received).noneMatch(e -> e.attribute("container_name").orElse("").equals(skipped));
    }
  }

  private String runContainer(String suffix, String script) {
    String name = PREFIX + "-" + suffix;
    String id = docker.createContainerCmd(IMAGE)
        .withName(name)
        .withLabels(Map.of(LABEL, PREFIX))
        .withCmd("sh", "-c", script)
        .exec()
        .getId();
    containers.add(id);
    docker.startContainerCmd(id).exec();
    return name;
  }

  private WebhookEvent find(String name, String action) {
    return received.stream()
        .filter(e -> e.attribute("container_name").orElse("").equals(name) && e.action().orElse("").equals(action))
        .findFirst().orElse(null);
  }

  private long count(String name, String action) {
    return received.stream()
        .filter(e -> e.attribute("container_name").orElse("").equals(name) && e.action().orElse("").equals(action))
        .count();
  }

  private static void run(Path dir, String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out);
    }
  }
}
