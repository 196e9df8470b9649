package dev.hooks.alerts;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
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

/**
 * The root-cause note against a loopback server answering as Ollama's {@code POST /api/generate}
 * does with {@code "stream": false} (github.com/ollama/ollama docs/api.md, "Generate a
 * completion"): {@code {"model":"phi3","created_at":"...","response":"...","done":true}}.
 */
class RootCauseTest {
  private Server ollama;
  private final List<JsonNode> prompts = new CopyOnWriteArrayList<>();
  private volatile long delayMillis;
  private volatile int status = 200;
  private ConnectWiseServer cw;

  @BeforeEach
  void start() throws Exception {
    cw = ConnectWiseServer.standard();
    ollama = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ollama.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        JsonNode body = Payloads.JSON.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
        prompts.add(body);
        Thread.sleep(delayMillis);
        String answer = status != 200 ? "{\"error\":\"model 'phi3' not found\"}"
            : Payloads.JSON.createObjectNode().put("model", body.path("model").asText()).put("created_at", "2026-03-10T12:00:01.000000Z")
                .put("response", "Likely DNS or upstream timeout. Check resolver and the target's health.").put("done", true)
                .put("done_reason", "stop").toString();
        response.setStatus(request.getHttpURI().getPath().equals("/api/generate") ? status : 404);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, answer, callback);
        return true;
      }
    });
    ollama.start();
  }

  @AfterEach
  void stop() throws Exception {
    ollama.stop();
    cw.close();
  }

  private AlertRouter router(Duration timeout) {
    String url = "http://127.0.0.1:" + ((ServerConnector) ollama.getConnectors()[0]).getLocalPort();
    return AlertRouter.builder()
        .endpoint(Payloads.kumaRecipe("kuma").rootCauseInstructions("Support-focused: name the customer impact first.").build())
        .sink(ConnectWiseSink.builder("cw", cw.url()).credentials("acme", "pub", "priv", "client-1").board("Alerts").statuses("New", "Closed").build())
        .rootCause(OllamaRootCause.builder(url, "phi3").timeout(timeout).build())
        .clock(new MutableClock(Instant.parse("2026-03-10T12:00:00Z"))).build();
  }

  @Test
  void aNewTicketGetsTheModelsNoteAndRepeatsDoNotAskAgain() {
    AlertRouter r = router(Duration.ofSeconds(5));
    HistoryEntry h = r.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    r.process("kuma", "r2", Payloads.json("uptime-kuma/down-enotfound.json"));

    assertThat(h.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(prompts).hasSize(1);
    JsonNode p = prompts.get(0);
    assertThat(p.path("model").asText()).isEqualTo("phi3");
    assertThat(p.path("stream").asBoolean(true)).isFalse();
    assertThat(p.path("prompt").asText()).contains("Support-focused: name the customer impact first.")
        .contains("Summary: Alert: test").contains("timeout of 16000ms exceeded");
    assertThat(cw.ticket(h.ticket()).notes.get(0))
        .isEqualTo("Root-cause analysis (phi3):\nLikely DNS or upstream timeout. Check resolver and the target's health.");
    assertThat(cw.ticket(h.ticket()).notes).hasSize(2);
  }

  @Test
  void aSlowModelNeverHoldsBackTheTicket() {
    delayMillis = 1500;
    HistoryEntry h = router(Duration.ofMillis(300)).process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    assertThat(h.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(cw.tickets()).hasSize(1);
    assertThat(cw.ticket(h.ticket()).notes).isEmpty();
  }

  @Test
  void aFailingModelLeavesTheTicketWithoutANote() {
    status = 404;
    HistoryEntry h = router(Duration.ofSeconds(5)).process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    assertThat(h.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(cw.ticket(h.ticket()).notes).isEmpty();
  }
}
