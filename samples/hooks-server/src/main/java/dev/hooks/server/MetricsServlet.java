package dev.hooks.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the server's meters in the Prometheus text format. Thread-safe. */
public final class MetricsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final transient java.util.function.Supplier<String> scrape;

  MetricsServlet(ServerMetrics metrics) {
    this.scrape = metrics::scrape;
  }

  /** Serves the meters of {@code registry}. */
  public MetricsServlet(io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry) {
    java.util.Objects.requireNonNull(registry, "registry");
    this.scrape = registry::scrape;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
    resp.setStatus(200);
    resp.setContentType(CONTENT_TYPE);
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, jakarta.servlet.ServletException {
    if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
      resp.setHeader("Allow", "GET");
      resp.sendError(405);
      return;
    }
    super.service(req, resp);
  }
}
