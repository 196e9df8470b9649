package dev.hooks.server;

import dev.hooks.HooksException;
import java.io.Closeable;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The Jetty 12 that both the sample server and its autoheal preset listen with: one connector on
 * the options' host and port, one servlet context, and a graceful stop that lets requests in
 * progress finish for up to 10 seconds. The connector applies {@link ConnectorLimits}: request
 * bodies are received before the servlet runs, without a thread, within a deadline and a minimum
 * data rate, and connections are limited in total and per client address. Thread-safe once
 * started.
 *
 * <p>With an {@link AdminListener}, a second connector on its own host and port serves the admin
 * context and only it: each context is bound to its connector by name (Jetty's {@code @name}
 * virtual hosts), so the admin routes are not reachable on the main port and the webhook routes
 * are not reachable on the admin port.
 */
public final class EmbeddedJetty {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedJetty.class);
  private static final long STOP_TIMEOUT_MS = 10_000;

  /** Bodies up to this size are received before the servlet runs; larger ones stream. */
  private static final long BUFFERED_BODY_BYTES = 4L * 1024 * 1024;

  private static final String MAIN = "main";
  private static final String ADMIN = "admin";

  private final Server server = new Server();
  private final ServerConnector connector;
  private final @Nullable ServerConnector adminConnector;
  private final ServerOptions options;

  /**
   * A second listener for the admin routes.
   *
   * @param host the address it binds, such as {@code 127.0.0.1}
   * @param port its port; 0 picks a free one
   * @param context what it serves, typically {@code /admin/*} servlets
   */
  public record AdminListener(String host, int port, ServletContextHandler context) {}

  /** Jetty serving {@code context} where {@code options} say, with the default limits. */
  public EmbeddedJetty(ServerOptions options, ServletContextHandler context) {
    this(options, context, ConnectorLimits.defaults());
  }

  /** Jetty serving {@code context} where {@code options} say; nothing listens before {@link #start}. */
  public EmbeddedJetty(ServerOptions options, ServletContextHandler context, ConnectorLimits limits) {
    this(options, context, limits, null);
  }

  /**
   * Jetty serving {@code context} where {@code options} say and, with {@code admin}, the admin
   * context on its own listener only; nothing listens before {@link #start}.
   */
  public EmbeddedJetty(ServerOptions options, ServletContextHandler context, ConnectorLimits limits, @Nullable AdminListener admin) {
    this.options = options;
    connector = connector(options.host(), options.port(), limits);
    Handler application = context;
    if (admin == null) {
      adminConnector = null;
      server.addConnector(connector);
      server.addBean(new ConnectionLimit(limits.maxConnections(), connector));
    } else {
      connector.setName(MAIN);
      adminConnector = connector(admin.host(), admin.port(), limits);
      adminConnector.setName(ADMIN);
      context.setVirtualHosts(List.of("@" + MAIN));
      admin.context().setVirtualHosts(List.of("@" + ADMIN));
      server.addConnector(connector);
      server.addConnector(adminConnector);
      server.addBean(new ConnectionLimit(limits.maxConnections(), connector));
      server.addBean(new ConnectionLimit(limits.maxConnections(), adminConnector));
      application = new ContextHandlerCollection(context, admin.context());
    }
    server.setHandler(new GracefulHandler(new BodyDeadlineHandler(application, limits.bodyTimeout(), BUFFERED_BODY_BYTES, limits.minRequestDataRate())));
    server.setStopTimeout(STOP_TIMEOUT_MS);
  }

  private ServerConnector connector(String host, int port, ConnectorLimits limits) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
    c.setHost(host);
    c.setPort(port);
    c.setIdleTimeout(limits.idleTimeout().toMillis());
    if (limits.maxConnectionsPerClient() > 0) {
      c.addBean(new PerClientConnectionLimit(limits.maxConnectionsPerClient()));
    }
    return c;
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
      String where = options.host() + ":" + options.port()
          + (adminConnector == null ? "" : " and " + adminConnector.getHost() + ":" + adminConnector.getPort() + " (admin)");
      throw new HooksException("cannot listen on " + where + ": " + e.getMessage()
          + "; choose another port with --port or HOOKS_PORT" + (adminConnector == null ? "" : ", or another admin.port"), e);
    }
  }

  /** The port of the admin listener, or -1 without one. */
  public int adminPort() {
    return adminConnector == null ? -1 : adminConnector.getLocalPort();
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
