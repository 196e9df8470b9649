package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.WebhookEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileEventHandlerTest {
  @TempDir Path dir;

  private static WebhookEvent push(String id) {
    return WebhookEvent.builder(id, "github", "push").endpointId("github").branch("main").build();
  }

  @Test
  void appendsOneLinePerEventWithProviderTypeAndId() throws Exception {
    Path file = dir.resolve("sub/handled.txt");
    try (FileEventHandler handler = new FileEventHandler("record", file)) {
      handler.handle(push("a"));
      handler.handle(push("b"));
    }

    assertThat(Files.readAllLines(file)).containsExactly("github push a", "github push b");
  }

  @Test
  void anEventHandedOverAgainIsNotWrittenTwiceEvenAfterReopening() throws Exception {
    Path file = dir.resolve("handled.txt");
    try (FileEventHandler handler = new FileEventHandler("record", file)) {
      handler.handle(push("a"));
      handler.handle(push("a"));
    }
    try (FileEventHandler reopened = new FileEventHandler("record", file)) {
      reopened.handle(push("a"));
      reopened.handle(push("b"));
    }

    assertThat(Files.readAllLines(file)).containsExactly("github push a", "github push b");
  }

  @Test
  void aLineCutShortByACrashIsEndedBeforeTheNextOne() throws Exception {
    Path file = dir.resolve("handled.txt");
    Files.writeString(file, "github push a\ngithub pu", StandardCharsets.UTF_8);

    try (FileEventHandler handler = new FileEventHandler("record", file)) {
      handler.handle(push("b"));
    }

    assertThat(Files.readAllLines(file)).containsExactly("github push a", "github pu", "github push b");
  }
}
