package dev.hooks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Stands in for a Discord incoming webhook on loopback: {@code POST /api/webhooks/{id}/{token}}
 * with a JSON body answers {@code 204 No Content}, as Discord does without {@code ?wait=true}
 * (Discord developer docs, "Execute Webhook"). Records each body.
 */
final class LoopbackDiscord implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final List<JsonNode> bodies = new ArrayList<>();

  LoopbackDiscord() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/webhooks/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(405, -1);
      } else {
        synchronized (bodies) {
          bodies.add(JSON.readTree(body));
        }
        ex.sendResponseHeaders(204, -1);
      }
      ex.close();
    });
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/webhooks/1234567890/loopback-token");
  }

  List<JsonNode> bodies() {
    synchronized (bodies) {
      return new ArrayList<>(bodies);
    }
  }

  /** The event name of each message, from its embed's first field, in arrival order. */
  List<String> events() {
    List<String> out = new ArrayList<>();
    for (JsonNode b : bodies()) {
      out.add(b.path("embeds").path(0).path("fields").path(0).path("value").asText());
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
