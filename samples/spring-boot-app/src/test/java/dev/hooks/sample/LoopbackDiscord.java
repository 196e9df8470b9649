package dev.hooks.sample;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server that answers as a Discord webhook does when it takes a message (204 with
 * Discord's rate-limit headers), keeping the bodies it received.
 */
final class LoopbackDiscord implements AutoCloseable {
  private final HttpServer server;
  private final List<String> messages = new CopyOnWriteArrayList<>();

  LoopbackDiscord() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/webhooks/", exchange -> {
      messages.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.getResponseHeaders().add("X-RateLimit-Limit", "5");
      exchange.getResponseHeaders().add("X-RateLimit-Remaining", "4");
      exchange.getResponseHeaders().add("X-RateLimit-Reset-After", "1");
      exchange.getResponseHeaders().add("X-RateLimit-Bucket", "abcd1234");
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
  }

  /** A started server; for static fields of tests. */
  static LoopbackDiscord start() {
    try {
      return new LoopbackDiscord();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A webhook URL of this server, as Discord shows one. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/webhooks/123/token-abc";
  }

  List<String> messages() {
    return messages;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
