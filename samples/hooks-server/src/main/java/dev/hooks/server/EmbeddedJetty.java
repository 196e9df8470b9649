package dev.hooks.server;

import dev.hooks.HooksException;
import java.io.Closeable;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty 12 that both the sample server and its autoheal preset listen with: one connector on
 * the options' host and port, one servlet context, and a graceful stop that lets requests in
 * progress finish for up to 10 seconds. The connector applies {@link ConnectorLimits}: request
 * bodies are received before the servlet runs, without a thread, within a deadline and a minimum
 * data rate, and connections are limited in total and per client address. Thread-safe once
 * started.
 */
public final class EmbeddedJetty {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedJetty.class);
  private static final long STOP_TIMEOUT_MS = 10_000;

  /** Bodies up to this size are received before the servlet runs; larger ones stream. */
  private static final long BUFFERED_BODY_BYTES = 4L * 1024 * 1024;

  private final Server server = new Server();
  private final ServerConnector connector;
  private final ServerOptions options;

  /** Jetty serving {@code context} where {@code options} say, with the default limits. */
  public EmbeddedJetty(ServerOptions options, ServletContextHandler context) {
    this(options, context, ConnectorLimits.defaults());
  }

  /** Jetty serving {@code context} where {@code options} say; nothing listens before {@link #start}. */
  public EmbeddedJetty(ServerOptions options, ServletContextHandler context, ConnectorLimits limits) {
    this.options = options;
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    if (limits.maxConnectionsPerClient() > 0) {
      connector.addBean(new PerClientConnectionLimit(limits.maxConnectionsPerClient()));
    }
    server.addConnector(connector);
    server.addBean(new ConnectionLimit(limits.maxConnections(), connector));
    server.setHandler(new GracefulHandler(new BodyDeadlineHandler(context, limits.bodyTimeout(), BUFFERED_BODY_BYTES, limits.minRequestDataRate())));
    server.setStopTimeout(STOP_TIMEOUT_MS);
  }

  /**
   * Starts listening. If the port cannot be bound, runs {@code onFailure} (the owner's close)
   * and throws.
   *
   * @throws HooksException naming the host and port and how to choose another
   */
  public void start(Runnable onFailure) {
    try {
      server.start();
    } catch (Exception e) {
      onFailure.run();
      throw new HooksException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage()
          + "; choose another port with --port or HOOKS_PORT", e);
    }
  }

  /** The port listened on, the one chosen when the options asked for port 0. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Stops taking requests and waits for those in progress, up to the stop timeout. */
  public void stop() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("stopping Jetty failed", e);
    }
  }

  /** Closes each in order; a failure is logged and the rest are still closed. */
  public static void closeAll(List<? extends Closeable> resources) {
    for (Closeable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", c, e);
      }
    }
  }
}
