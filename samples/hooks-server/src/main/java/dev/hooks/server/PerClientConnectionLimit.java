package dev.hooks.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a new connection at once when its client address already has the allowed number open,
 * so that one client cannot take every connection of the listener. Added to a connector as a
 * bean. Thread-safe.
 */
final class PerClientConnectionLimit implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(PerClientConnectionLimit.class);

  private final int max;
  private final ConcurrentMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

  PerClientConnectionLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress client = clientOf(connection);
    if (client == null) {
      return;
    }
    int now = open.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
    if (now > max) {
      LOG.debug("client {} has {} connections open, over the limit of {}: closing the new one", client.getHostAddress(), now - 1, max);
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress client = clientOf(connection);
    if (client == null) {
      return;
    }
    open.computeIfPresent(client, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  /** Connections open now from {@code client}. */
  int openFrom(InetAddress client) {
    AtomicInteger count = open.get(client);
    return count == null ? 0 : count.get();
  }

  private static InetAddress clientOf(Connection connection) {
    SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
