package dev.hooks.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.ingress.IngressObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class ConsoleFeedTest {
  private static IngressObservation item(String id) {
    return new IngressObservation("github", id, 202, null, "push", Instant.EPOCH, 1000);
  }

  @Test
  void aFullQueueDropsNewItemsForThatWatcherWithoutBlocking() throws Exception {
    ConsoleFeed feed = new ConsoleFeed(2, 2);
    ConsoleFeed.Watcher w = feed.watch();
    for (int i = 0; i < 5; i++) {
      feed.onResult(item("r" + i));
    }
    assertThat(feed.dropped()).isEqualTo(3);
    assertThat(w.next(Duration.ZERO).requestId()).isEqualTo("r0");
    assertThat(w.next(Duration.ZERO).requestId()).isEqualTo("r1");
    assertThat(w.next(Duration.ZERO)).isNull();
  }

  @Test
  void watchersPastTheLimitAreRefusedAndAClosedWatcherFreesItsPlace() {
    ConsoleFeed feed = new ConsoleFeed(1, 4);
    ConsoleFeed.Watcher first = feed.watch();
    assertThat(feed.watch()).isNull();
    first.close();
    assertThat(feed.watch()).isNotNull();
  }

  @Test
  void closingTheFeedEndsEveryWatcher() {
    ConsoleFeed feed = ConsoleFeed.ofDefaults();
    ConsoleFeed.Watcher w = feed.watch();
    feed.close();
    assertThatThrownBy(() -> w.next(Duration.ofSeconds(5))).isInstanceOf(CancellationException.class);
    assertThat(feed.watch()).isNull();
  }
}
