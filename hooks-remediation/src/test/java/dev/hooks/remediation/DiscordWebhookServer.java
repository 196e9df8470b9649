package dev.hooks.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback server that answers like Discord's execute-webhook route
 * (https://discord.com/developers/docs/resources/webhook#execute-webhook): {@code POST
 * /api/webhooks/{id}/{token}} with a JSON body answers 204 No Content; other paths 404, other
 * methods 405, a body that is not JSON 400. It records every accepted message.
 */
final class DiscordWebhookServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Message(String path, JsonNode body) {}

  private final HttpServer server;
  private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> refusals = new LinkedBlockingQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

  DiscordWebhookServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI webhook(String id, String token) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/webhooks/" + id + "/" + token);
  }

  Message take() throws InterruptedException {
    Message m = messages.poll(30, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no Discord message within 30 s");
    }
    return m;
  }

  /**
   * Answers the next message with Discord's 429 for a webhook over its rate limit, body as
   * https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit shows it,
   * and records nothing.
   */
  void rateLimitNext(double retryAfterSeconds) {
    refusals.add("{\"message\": \"You are being rate limited.\", \"retry_after\": " + retryAfterSeconds + ", \"global\": false}");
  }

  /** Requests received, accepted or not. */
  int requests() {
    return requests.get();
  }

  int pending() {
    return messages.size();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String[] parts = ex.getRequestURI().getPath().split("/");
      if (parts.length != 5 || !parts[1].equals("api") || !parts[2].equals("webhooks")) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      if (!ex.getRequestMethod().equals("POST")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = ex.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      String refusal = refusals.poll();
      if (refusal != null) {
        byte[] answer = refusal.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(429, answer.length);
        ex.getResponseBody().write(answer);
        return;
      }
      JsonNode json;
      try {
        json = JSON.readTree(body);
      } catch (IOException notJson) {
        ex.sendResponseHeaders(400, -1);
        return;
      }
      if (json == null || !json.isObject() || !String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
        ex.sendResponseHeaders(400, -1);
        return;
      }
      messages.add(new Message(ex.getRequestURI().getPath(), json));
      ex.sendResponseHeaders(204, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
