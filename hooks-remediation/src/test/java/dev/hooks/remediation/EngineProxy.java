package dev.hooks.remediation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP port in front of the Docker Engine's unix socket that a test can cut: {@link
 * #cut()} closes every open connection and refuses new ones until {@link #restore()}, as a
 * restarting Engine or a broken network would.
 */
final class EngineProxy implements AutoCloseable {
  private final ServerSocketChannel server;
  private final Path socket;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private volatile boolean refusing;

  EngineProxy(Path socket) throws IOException {
    this.socket = socket;
    this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::accept, "engine-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String dockerHost() {
    return "tcp://127.0.0.1:" + server.socket().getLocalPort();
  }

  void cut() {
    refusing = true;
    for (SocketChannel c : open) {
      closeQuietly(c);
    }
    open.clear();
  }

  void restore() {
    refusing = false;
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        if (refusing) {
          closeQuietly(client);
          continue;
        }
        SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX);
        engine.connect(UnixDomainSocketAddress.of(socket));
        open.add(client);
        open.add(engine);
        pump(client, engine);
        pump(engine, client);
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    Thread t = new Thread(() -> {
      ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
      try {
        while (from.read(buf) >= 0) {
          buf.flip();
          while (buf.hasRemaining()) {
            to.write(buf);
          }
          buf.clear();
        }
      } catch (IOException closed) {
        // one side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "engine-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cut();
  }
}
