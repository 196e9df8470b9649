package dev.hooks.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.WebhookEvent;
import dev.hooks.jdbc.JdbcJournals;
import dev.hooks.outbox.OutboxEntry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A digest window spanning a kill -9: a child JVM counts events into a one-hour window kept in
 * the H2 state store and is killed (SIGKILL) while the window is open; a new process adds one
 * more event, and when the window ends exactly one digest is enqueued, with every event.
 */
class DurableDigestKillIT {
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir
  Path dir;

  @Test
  void aDigestWindowSpanningAKillAndRestartSendsOneDigestWithEveryEvent() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("hooks");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        CountThenWait.class.getName(), url, "5")
        .redirectErrorStream(true)
        .start();
    List<String> handled = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("ready")) {
        if (line.startsWith("handled ")) {
          handled.add(line.substring("handled ".length()));
        }
      }
      assertThat(line).isEqualTo("ready");
      child.destroyForcibly(); // SIGKILL: nothing is flushed or closed
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(child.exitValue()).isEqualTo(137);
    assertThat(handled).hasSize(5);

    MutableClock clock = new MutableClock(START.plus(Duration.ofMinutes(30)));
    try (JdbcJournals db = JdbcJournals.builder().url(url).purgeInterval(Duration.ZERO).build()) {
      NotifyHandler restarted = handler(db, clock);
      restarted.handle(push("push-late", "late"));
      restarted.handle(push("push-0", "b0")); // redelivered after the restart: counted once
      assertThat(restarted.flushDigests()).isZero();
      clock.advance(Duration.ofMinutes(31));
      assertThat(restarted.flushDigests()).isEqualTo(1);
      assertThat(restarted.flushDigests()).isZero();
      assertThat(handler(db, clock).flushDigests()).isZero();

      List<OutboxEntry> queued = db.outbox().claim("test", clock.instant(), Duration.ofMinutes(1), 100);
      assertThat(queued).hasSize(1);
      String body = queued.get(0).message().body();
      assertThat(body).contains("6 events").contains("Pushes: 6").contains("b0", "b1", "b2", "b3", "b4", "late");
      assertThat(db.stateStore().list("digest-")).isEmpty();
    }
  }

  static NotifyHandler handler(JdbcJournals db, Clock clock) {
    NotifierRegistry notifiers = NotifierRegistry.of(
        DiscordNotifier.builder("discord", URI.create("https://discord.com/api/webhooks/1/never-called")).build());
    return NotifyHandler.builder(db.outbox(), notifiers)
        .digestState(db.stateStore())
        .clock(clock)
        .route(NotificationRoute.builder("activity").provider("github").digest(Duration.ofHours(1)).to("discord").build())
        .build();
  }

  static WebhookEvent push(String id, String branch) {
    return WebhookEvent.builder(id, "github", "push").branch(branch).repository("octo/hooks").build();
  }

  /** The child: counts events into the window, says so, then waits to be killed. */
  public static final class CountThenWait {
    public static void main(String[] args) throws Exception {
      JdbcJournals db = JdbcJournals.builder().url(args[0]).purgeInterval(Duration.ZERO).build();
      NotifyHandler handler = handler(db, Clock.fixed(START, ZoneOffset.UTC));
      int n = Integer.parseInt(args[1]);
      for (int i = 0; i < n; i++) {
        handler.handle(push("push-" + i, "b" + i));
        System.out.println("handled push-" + i);
      }
      System.out.println("ready");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
