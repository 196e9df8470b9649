package dev.hooks.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty server on a loopback port that records every JSON body posted to it, with its path,
 * and answers as a chat's incoming webhook does: Discord's "Execute Webhook" 204 with no body,
 * Slack's 200 {@code ok}.
 */
final class LoopbackChat implements AutoCloseable {
  record Received(String path, JsonNode body, long atMillis) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private LoopbackChat(int status, String answer) throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        received.add(new Received(Request.getPathInContext(request), JSON.readTree(body), System.currentTimeMillis()));
        response.setStatus(status);
        if (answer.isEmpty()) {
          callback.succeeded();
        } else {
          response.write(true, java.nio.ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)), callback);
        }
        return true;
      }
    });
    server.start();
  }

  /** Answers 204 with no body, as Discord's webhook endpoint does without {@code ?wait=true}. */
  static LoopbackChat discord() throws Exception {
    return new LoopbackChat(204, "");
  }

  /** Answers 200 {@code ok}, as Slack's incoming webhooks do. */
  static LoopbackChat slack() throws Exception {
    return new LoopbackChat(200, "ok");
  }

  /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
  String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + path;
  }

  List<Received> received() {
    return received;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
