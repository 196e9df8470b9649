package dev.hooks.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code supervisor} profile as written: a supervisor listener's form body over HTTP to
 * {@code /hooks/supervisor} becomes a message at a loopback server that answers as a Discord
 * webhook does (204). The body is the example request of superhooks' README
 * (https://github.com/skyrocknroll/superhooks), hooks-parsers' {@code supervisor/superhooks-readme-exited.form}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("supervisor")
class SupervisorProfileTest {
  private static final String TOKEN = "supervisor-token-0123456789";
  private static final String EXITED = "from_state=RUNNING&a=b&c=d&event_name=PROCESS_STATE_EXITED&process_name=cat%3Ameow"
      + "&pheaders_all=from_state%3ARUNNING+processname%3Ameow+pid%3A25232+expected%3A0+groupname%3Acat+";
  private static final LoopbackDiscord DISCORD = LoopbackDiscord.start();

  @TempDir
  static Path data;

  @LocalServerPort
  int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("hooks.journal.data-dir", () -> data.toString());
    registry.add("GITHUB_WEBHOOK_SECRET", () -> "It's a Secret to Everybody");
    registry.add("SUPERVISOR_TOKEN", () -> TOKEN);
    registry.add("DISCORD_WEBHOOK_URL", DISCORD::url);
  }

  @AfterAll
  static void stop() {
    DISCORD.close();
  }

  @Test
  void aProcessThatExitedIsAnnouncedInTheChannel() throws Exception {
    assertThat(post("Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
    assertThat(post("Bearer " + TOKEN).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(15)).until(() -> !DISCORD.messages().isEmpty());
    assertThat(DISCORD.messages().get(0)).contains("meow");
    assertThat(DISCORD.messages()).hasSize(1);
  }

  private HttpResponse<String> post(String authorization) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/supervisor"))
        .header("Authorization", authorization).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(EXITED, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
  }

}
