package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Durability of the sample server as a child JVM: deliveries answered 202 survive SIGKILL, and
 * after a restart on the same data directory each is handled exactly once.
 */
class HooksServerKillIT {
  private static final String SECRET = "kill-it-secret";
  private static final int DELIVERIES = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final List<ServerProcess> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(c -> c.process().destroyForcibly());
  }

  @ParameterizedTest(name = "durability {0}")
  @ValueSource(strings = {"os", "sync"})
  void everyAcceptedDeliveryIsHandledExactlyOnceAfterSigkillAndRestart(String durability) throws Exception {
    Path handled = dir.resolve("handled.txt");
    Path config = dir.resolve("hooks.yaml");
    Files.writeString(config, """
        endpoints:
          - id: github
            provider: github
            verifier:
              scheme: github
              secrets: ["${KILL_IT_SECRET}"]
        journal:
          durability: %s
        dispatch:
          lease: 2s
          poll-interval: 200ms
        routes:
          - name: record
            handlers: [record]
        handlers:
          record:
            type: file
            path: "%s"
        """.formatted(durability, handled.toAbsolutePath()));
    Path data = dir.resolve("data");

    ServerProcess first = startChild(config, data, "first");
    Set<String> accepted = sendConcurrently(first.port());
    first.process().destroyForcibly();
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    long handledBeforeKill = lines(handled).size();

    ServerProcess second = startChild(config, data, "second");
    // Every journaled entry counts as pending until it is done, so this waits for all of them.
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      JsonNode status = status(second.port());
      return status.path("pending").asLong() == 0 && status.path("in_flight").asLong() == 0;
    });

    List<String> ids = lines(handled).stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    Map<String, Long> counts = ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(accepted).hasSize(DELIVERIES);
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
    assertThat(counts.values()).as("handled once each; %d were handled before the kill", handledBeforeKill).containsOnly(1L);
    assertThat(lines(handled)).allSatisfy(l -> assertThat(l).startsWith("github push "));
    assertThat(status(second.port()).path("journal").asText()).isEqualTo(durability);

    second.process().destroy();
    assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    assertThat(Files.readString(second.log())).contains("hooks-server stopped");
  }

  private Set<String> sendConcurrently(int port) throws Exception {
    byte[] push = GitHubDeliveries.pushPayload();
    URI uri = URI.create("http://127.0.0.1:" + port + "/hooks/github");
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < DELIVERIES; i++) {
        String id = "kill-" + i;
        answers.add(senders.submit(() -> {
          HttpResponse<String> r = client.send(GitHubDeliveries.push(uri, SECRET, id, push), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 202) {
            accepted.add(id);
          }
          return r.statusCode();
        }));
      }
      for (Future<Integer> a : answers) {
        assertThat(a.get(60, TimeUnit.SECONDS)).isEqualTo(202);
      }
    } finally {
      senders.shutdownNow();
    }
    return accepted;
  }

  private JsonNode status(int port) throws Exception {
    return JSON.readTree(client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file)
        ? Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList()
        : List.of();
  }

  private ServerProcess startChild(Path config, Path data, String name) throws Exception {
    ServerProcess child = ServerProcess.start(config, data, dir.resolve(name + ".log"), Map.of("KILL_IT_SECRET", SECRET));
    started.add(child);
    return child;
  }
}
