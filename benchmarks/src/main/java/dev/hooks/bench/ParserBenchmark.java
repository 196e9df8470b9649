package dev.hooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.GitHubPayloadParser;
import dev.hooks.parsers.PayloadParsers;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The 8.8 KB GitHub push ({@code github-push-8k.json}) from raw bytes to a {@link WebhookEvent},
 * beside Jackson's {@code readTree} of the same bytes alone: the parser's own cost is the
 * difference. Target: {@code gitHubParser} within 1.2x of {@code jacksonReadTree}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ParserBenchmark -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ParserBenchmark {
  private final ObjectMapper mapper = new ObjectMapper();
  private final PayloadParser gitHub = new GitHubPayloadParser();
  private final PayloadParser detecting = PayloadParsers.detecting();
  private byte[] body;
  private Delivery delivery;

  @Setup
  public void setUp() throws IOException {
    try (InputStream in = ParserBenchmark.class.getResourceAsStream("/github-push-8k.json")) {
      if (in == null) {
        throw new IllegalStateException("github-push-8k.json is not on the class path");
      }
      body = in.readAllBytes();
    }
    delivery = Delivery.builder("github")
        .headers(Headers.builder()
            .add("Content-Type", "application/json")
            .add("X-GitHub-Event", "push")
            .add("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
            .build())
        .body(body)
        .receivedAt(Instant.parse("2026-11-23T10:00:00Z"))
        .build();
    if (!gitHub.parse(delivery).isOk()) {
      throw new IllegalStateException("the fixture does not parse: " + gitHub.parse(delivery).failure());
    }
  }

  /** The baseline: Jackson's tree of the same bytes, nothing else. */
  @Benchmark
  public JsonNode jacksonReadTree() throws IOException {
    return mapper.readTree(body);
  }

  /** Bytes to a normalized event with {@link GitHubPayloadParser}. */
  @Benchmark
  public WebhookEvent gitHubParser() {
    return gitHub.parse(delivery).event();
  }

  /** The same through {@link PayloadParsers#detecting()}, which picks GitHub by its header. */
  @Benchmark
  public WebhookEvent detectingParser() {
    return detecting.parse(delivery).event();
  }
}
