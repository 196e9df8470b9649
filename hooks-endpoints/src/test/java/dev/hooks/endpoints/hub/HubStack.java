package dev.hooks.endpoints.hub;

import dev.hooks.Hooks;
import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.notify.DiscordNotifier;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.notify.OutboxSender;
import dev.hooks.servlet.HooksServlet;
import dev.hooks.servlet.admin.HooksAdminServlet;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One whole process as a server would assemble it: an H2 file for the journal, the hub's state
 * and the outbox; hooks; an outbox sender to the loopback Discord; the hub; and a real Jetty on
 * a random port serving {@code /hooks/*} and {@code /admin/*}.
 */
final class HubStack implements AutoCloseable {
  static final String ADMIN_TOKEN = "test-admin-token-4f1c2b9e7a";
  /** A second identity's token: its changes are audited as {@code token:ops}. */
  static final String OPS_TOKEN = "test-ops-token-9d03e1c5b7";

  final JdbcJournals journals;
  final Hooks hooks;
  final OutboxSender sender;
  final NotificationHub hub;
  private final Server jetty;
  private final ServerConnector connector;

  HubStack(Path dataDir, URI discordWebhook) throws Exception {
    journals = JdbcJournals.builder().url("jdbc:h2:file:" + dataDir.resolve("hooks").toAbsolutePath()).build();
    hooks = Hooks.builder().journal(journals.eventJournal()).build();
    OutboundPolicy loopback = OutboundPolicy.builder().allowTarget(discordWebhook).allowPlainHttp(true).build();
    NotifierRegistry notifiers = NotifierRegistry.of(DiscordNotifier.builder("discord", discordWebhook).outbound(loopback).build());
    sender = OutboxSender.builder(journals.outbox(), notifiers).build();

    jetty = new Server();
    connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    connector.open();

    hub = NotificationHub.builder(hooks, journals.stateStore(), journals.outbox(), notifiers)
        .publicUrl(URI.create("http://127.0.0.1:" + connector.getLocalPort()))
        .defaultTarget("discord")
        .outbound(loopback)
        .build()
        .start();
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HooksServlet(hooks)), "/*");
    context.addServlet(new ServletHolder(new HooksAdminServlet(hub, hooks.journal(), java.time.Clock.systemUTC(),
        java.util.Map.of("admin", ADMIN_TOKEN, "ops", OPS_TOKEN), dev.hooks.servlet.admin.AdminGuard.ofDefaults())), "/admin/*");
    jetty.setHandler(context);
    jetty.start();
    hooks.start();
    sender.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + path;
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
    sender.close();
    hooks.close();
    journals.close();
  }
}
