package dev.hooks.alerts;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.notify.SlackNotifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Incidents into a loopback server answering as a Slack incoming webhook does (api.slack.com
 * "Sending messages using incoming webhooks", "Handling errors"): 200 {@code ok}; 404 {@code
 * channel_not_found}; 500 when Slack fails.
 */
class ChatSinkTest extends IncidentSinkContract {
  private Server slack;
  private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
  private volatile int failNext;
  private volatile String answer = "ok";
  private volatile int status = 200;

  @BeforeEach
  void start() throws Exception {
    slack = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    slack.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        if (failNext > 0) {
          failNext--;
          response.setStatus(500);
          Content.Sink.write(response, true, "", callback);
          return true;
        }
        if (!request.getHttpURI().getPath().equals("/services/T000/B000/XXXX")) {
          response.setStatus(404);
          Content.Sink.write(response, true, "no_service", callback);
          return true;
        }
        if (status == 200) {
          messages.add(Payloads.JSON.readTree(body));
        }
        response.setStatus(status);
        Content.Sink.write(response, true, answer, callback);
        return true;
      }
    });
    slack.start();
  }

  @AfterEach
  void stop() throws Exception {
    slack.stop();
  }

  private ChatSink sink(String path) {
    URI url = URI.create("http://127.0.0.1:" + ((ServerConnector) slack.getConnectors()[0]).getLocalPort() + path);
    return new ChatSink(SlackNotifier.builder("slack", url)
        .outbound(OutboundPolicy.builder().allowHost("127.0.0.1").allowPlainHttp(true).build()).build());
  }

  @Override
  protected IncidentSink sink() {
    return sink("/services/T000/B000/XXXX");
  }

  @Override
  protected String stateOf(String ref) {
    // the last message about this incident says what it is
    String last = messages.get(messages.size() - 1).path("text").asText();
    return last.startsWith("Resolved") ? "closed" : "open";
  }

  @Override
  protected void failNext() {
    failNext = 1;
  }

  @Override
  protected IncidentSink refusedSink() {
    return sink("/services/T000/B000/GONE");
  }

  @Test
  void theLifecyclePostsAlertRepeatResolved() {
    AlertRouter r = AlertRouter.builder().endpoint(RecipesTest.alertmanagerRecipe()).sink(sink())
        .clock(new MutableClock(Instant.parse("2026-03-10T12:00:00Z"))).build();
    r.process("am", "r1", Payloads.json("alertmanager/zulip-alert.json"));
    r.process("am", "r2", Payloads.json("alertmanager/zulip-single_alert.json"));

    assertThat(messages).extracting(m -> m.path("text").asText()).containsExactly(
        "Firing: Alert: High CPU core temperature", "Firing: Alert: High CPU core temperature", "Resolved: Alert: High CPU core temperature");
    assertThat(messages.get(0).toString()).contains("CPU core temperature is 34.75C");
  }

  @Test
  void channelNotFoundIsPermanentWithSlacksReason() {
    status = 404;
    answer = "channel_not_found";
    assertThatThrownBy(() -> sink().open(ticket())).isInstanceOf(SinkException.class)
        .matches(e -> !((SinkException) e).retryable(), "not retryable").hasMessageContaining("404");
  }
}
