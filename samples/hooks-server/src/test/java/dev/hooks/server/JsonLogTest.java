package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.server.logging.ServerLogging;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code logging.format: json}: every line the server writes on stdout, its log and the
 * {@code log} handler's events, is one JSON object with time, level, logger and message.
 */
class JsonLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;
  private HooksServer server;

  @BeforeEach
  void capture() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    if (server != null) {
      server.close();
    }
    ServerLogging.format(ServerLogging.Format.PLAIN);
    ServerLogging.level(org.slf4j.event.Level.INFO);
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  @Test
  void withJsonEveryStdoutLineIsOneObjectAndAForgedNewlineStaysInsideIt() throws Exception {
    Path config = Files.writeString(dir.resolve("json.yaml"), """
        logging:
          format: json
        endpoints:
          - {id: generic, provider: generic, verifier: {scheme: none}}
        routes:
          - {name: all, handlers: [log]}
        handlers:
          log: {type: log}
        """);
    server = HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data")), Map.of(), System.out, Map.of());
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/hooks/generic"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"deployed\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> stdout.toString(StandardCharsets.UTF_8).contains("hooks.event.log"));
    LoggerFactory.getLogger("dev.hooks.server.JsonLogTest").warn("failed {}", "twice", new IllegalStateException("boom"));
    // a CR LF and a fake plain line after it stay inside one JSON string
    LoggerFactory.getLogger("dev.hooks.server.JsonLogTest").info("value {}", "x\r\n[main] INFO forged - hi");

    List<JsonNode> lines = new ArrayList<>();
    for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.isObject()).as(line).isTrue();
      assertThat(Instant.parse(n.path("time").asText())).isBefore(Instant.now().plusSeconds(1));
      assertThat(n.path("level").asText()).isIn("ERROR", "WARN", "INFO");
      assertThat(n.path("logger").asText()).isNotEmpty();
      lines.add(n);
    }
    assertThat(lines).anySatisfy(n -> {
      assertThat(n.path("logger").asText()).isEqualTo("dev.hooks.server.HooksServer");
      assertThat(n.path("message").asText()).contains("listening");
    });
    assertThat(lines).anySatisfy(n -> {
      assertThat(n.path("logger").asText()).isEqualTo("hooks.event.log");
      assertThat(n.path("message").asText()).startsWith("event provider=generic type=custom");
    });
    assertThat(lines).anySatisfy(n -> {
      assertThat(n.path("level").asText()).isEqualTo("WARN");
      assertThat(n.path("message").asText()).isEqualTo("failed twice");
      assertThat(n.path("exception").asText()).startsWith("java.lang.IllegalStateException: boom").contains("\tat ");
    });
    assertThat(lines).anySatisfy(n -> assertThat(n.path("message").asText()).isEqualTo("value x\r\n[main] INFO forged - hi"));
    assertThat(stdout.toString(StandardCharsets.UTF_8)).doesNotContain("\n[main] INFO forged");
    assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain("listening");
  }

  @Test
  void plainIsTheDefaultOnStderrAndAnUnknownFormatStopsTheStart() throws Exception {
    LoggerFactory.getLogger("dev.hooks.server.JsonLogTest").info("plain {}", "line");
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("INFO dev.hooks.server.JsonLogTest - plain line");
    assertThat(stdout.toString(StandardCharsets.UTF_8)).doesNotContain("plain line");

    Path config = Files.writeString(dir.resolve("bad.yaml"), """
        logging: {format: xml}
        endpoints:
          - {id: generic, provider: generic, verifier: {scheme: none}}
        """);
    assertThatThrownBy(() -> HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data")), Map.of(), System.out,
        Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("logging: unknown log format 'xml'; use plain or json");
  }
}
