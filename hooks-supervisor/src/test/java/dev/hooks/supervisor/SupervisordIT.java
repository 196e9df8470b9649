package dev.hooks.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener jar under a real supervisord (Debian's {@code supervisor}), beside a reference
 * listener ({@code superhooks_reference.py}) that writes the body superhooks would send for each
 * same event. Two programs: {@code brief} runs, then exits unexpectedly; {@code crashy} exits at
 * once, backs off twice and goes FATAL.
 */
class SupervisordIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PROGRAMS = Set.of("brief", "crashy");
  private static final String DATA = "a^b^^c^d^^text^dump_params";

  @TempDir Path dir;
  private Process supervisord;
  private Receiver receiver;

  private record Reference(double time, String group, String event, String body) {}

  @AfterEach
  void stop() throws Exception {
    if (supervisord != null) {
      supervisord.destroy();
      if (!supervisord.waitFor(20, TimeUnit.SECONDS)) {
        supervisord.destroyForcibly();
      }
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void immediateDeliveryMatchesSuperhooksFieldForField() throws Exception {
    receiver = Receiver.start();
    start(receiver.url(), "--flush-interval 0s");
    List<Reference> expected = awaitReference();
    await().atMost(Duration.ofSeconds(30)).until(() -> received().size() >= expected.size());

    List<Receiver.Request> got = programRequests();
    assertThat(bodies(got)).isEqualTo(bodiesOf(expected));
    assertThat(eventsOf(expected, "crashy")).containsExactly("PROCESS_STATE_STARTING", "PROCESS_STATE_BACKOFF",
        "PROCESS_STATE_STARTING", "PROCESS_STATE_BACKOFF", "PROCESS_STATE_FATAL");
    assertThat(eventsOf(expected, "brief")).containsExactly("PROCESS_STATE_STARTING", "PROCESS_STATE_RUNNING",
        "PROCESS_STATE_EXITED");
    for (Receiver.Request r : got) {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
      assertThat(r.header("X-Token")).isEqualTo("t");
    }
    // Immediate: each event within a few seconds of supervisor's sending it.
    for (int i = 0; i < expected.size(); i++) {
      double lag = got.get(i).at().toEpochMilli() / 1000.0 - expected.get(i).time();
      assertThat(lag).as("lag of event %d", i).isLessThan(5.0);
    }
  }

  @Test
  void bufferedDeliverySendsWhatWasBufferedAtEachFlush() throws Exception {
    receiver = Receiver.start();
    start(receiver.url(), "--flush-interval 6s");
    List<Reference> expected = awaitReference();
    await().atMost(Duration.ofSeconds(40)).until(() -> programRequests().size() >= expected.size());
    List<Receiver.Request> got = programRequests();
    assertThat(bodies(got)).isEqualTo(bodiesOf(expected));
    // Events supervisor sent over more than a second arrive together, at a flush.
    double spreadSent = expected.get(expected.size() - 1).time() - expected.get(0).time();
    assertThat(spreadSent).isGreaterThan(1.0);
    long batches = 1;
    for (int i = 1; i < got.size(); i++) {
      if (Duration.between(got.get(i - 1).at(), got.get(i).at()).toMillis() > 1500) {
        batches++;
      }
    }
    assertThat(batches).isLessThan(got.size());
    double firstLag = got.get(0).at().toEpochMilli() / 1000.0 - expected.get(0).time();
    assertThat(firstLag).isGreaterThan(1.0);
  }

  @Test
  void aReceiverDownAndAListenerRestartLoseNothingAndDuplicateNothing() throws Exception {
    receiver = Receiver.down();
    start(receiver.url(), "--flush-interval 0s --format json");
    List<Reference> expected = awaitReference();
    // The listener restarts while the receiver is still away: the events wait on disk.
    ctl("restart", "hooks");
    Thread.sleep(2000);
    receiver.up();
    await().atMost(Duration.ofSeconds(60)).until(() -> programRequests().size() >= expected.size());
    Thread.sleep(1500);
    List<Receiver.Request> got = programRequests();
    assertThat(got).hasSameSizeAs(expected);
    List<String> ids = got.stream().map(r -> json(r).path("id").asText()).toList();
    assertThat(Set.copyOf(ids)).hasSameSizeAs(ids);
    // Field for field the same as superhooks' form, in JSON, in order.
    for (int i = 0; i < expected.size(); i++) {
      JsonNode body = json(got.get(i));
      Map<String, String> form = decodeForm(expected.get(i).body());
      form.forEach((k, v) -> assertThat(body.path(k).asText()).as(k).isEqualTo(v));
    }
  }

  // ---------------------------------------------------------------- harness

  private void start(String url, String extra) throws IOException {
    Path jar = Path.of("target", "hooks-supervisor.jar").toAbsolutePath();
    assertThat(jar).exists();
    Path reference = dir.resolve("superhooks_reference.py");
    try (InputStream in = getClass().getResourceAsStream("/superhooks_reference.py")) {
      Files.copy(in, reference);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String conf = """
        [unix_http_server]
        file=%(here)s/supervisor.sock

        [supervisord]
        nodaemon=true
        logfile=%(here)s/supervisord.log
        pidfile=%(here)s/supervisord.pid
        childlogdir=%(here)s

        [rpcinterface:supervisor]
        supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

        [supervisorctl]
        serverurl=unix://%(here)s/supervisor.sock

        [eventlistener:hooks]
        command=JAVA -jar JAR -u URL -e PROCESS_STATE -d "DATA" -H "X-Token^t" EXTRA --buffer-dir %(here)s/buffer
        events=PROCESS_STATE
        buffer_size=1024
        priority=1
        stderr_logfile=%(here)s/hooks.err

        [eventlistener:reference]
        command=python3 %(here)s/superhooks_reference.py %(here)s/reference.jsonl "DATA"
        events=PROCESS_STATE
        buffer_size=1024
        priority=1

        [program:brief]
        command=/bin/sh -c "sleep 2; exit 3"
        startsecs=1
        autorestart=false
        priority=900

        [program:crashy]
        command=/bin/sh -c "exit 3"
        startsecs=1
        startretries=1
        autorestart=false
        priority=900
        """.replace("JAVA", java).replace("JAR", jar.toString()).replace("URL", url).replace("EXTRA", extra)
        .replace("DATA", DATA);
    Files.writeString(dir.resolve("supervisord.conf"), conf);
    supervisord = new ProcessBuilder("supervisord", "-c", dir.resolve("supervisord.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("supervisord.out").toFile())
        .start();
  }

  private void ctl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("supervisorctl", "-c", dir.resolve("supervisord.conf").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(out).isTrue();
  }

  /** Waits until crashy is FATAL and brief EXITED in the reference, and returns their events. */
  private List<Reference> awaitReference() throws IOException {
    await().atMost(Duration.ofSeconds(40)).until(() -> {
      List<Reference> refs = reference();
      return eventsOf(refs, "crashy").contains("PROCESS_STATE_FATAL") && eventsOf(refs, "brief").contains("PROCESS_STATE_EXITED");
    });
    return reference();
  }

  private List<Reference> reference() throws IOException {
    Path file = dir.resolve("reference.jsonl");
    List<Reference> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        JsonNode n = JSON.readTree(line);
        if (PROGRAMS.contains(n.path("group").asText())) {
          out.add(new Reference(n.path("time").asDouble(), n.path("group").asText(), n.path("event").asText(), n.path("body").asText()));
        }
      }
    }
    return out;
  }

  private static List<String> eventsOf(List<Reference> refs, String group) {
    return refs.stream().filter(r -> r.group().equals(group)).map(Reference::event).toList();
  }

  private List<Receiver.Request> received() {
    return receiver.received();
  }

  /** The requests about brief and crashy (the listeners' own state changes are forwarded too). */
  private List<Receiver.Request> programRequests() {
    return receiver.received().stream().filter(r -> {
      String process = r.header("Content-Type").startsWith("application/json")
          ? json(r).path("process_name").asText()
          : decodeForm(r.text()).getOrDefault("process_name", "");
      return PROGRAMS.contains(process.split(":")[0]);
    }).toList();
  }

  private static List<String> bodies(List<Receiver.Request> requests) {
    return requests.stream().map(Receiver.Request::text).toList();
  }

  private static List<String> bodiesOf(List<Reference> refs) {
    return refs.stream().map(Reference::body).toList();
  }

  private static JsonNode json(Receiver.Request r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.text(), e);
    }
  }

  private static Map<String, String> decodeForm(String form) {
    Map<String, String> out = new TreeMap<>();
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      out.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

}
