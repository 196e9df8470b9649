package dev.hooks.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server that records every request and answers through a {@link Behaviour}.
 * Subclasses behave like one service.
 */
class RecordingServer implements AutoCloseable {

  /** One request as received. */
  record Request(String method, String path, String query, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** One answer. */
  record Answer(int status, Map<String, String> headers, String body) {
    static Answer of(int status, String body) {
      return new Answer(status, Map.of(), body);
    }
  }

  interface Behaviour {
    Answer answer(Request r) throws Exception;
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Behaviour behaviour;

  RecordingServer(Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  Behaviour behaviour() {
    return behaviour;
  }

  void behave(Behaviour b) {
    this.behaviour = b;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new TreeMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
      URI uri = ex.getRequestURI();
      Request r = new Request(ex.getRequestMethod(), uri.getRawPath(), uri.getRawQuery() == null ? "" : uri.getRawQuery(), headers, body);
      requests.add(r);
      Answer a;
      try {
        a = behaviour.answer(r);
      } catch (Exception e) {
        a = Answer.of(500, "test server failed: " + e);
      }
      a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
      if (a.status() == 204 || out.length == 0) {
        ex.sendResponseHeaders(a.status(), -1);
      } else {
        ex.sendResponseHeaders(a.status(), out.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** Policy allowing plain HTTP to this loopback server only. */
  static OutboundPolicy loopbackPolicy() {
    return OutboundPolicy.builder().allowHost("127.0.0.1").allowPlainHttp(true).build();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
