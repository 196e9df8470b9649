package dev.hooks.server;

import dev.hooks.server.ServerConfig.HttpConfig;
import java.time.Duration;

/**
 * What the listener allows a client, against slow or greedy ones: open connections in total and
 * per client address, an idle timeout, a minimum request data rate and a deadline for a whole
 * request body. Bodies are received without holding a request thread, so a client trickling
 * bytes costs a socket and a buffer, never a thread, until one of these limits cuts it off.
 * Immutable and thread-safe.
 *
 * @param maxConnections open connections at most; past it new ones wait in the accept backlog
 * @param maxConnectionsPerClient open connections of one address at most; 0 means no limit
 * @param idleTimeout how long a connection may send nothing
 * @param minRequestDataRate the slowest a body may arrive, in bytes per second; 0 means no limit
 * @param bodyTimeout how long a whole request body may take to arrive
 */
public record ConnectorLimits(int maxConnections, int maxConnectionsPerClient, Duration idleTimeout,
    long minRequestDataRate, Duration bodyTimeout) {
  /** The defaults: 2000 connections, 200 per client, 30 s idle, 1 KB/s, 10 s per body. */
  public static ConnectorLimits defaults() {
    return new ConnectorLimits(2000, 200, Duration.ofSeconds(30), 1024, Duration.ofSeconds(10));
  }

  /**
   * The limits of the {@code server:} section, defaults where a key is absent.
   *
   * @throws ConfigException naming the key when a value is not valid
   */
  static ConnectorLimits from(HttpConfig c, String source) {
    ConnectorLimits d = defaults();
    int max = c.maxConnections == null ? d.maxConnections : c.maxConnections;
    if (max < 1) {
      throw new ConfigException(source + ": server.max-connections must be at least 1, not " + max);
    }
    int perClient = c.maxConnectionsPerClient == null ? d.maxConnectionsPerClient : c.maxConnectionsPerClient;
    if (perClient < 0) {
      throw new ConfigException(source + ": server.max-connections-per-client must be 0 (no limit) or more, not " + perClient);
    }
    Duration idle = c.idleTimeout == null ? d.idleTimeout : positive(ConfigValues.duration(c.idleTimeout, "server.idle-timeout"), "server.idle-timeout", source);
    long rate = c.minRequestDataRate == null ? d.minRequestDataRate
        : c.minRequestDataRate.trim().equals("0") ? 0 : ConfigValues.size(c.minRequestDataRate, "server.min-request-data-rate");
    Duration body = c.bodyTimeout == null ? d.bodyTimeout : positive(ConfigValues.duration(c.bodyTimeout, "server.body-timeout"), "server.body-timeout", source);
    return new ConnectorLimits(max, perClient, idle, rate, body);
  }

  private static Duration positive(Duration d, String key, String source) {
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(source + ": " + key + " must be longer than 0, such as 10s");
    }
    return d;
  }
}
