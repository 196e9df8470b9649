package dev.hooks.parsers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property: for every parser and any input (arbitrary bytes, arbitrary JSON, and the published
 * payloads mutated byte-wise and tree-wise), {@code parse} returns a result and never throws; a
 * success is a complete event, a failure has a reason. Inputs come from fixed seeds, so a failing
 * case reproduces; the failure message prints the input.
 */
class ParsersNeverThrowPropertyTest {
  private static final int CASES_PER_KIND = 60;
  private static final String[] MEDIA_TYPES = {"application/json", "application/x-www-form-urlencoded", "text/plain", ""};
  private static final String[] HEADER_NAMES = {"X-GitHub-Event", "X-Gitlab-Event", "X-Event-Key", "X-Gitea-Event",
      "X-Gogs-Event", "X-Forgejo-Event", "Circleci-Event-Type"};
  private static final String[] HEADER_VALUES = {"push", "pull_request", "release", "workflow_run", "workflow_job",
      "ping", "create", "delete", "issues", "status", "check_suite", "Push Hook", "Pipeline Hook", "repo:push",
      "pullrequest:fulfilled", "repo:refs_changed", "pr:merged", "job-completed", "workflow-completed", "", "x"};

  private static Map<String, PayloadParser> parsers() {
    Map<String, PayloadParser> all = new LinkedHashMap<>();
    for (String name : PayloadParsers.providerNames()) {
      if (!name.equals("jsonpath")) {
        all.put(name, PayloadParsers.forProvider(name, Map.of()));
      }
    }
    all.put("jsonpath", PayloadParsers.forProvider("jsonpath", Map.of("trigger", "$.status", "open", "firing",
        "close", "resolved", "summary", "$..name", "description", "At {$.alerts[0].startsAt} on {$.host.name}",
        "severity", "$.commonLabels.severity", "customer", "$.monitor.tags[0].value")));
    all.put("detecting", PayloadParsers.detecting());
    return all;
  }

  private static List<byte[]> publishedPayloads() {
    try (Stream<Path> files = Files.walk(Paths.get("src/test/resources/payloads"))) {
      List<byte[]> out = new ArrayList<>();
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)
          .filter(p -> !p.toString().endsWith(".md")).sorted()::iterator) {
        out.add(Files.readAllBytes(p));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> noParserThrowsForAnyInput() {
    List<byte[]> published = publishedPayloads();
    assertThat(published).hasSizeGreaterThan(80);
    List<byte[]> inputs = new ArrayList<>();
    Random random = new Random(20261123L);
    for (int i = 0; i < CASES_PER_KIND; i++) {
      inputs.add(randomBytes(random));
      inputs.add(randomJson(random, 0).toString().getBytes(StandardCharsets.UTF_8));
      byte[] base = published.get(random.nextInt(published.size()));
      inputs.add(mutateBytes(random, base));
      inputs.add(mutateTree(random, base));
    }
    inputs.addAll(published);
    return parsers().entrySet().stream().map(p -> DynamicTest.dynamicTest(p.getKey(), () -> {
      Random r = new Random(p.getKey().hashCode());
      for (byte[] body : inputs) {
        for (String mediaType : MEDIA_TYPES) {
          check(p.getValue(), delivery(r, body, mediaType));
        }
      }
    }));
  }

  private static Delivery delivery(Random r, byte[] body, String mediaType) {
    String[] headers = new String[4];
    headers[0] = HEADER_NAMES[r.nextInt(HEADER_NAMES.length)];
    headers[1] = HEADER_VALUES[r.nextInt(HEADER_VALUES.length)];
    headers[2] = "X-Request-Id";
    headers[3] = Integer.toString(r.nextInt());
    return mediaType.isEmpty()
        ? Delivery.builder("fuzz").body(body).build()
        : Deliveries.of(body, mediaType, headers);
  }

  private static void check(PayloadParser parser, Delivery d) {
    ParseResult result;
    try {
      result = parser.parse(d);
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError(parser + " threw " + e + " for " + d.mediaType() + " body: "
          + new String(d.body(), StandardCharsets.UTF_8), e);
    }
    assertThat(result).as("%s returned null", parser).isNotNull();
    if (result.isOk()) {
      WebhookEvent e = result.event();
      assertThat(e.id()).isNotBlank();
      assertThat(e.type()).isNotBlank();
      assertThat(e.endpointId()).isEqualTo(d.endpointId());
      assertThat(e.receivedAt()).isEqualTo(d.receivedAt());
    } else {
      assertThat(result.failure()).as("%s failure reason", parser).isNotBlank();
      // a reason of the guard means an exception was thrown inside the parser: a bug, even if caught
      assertThat(result.failure()).as("%s for body %s", parser, new String(d.body(), StandardCharsets.UTF_8))
          .doesNotStartWith("unexpected ");
    }
  }

  private static byte[] randomBytes(Random r) {
    byte[] b = new byte[r.nextInt(300)];
    r.nextBytes(b);
    return b;
  }

  private static JsonNode randomJson(Random r, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    int kind = depth > 6 ? r.nextInt(5) : r.nextInt(7);
    switch (kind) {
      case 0:
        return f.nullNode();
      case 1:
        return f.booleanNode(r.nextBoolean());
      case 2:
        return r.nextBoolean() ? f.numberNode(r.nextLong()) : f.numberNode(r.nextDouble() * 1e12);
      case 3:
        return f.textNode(randomText(r));
      case 4:
        return f.textNode(WORDS[r.nextInt(WORDS.length)]);
      case 5: {
        ArrayNode a = f.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(randomJson(r, depth + 1));
        }
        return a;
      }
      default: {
        ObjectNode o = f.objectNode();
        for (int i = r.nextInt(6); i > 0; i--) {
          o.set(WORDS[r.nextInt(WORDS.length)], randomJson(r, depth + 1));
        }
        return o;
      }
    }
  }

