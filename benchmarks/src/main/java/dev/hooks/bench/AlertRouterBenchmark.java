package dev.hooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hooks.Hooks;
import dev.hooks.alerts.AlertEndpoint;
import dev.hooks.alerts.AlertRouter;
import dev.hooks.alerts.ConnectWiseSink;
import dev.hooks.alerts.HistoryEntry;
import dev.hooks.alerts.JdbcIncidentStore;
import dev.hooks.alerts.Overrides;
import dev.hooks.alerts.RoutingRule;
import dev.hooks.event.Headers;
import dev.hooks.ingress.Endpoint;
import dev.hooks.ingress.InboundRequest;
import dev.hooks.parsers.PayloadParsers;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.verify.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Alerts per second through hooks-alerts — mapping (Uptime Kuma recipe 1), two routing rules
 * (recipe 3), the JDBC incident store on an H2 file and a loopback server answering as
 * ConnectWise Manage's ticket routes do — beside the bare ingest of the same payload (bearer
 * token checked, JSON parsed, journaled in memory, answered 202) in the same run.
 *
 * <ul>
 *   <li>{@code ingest}: one delivery through {@code Ingress.accept};</li>
 *   <li>{@code routeOpenClose}: monitor k mod 1,000 down (a find and a create) or up (a close),
 *       alternating per round;</li>
 *   <li>{@code routeRepeat}: a down of an open monitor (a note).</li>
 * </ul>
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar AlertRouterBenchmark</pre>
 */
@State(Scope.Benchmark)
// the JDK server otherwise waits on Nagle and the client's delayed ACK: 40 ms a call
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AlertRouterBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "bench-token-0123456789abcdef";
  private static final int MONITORS = 1000;

  private byte[] down;
  private byte[] up;
  private HttpServer connectWise;
  private final AtomicInteger ticketIds = new AtomicInteger();
  private final AtomicLong calls = new AtomicLong();
  private Path dir;
  private AlertRouter router;
  private Hooks hooks;
  private final AtomicLong counter = new AtomicLong();

  @Setup(Level.Trial)
  public void start() throws IOException {
    down = resource("/uptime-kuma-down.json");
    up = resource("/uptime-kuma-up.json");
    connectWise = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    connectWise.setExecutor(Executors.newFixedThreadPool(4));
    connectWise.createContext("/v4_6_release/apis/3.0/service/tickets", this::answer);
    connectWise.start();
    String url = "http://127.0.0.1:" + connectWise.getAddress().getPort() + "/v4_6_release/apis/3.0";

    dir = Files.createTempDirectory("alerts-bench");
    JdbcDataSource ds = new JdbcDataSource();
    // keep the database open between connections, as a pool would
    ds.setURL("jdbc:h2:file:" + dir.resolve("alerts").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
    AlertEndpoint kuma = AlertEndpoint.builder("kuma")
        .trigger("$.heartbeat.status", List.of("0"), List.of("1"))
        .map("summary", "$.monitor.name").map("description", "$.heartbeat.msg").map("customer_id", "$.monitor.tags.CW_ID")
        .rule(RoutingRule.of("db", "$.monitor.hostname", ".*-DB-.*", new Overrides("Database Team", "High", null, null, null, null)))
        .rule(RoutingRule.of("fe", "$.monitor.url", ".*example.*", new Overrides("Frontend Team", null, null, null, null, null)))
        .build();
    router = AlertRouter.builder().endpoint(kuma).store(new JdbcIncidentStore(ds))
        .sink(ConnectWiseSink.builder("cw", url).credentials("acme", "pub", "priv", "client").board("Alerts").statuses("New", "Closed").build())
        .build();

    hooks = Hooks.builder().endpoint(Endpoint.builder("kuma").provider("alerts")
        .verifier(SignatureVerifiers.bearer(List.of(Secret.of(TOKEN))))
        .parser(PayloadParsers.forProvider("generic", Map.of("type", "alert", "id-header", "X-Request-Id"))).build()).build();
    hooks.start();
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = AlertRouterBenchmark.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  // ConnectWise's answers: 201 with the ticket on a create, [] on a find, 201 on a note, 200 on a PATCH
  private void answer(HttpExchange ex) throws IOException {
    calls.incrementAndGet();
    ex.getRequestBody().readAllBytes();
    String m = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    byte[] body;
    int status;
    if (m.equals("GET")) {
      status = 200;
      body = "[]".getBytes(StandardCharsets.UTF_8);
    } else if (m.equals("POST") && path.endsWith("/tickets")) {
      status = 201;
      body = ("{\"id\":" + ticketIds.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
    } else {
      status = m.equals("POST") ? 201 : 200;
      body = "{}".getBytes(StandardCharsets.UTF_8);
    }
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  private JsonNode named(byte[] payload, String monitor) throws IOException {
    ObjectNode p = (ObjectNode) JSON.readTree(payload);
    ((ObjectNode) p.get("monitor")).put("name", monitor);
    return p;
  }

  @Benchmark
  public int ingest() {
    long k = counter.incrementAndGet();
    return hooks.ingress().accept(new Request(down, Long.toString(k))).status();
  }

  @Benchmark
  public List<HistoryEntry> routeOpenClose() throws IOException {
    long k = counter.incrementAndGet();
    long round = k / MONITORS;
    String monitor = "m-" + (k % MONITORS);
    return router.process("kuma", "r" + k, named(round % 2 == 0 ? down : up, monitor));
  }

  @Benchmark
  public List<HistoryEntry> routeRepeat() throws IOException {
    long k = counter.incrementAndGet();
    return router.process("kuma", "r" + k, named(down, "always-down"));
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    System.out.printf("%nConnectWise calls %d, tickets %d, incidents %d%n", calls.get(), ticketIds.get(), router.store().list().size());
    hooks.close();
    connectWise.stop(0);
  }

  /** A delivery in memory, as the servlet adapter presents one. */
  private static final class Request implements InboundRequest {
    private final byte[] body;
    private final Headers headers;

    Request(byte[] body, String id) {
      this.body = body;
      this.headers = Headers.of(Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json", "X-Request-Id", id));
    }

    @Override
    public String endpointId() {
      return "kuma";
    }

    @Override
    public String method() {
      return "POST";
    }

    @Override
    public String url() {
      return "http://127.0.0.1/hooks/kuma";
    }

    @Override
    public Headers headers() {
      return headers;
    }

    @Override
    public long contentLength() {
      return body.length;
    }

    @Override
    public InputStream body() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public InetAddress remoteAddress() {
      return InetAddress.getLoopbackAddress();
    }
  }
}
