package dev.hooks.supervisor;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP receiver standing in for a webhook endpoint: records every request (headers,
 * body, arrival time) and answers with the statuses it is told, then 200.
 */
final class Receiver implements AutoCloseable {
  record Request(String method, String path, Map<String, String> headers, byte[] body, Instant at) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final int port;
  private final ConcurrentLinkedQueue<Request> received = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private HttpServer server;

  private Receiver(int port) {
    this.port = port;
  }

  /** A receiver on a free port, running. */
  static Receiver start() throws IOException {
    Receiver r = new Receiver(freePort());
    r.up();
    return r;
  }

  /** A receiver on a free port, not yet listening: the port refuses connections until {@link #up()}. */
  static Receiver down() throws IOException {
    return new Receiver(freePort());
  }

  /** Answers the next requests with these statuses (before 200). */
  Receiver answering(int... statuses) {
    for (int s : statuses) {
      answers.add(s);
    }
    return this;
  }

  synchronized void up() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readAllBytes();
        attempts.incrementAndGet();
        Integer status = answers.poll();
        int code = status == null ? 200 : status;
        if (code / 100 == 2) {
          Map<String, String> headers = new TreeMap<>();
          exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
          received.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body, Instant.now()));
        }
        byte[] answer = code / 100 == 2 ? new byte[0] : "{\"message\":\"try later\"}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  List<Request> received() {
    return new ArrayList<>(received);
  }

  int attempts() {
    return attempts.get();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
