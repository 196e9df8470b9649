package dev.hooks.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
  private final ConcurrentMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
  /**
   * The address each counted connection was opened from: once closed, an endpoint no longer
   * knows its remote address, so the count is given back by this record.
   */
  private final ConcurrentMap<Connection, InetAddress> counted = new ConcurrentHashMap<>();

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
    int now = open.merge(client, 1, Integer::sum);
    if (now > max) {
      giveBack(client);
      LOG.debug("client {} has {} connections open, over the limit of {}: closing the new one", client.getHostAddress(), now - 1, max);
      connection.getEndPoint().close();
      return;
    }
    counted.put(connection, client);
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress client = counted.remove(connection);
    if (client != null) {
      giveBack(client);
    }
  }

  private void giveBack(InetAddress client) {
    open.computeIfPresent(client, (k, count) -> count <= 1 ? null : count - 1);
  }

  private static InetAddress clientOf(Connection connection) {
    SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
