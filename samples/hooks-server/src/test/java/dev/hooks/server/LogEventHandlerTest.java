package dev.hooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.WebhookEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogEventHandlerTest {

  @Test
  void printsProviderTypeActionBranchAndDeliveryIdOnOneLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LogEventHandler log = new LogEventHandler("log", new PrintStream(bytes, true, StandardCharsets.UTF_8));

    log.handle(WebhookEvent.builder("72d3162e", "github", "push").endpointId("github").action("created").branch("main").build());
    log.handle(WebhookEvent.builder("a-1", "autoheal", "container").endpointId("autoheal").action("unhealthy").subject("web-1").build());
    log.handle(WebhookEvent.builder("t-1", "github", "tag").endpointId("github").tag("v1.2.0").build());

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "event provider=github type=push action=created branch=main id=72d3162e",
        "event provider=autoheal type=container action=unhealthy subject=web-1 id=a-1",
        "event provider=github type=tag action=- tag=v1.2.0 id=t-1");
  }

  @Test
  void lineBreaksInWebhookValuesAreEscapedSoNoLineIsForged() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LogEventHandler log = new LogEventHandler("log", new PrintStream(bytes, true, StandardCharsets.UTF_8));

    // A branch name is whatever the pusher chose; git refuses control characters but a sender need not.
    log.handle(WebhookEvent.builder("d-1\r\nevent provider=github type=push", "github", "push").endpointId("github")
        .action("created\u001b[2K").branch("main\nevent provider=github type=release action=published branch=prod id=forged").build());

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "event provider=github type=push action=created\\u001b[2K branch=main\\nevent provider=github type=release"
            + " action=published branch=prod id=forged id=d-1\\r\\nevent provider=github type=push");
  }
}
