package dev.hooks.alerts;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The signed webhook against a loopback receiver that checks the signature as the javadoc documents it. */
class SignedWebhookSinkTest extends IncidentSinkContract {
  private static final String SECRET = "receiver-secret";
  private Server receiver;
  private final Map<String, String> states = new ConcurrentHashMap<>();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private volatile int failNext;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    receiver = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    receiver.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        String ts = request.getHeaders().get("X-Hooks-Timestamp");
        String sig = request.getHeaders().get("X-Hooks-Signature");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal((ts + "." + body).getBytes(StandardCharsets.UTF_8)));
        int status;
        String answer;
        if (failNext > 0) {
          failNext--;
          status = 503;
          answer = "{\"error\":\"unavailable\"}";
        } else if (sig == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sig.getBytes(StandardCharsets.UTF_8))) {
          status = 401;
          answer = "{\"error\":\"bad signature\"}";
        } else {
          JsonNode n = Payloads.JSON.readTree(body);
          received.add(n);
          states.put(n.path("ref").asText(), n.path("action").asText());
          status = 200;
          answer = "{}";
        }
        response.setStatus(status);
        Content.Sink.write(response, true, answer, callback);
        return true;
      }
    });
    receiver.start();
  }

  @AfterEach
  void stop() throws Exception {
    receiver.stop();
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + ((ServerConnector) receiver.getConnectors()[0]).getLocalPort() + "/incidents");
  }

  @Override
  protected IncidentSink sink() {
    return new SignedWebhookSink("hook", url(), SECRET, clock);
  }

  @Override
  protected String stateOf(String ref) {
    return "close".equals(states.get(ref)) ? "closed" : "open";
  }

  @Override
  protected void failNext() {
    failNext = 1;
  }

  @Override
  protected IncidentSink refusedSink() {
    return new SignedWebhookSink("hook", url(), "another-secret", clock);
  }

  @Test
  void eachEffectCarriesTheTimestampAndTheIncident() throws Exception {
    sink().open(new Ticket("fp-9", "Alert: db down", "unreachable", "High", null, "AcmeCorp", null, null));
    JsonNode n = received.get(0);
    assertThat(n.path("action").asText()).isEqualTo("open");
    assertThat(n.path("fingerprint").asText()).isEqualTo("fp-9");
    assertThat(n.path("company").asText()).isEqualTo("AcmeCorp");
    assertThat(n.path("description").asText()).isEqualTo("unreachable");
    assertThat(sink().toString()).doesNotContain(SECRET);
  }
}