  /** Field names and values the parsers look for, so random trees reach their code paths. */
  private static final String[] WORDS = {"ref", "refs/heads/main", "refs/tags/v1", "before", "after", "commits",
      "created", "deleted", "forced", "pull_request", "action", "release", "workflow_run", "workflow_job",
      "repository", "full_name", "object_kind", "push", "pipeline", "build", "object_attributes", "status",
      "alerts", "labels", "alertname", "severity", "firing", "resolved", "startsAt", "endsAt", "heartbeat",
      "monitor", "time", "Type", "Action", "Actor", "Attributes", "health_status: unhealthy", "die", "exitCode",
      "timeNano", "push_data", "repo_name", "text", "body", "event_name", "PROCESS_STATE_FATAL", "pheaders_all",
      "phase", "COMPLETED", "type", "job-completed", "happened_at", "changes", "eventKey", "pullRequest",
      "groupKey", "orgId", "0000000000000000000000000000000000000000", "2026-11-23T10:00:00Z", "PROBLEM", "OK"};

  private static String randomText(Random r) {
    StringBuilder s = new StringBuilder();
    for (int i = r.nextInt(20); i > 0; i--) {
      s.appendCodePoint(r.nextInt(3) == 0 ? r.nextInt(0x2FFFF) : 32 + r.nextInt(95));
    }
    return s.toString();
  }

  private static byte[] mutateBytes(Random r, byte[] base) {
    byte[] b = base.clone();
    switch (r.nextInt(4)) {
      case 0 -> {
        for (int i = 1 + r.nextInt(8); i > 0 && b.length > 0; i--) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      }
      case 1 -> {
        return java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
      }
      case 2 -> {
        int at = b.length == 0 ? 0 : r.nextInt(b.length);
        byte[] junk = randomBytes(r);
        byte[] out = new byte[b.length + junk.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(junk, 0, out, at, junk.length);
        System.arraycopy(b, at, out, at + junk.length, b.length - at);
        return out;
      }
      default -> {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        return (s + s).getBytes(StandardCharsets.ISO_8859_1);
      }
    }
  }

  /** Replaces, removes or retypes random nodes of a published JSON payload. */
  private static byte[] mutateTree(Random r, byte[] base) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(base);
    } catch (IOException e) {
      return mutateBytes(r, base);
    }
    if (root == null || !root.isContainerNode()) {
      return mutateBytes(r, base);
    }
    for (int i = 1 + r.nextInt(6); i > 0; i--) {
      mutate(r, root);
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void mutate(Random r, JsonNode node) {
    JsonNode current = node;
    while (true) {
      List<String> keys = new ArrayList<>();
      Iterator<String> names = current.fieldNames();
      names.forEachRemaining(keys::add);
      int size = current.isObject() ? keys.size() : current.size();
      if (size == 0) {
        return;
      }
      int pick = r.nextInt(size);
      JsonNode child = current.isObject() ? current.get(keys.get(pick)) : current.get(pick);
      if (child.isContainerNode() && r.nextInt(3) > 0) {
        current = child;
        continue;
      }
      JsonNode replacement = randomJson(r, 4);
      if (current instanceof ObjectNode o) {
        if (r.nextInt(4) == 0) {
          o.remove(keys.get(pick));
        } else {
          o.set(keys.get(pick), replacement);
        }
      } else if (current instanceof ArrayNode a) {
        a.set(pick, replacement);
      }
      return;
    }
  }
}
