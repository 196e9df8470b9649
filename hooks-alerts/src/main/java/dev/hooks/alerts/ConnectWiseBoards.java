package dev.hooks.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A cached proxy to ConnectWise Manage's service boards ({@code GET /service/boards}), as
 * HookWise's {@code GET /api/cw/boards} serves them to its settings page: the first call asks
 * ConnectWise through the sink's credentials, later calls within {@code ttl} answer the cached
 * body. A failed call is not cached. Thread-safe; concurrent callers of an expired cache share one
 * call to ConnectWise.
 *
 * <pre>{@code
 * ConnectWiseBoards boards = new ConnectWiseBoards(connectWise, Duration.ofMinutes(5), clock);
 * String json = boards.boards();   // a JSON array of boards
 * }</pre>
 */
public final class ConnectWiseBoards {
  private final ConnectWiseSink sink;
  private final Duration ttl;
  private final Clock clock;
  private @Nullable String cached;
  private Instant fetchedAt = Instant.MIN;

  /**
   * @param ttl how long an answer is served from the cache; zero asks every time
   * @throws IllegalArgumentException if {@code ttl} is negative
   */
  public ConnectWiseBoards(ConnectWiseSink sink, Duration ttl, Clock clock) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("the boards cache time must not be negative");
    }
  }

  /**
   * The boards, a JSON array as ConnectWise answered it, from the cache while it is fresh.
   *
   * @throws SinkException with ConnectWise's status and error body, or the I/O failure
   */
  public synchronized String boards() throws SinkException {
    Instant now = clock.instant();
    if (cached != null && now.isBefore(fetchedAt.plus(ttl))) {
      return cached;
    }
    String body = sink.boards();
    cached = body;
    fetchedAt = now;
    return body;
  }

  /** The name of the ConnectWise sink asked. */
  public String sinkName() {
    return sink.name();
  }

  @Override
  public String toString() {
    return "ConnectWiseBoards[" + sink.name() + ", ttl=" + ttl + "]";
  }
}
