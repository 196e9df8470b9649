package dev.hooks.bench;

import dev.hooks.Hooks;
import dev.hooks.ingress.Endpoint;
import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.journal.Durability;
import dev.hooks.journal.EventJournal;
import dev.hooks.journal.InMemoryEventJournal;
import dev.hooks.parsers.GitHubPayloadParser;
import dev.hooks.route.Route;
import dev.hooks.servlet.HooksServlet;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.verify.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * hooks behind HooksServlet on Jetty 12 with a chosen journal, for taking ingest apart in the wrk
 * benchmark: {@code memory} isolates ingress and dispatch from storage (an in-memory journal that
 * keeps no done entries, so a long run measures no growing heap); {@code h2-os} and
 * {@code h2-sync} are the sample server's journal. Every event goes to a handler that does nothing.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.hooks.bench.HooksServletServer PORT SECRET memory|h2-os|h2-sync}
 */
public final class HooksServletServer {
  private HooksServletServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String journalKind = args[2];
    EventJournal journal = switch (journalKind) {
      case "memory" -> new InMemoryEventJournal(0);
      case "h2-os", "h2-sync" -> JdbcJournals.builder()
          .url("jdbc:h2:file:" + Files.createTempDirectory("hooks-bench").resolve("hooks"))
          .durability(journalKind.equals("h2-sync") ? Durability.SYNC : Durability.OS)
          .build()
          .eventJournal();
      default -> throw new IllegalArgumentException("journal: memory, h2-os or h2-sync");
    };
    Hooks hooks = Hooks.builder()
        .endpoint(Endpoint.builder("github").provider("github")
            .verifier(SignatureVerifiers.githubSha256(List.of(Secret.of(args[1]))))
            .parser(new GitHubPayloadParser())
            .build())
        .journal(journal)
        .route(Route.builder("none").handler(e -> {}).build())
        .build()
        .start();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HooksServlet(hooks)), "/*");
    server.setHandler(context);
    server.start();
    System.out.println("hooks servlet (" + journalKind + ") listening on 127.0.0.1:" + port + ", data " + Path.of("."));
    server.join();
  }
}
