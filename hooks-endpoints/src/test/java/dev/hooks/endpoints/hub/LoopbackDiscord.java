package dev.hooks.endpoints.hub;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers as Discord's execute-webhook route does ({@code POST /api/webhooks/{id}/{token}}: 204
 * No Content; any other path: 404 {@code {"message": "Unknown Webhook", "code": 10015}}) and
 * records every body it accepted.
 */
final class LoopbackDiscord implements AutoCloseable {
  static final String WEBHOOK_PATH = "/api/webhooks/1180000000000000001/loopback-token";

  private final HttpServer server;
  private final List<String> messages = new CopyOnWriteArrayList<>();

  LoopbackDiscord() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readAllBytes();
        if ("POST".equals(exchange.getRequestMethod()) && exchange.getRequestURI().getPath().equals(WEBHOOK_PATH)) {
          messages.add(new String(body, StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
        } else {
          byte[] unknown = "{\"message\": \"Unknown Webhook\", \"code\": 10015}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(404, unknown.length);
          exchange.getResponseBody().write(unknown);
        }
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  URI webhookUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + WEBHOOK_PATH);
  }

  /** The JSON bodies received, in order. */
  List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
