package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code console:} section: off by default, at its path when on, and the start errors that say the fix. */
class ConsoleConfigTest {
  private static final String TOKEN = "console-config-token-0123456789";
  private static final String BASE = """
      endpoints:
        - id: static
          provider: generic
          verifier:
            scheme: none
      notify:
        discord:
          url: ${DISCORD_URL}
          allow-plain-http: true
      admin:
        token: ${ADMIN_TOKEN}
      """;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer discord;
  private HooksServer server;

  @BeforeEach
  void startDiscord() throws Exception {
    discord = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    discord.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    discord.stop(0);
  }

  private HooksServer start(String yaml) throws Exception {
    Path config = dir.resolve("hooks-" + System.nanoTime() + ".yaml");
    Files.writeString(config, yaml);
    return HooksServer.start(new ServerOptions(config, "127.0.0.1", 0, dir.resolve("data-" + System.nanoTime())),
        Map.of("ADMIN_TOKEN", TOKEN, "DISCORD_URL", "http://127.0.0.1:" + discord.getAddress().getPort() + "/api/webhooks/1/t"),
        new java.io.PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of());
  }

  private int get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void theConsoleIsAbsentUnlessEnabledAndServedAtItsPathWhenEnabled() throws Exception {
    server = start(BASE);
    assertThat(get("/console/")).isEqualTo(404);
    server.close();

    server = start(BASE + "console:\n  enabled: true\n  path: /ops\n");
    assertThat(get("/ops/")).isEqualTo(200);
    assertThat(get("/ops/session")).isEqualTo(401);
    assertThat(get("/console/")).isEqualTo(404);
  }

  @Test
  void anEnabledConsoleWithoutTheAdminSectionOrWithABadPathFailsAtStartSayingTheFix() {
    String withoutAdmin = BASE.substring(0, BASE.indexOf("admin:")) + "console:\n  enabled: true\n";
    assertThatThrownBy(() -> start(withoutAdmin)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("console.enabled needs the 'admin:' section");
    assertThatThrownBy(() -> start(BASE + "console:\n  enabled: true\n  path: /admin\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("console.path must be one segment");
  }
}
