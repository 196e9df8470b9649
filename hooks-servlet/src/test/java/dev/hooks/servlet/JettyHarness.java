package dev.hooks.servlet;

import dev.hooks.Hooks;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty 12 on a random loopback port serving one {@link HooksServlet}. */
final class JettyHarness implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  JettyHarness(Hooks hooks, String mapping) throws Exception {
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HooksServlet(hooks)), mapping);
    server.setHandler(context);
    server.start();
  }

  int port() {
    return connector.getLocalPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
