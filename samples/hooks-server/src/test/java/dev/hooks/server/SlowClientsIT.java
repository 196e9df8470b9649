package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients against the real server on a loopback port: sockets that trickle their headers
 * or their bodies a byte at a time, each byte resetting the idle timeout, must neither stop
 * signed deliveries nor {@code /health}, nor take the dispatcher's capacity.
 */
class SlowClientsIT {
  private static final String SECRET = "slow-clients-secret";
  private static final String CONFIG = """
      endpoints:
        - id: github
          provider: github
          verifier:
            secrets: ["${TEST_GITHUB_SECRET}"]
          max-body-size: 64KB
      dispatch:
        %s
      server:
        %s
      routes:
        - name: everything
          handlers: [record]
      """;

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<Socket> sockets = new ArrayList<>();
  private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
  private HooksServer server;

  @AfterEach
  void stop() throws IOException {
    trickler.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(String dispatch, String limits) throws IOException {
    Path config = dir.resolve("hooks.yaml");
    Files.writeString(config, CONFIG.formatted(dispatch, limits));
    server = HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data")),
        Map.of("TEST_GITHUB_SECRET", SECRET), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        Map.of("record", e -> {}));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** Opens a socket that sent {@code start} and then sends one more byte a second. */
  private Socket trickling(String start) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    sockets.add(s);
    s.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  private static String slowHeaders() {
    return "POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ";
  }

  /** A push that declares 2000 body bytes, with a signature that is not the secret's. */
  private static String slowUnsignedBody() {
    return "POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "X-GitHub-Event: push\r\nX-GitHub-Delivery: slow\r\n"
        + "X-Hub-Signature-256: sha256=0000000000000000000000000000000000000000000000000000000000000000\r\n"
        + "Content-Length: 2000\r\n\r\n{";
  }

  private void trickleEverySecond() {
    trickler.scheduleAtFixedRate(() -> {
      for (Socket s : sockets) {
        try {
          OutputStream out = s.getOutputStream();
          out.write('a');
          out.flush();
        } catch (IOException closedByServer) {
          // The server cut this client off, which is what it should do sooner or later.
        }
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  private HttpResponse<String> signedPush(String deliveryId) throws Exception {
    byte[] body = GitHubDeliveries.pushPayload();
    return client.send(GitHubDeliveries.push(uri("/hooks/github"), SECRET, deliveryId, body), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void fourHundredTricklingSocketsLeaveSignedDeliveriesAndHealthFast() throws Exception {
    start("lease: 30s", "max-connections-per-client: 1000");
    for (int i = 0; i < 200; i++) {
      trickling(slowHeaders());
      trickling(slowUnsignedBody());
    }
    trickleEverySecond();
    // Every slow socket has reached the server before the measurements start.
    Thread.sleep(1500);

    client.send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.ofString());
    for (int i = 0; i < 10; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> pushed = signedPush("signed-" + i);
      long pushMillis = (System.nanoTime() - t0) / 1_000_000;

      long t1 = System.nanoTime();
      HttpResponse<String> health = client.send(HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      long healthMillis = (System.nanoTime() - t1) / 1_000_000;

      assertThat(pushed.statusCode()).isEqualTo(202);
      assertThat(pushMillis).as("signed delivery %d answered in ms", i).isLessThan(1000);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(healthMillis).as("/health %d answered in ms", i).isLessThan(100);
    }
  }

  @Test
  void slowUnsignedBodiesNeverCauseA429ForSignedDeliveries() throws Exception {
    start("capacity: 2", "max-connections-per-client: 1000");
    for (int i = 0; i < 20; i++) {
      trickling(slowUnsignedBody());
    }
    trickleEverySecond();
    Thread.sleep(1000);

    for (int i = 0; i < 5; i++) {
      assertThat(signedPush("capacity-" + i).statusCode()).isEqualTo(202);
    }
  }

  @Test
  void aClientOverItsConnectionLimitIsClosedAtOnce() throws Exception {
    start("lease: 30s", "max-connections-per-client: 3");
    for (int i = 0; i < 3; i++) {
      // A keep-alive request answered: this connection is open on the server before the next.
      Socket open = trickling("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      open.setSoTimeout(5000);
      assertThat(open.getInputStream().read()).isEqualTo('H');
    }
    Socket fourth = trickling("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    fourth.setSoTimeout(5000);

    assertThat(fourth.getInputStream().read()).isEqualTo(-1);
  }

  @Test
  void closedConnectionsGiveTheirPlaceBack() throws Exception {
    start("lease: 30s", "max-connections-per-client: 3");
    // Ten times the limit, one connection after another: closed by the client, then by the server.
    // The server notices a close asynchronously, so a connection refused at once is tried again,
    // for two seconds: a place that is never given back fails from the fourth connection on.
    for (int i = 0; i < 30; i++) {
      String close = i % 2 == 0 ? "" : "Connection: close\r\n";
      long until = System.nanoTime() + 2_000_000_000L;
      int first;
      do {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
          s.setSoTimeout(5000);
          s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + close + "\r\n").getBytes(StandardCharsets.US_ASCII));
          first = s.getInputStream().read();
        } catch (IOException refused) {
          first = -1;
        }
        if (first != 'H') {
          Thread.sleep(10);
        }
      } while (first != 'H' && System.nanoTime() < until);
      assertThat(first).as("connection %d", i).isEqualTo('H');
    }
  }

  @Test
  void aBodyNotReceivedWithinTheBodyTimeoutHasItsConnectionClosed() throws Exception {
    start("lease: 30s", "body-timeout: 1s\n  min-request-data-rate: 0\n  max-connections-per-client: 1000");
    Socket slow = trickling(slowUnsignedBody());
    trickleEverySecond();
    slow.setSoTimeout(10_000);
    long t0 = System.nanoTime();

    InputStream in = slow.getInputStream();
    while (in.read() >= 0) {
      // Whatever the server writes before it closes (an error answer, if any) is read and dropped.
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aBodyArrivingBelowTheMinimumDataRateIsCutOffBeforeTheBodyTimeout() throws Exception {
    start("lease: 30s", "body-timeout: 60s\n  min-request-data-rate: 1KB\n  max-connections-per-client: 1000");
    Socket slow = trickling(slowUnsignedBody());
    trickleEverySecond();
    slow.setSoTimeout(30_000);
    long t0 = System.nanoTime();

    InputStream in = slow.getInputStream();
    while (in.read() >= 0) {
      // An error answer, if any, is read and dropped until the server closes.
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
  }
}
