package dev.hooks.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Sends hand-written HTTP/1.1 bytes, for requests no well-behaved client would send. Shared with
 * the sample server's tests through this module's test-jar.
 */
public final class RawHttp {
  private RawHttp() {}

  /** The answer: status code (0 when the server closed without answering) and the whole text. */
  public record Answer(int status, String text) {}

  public static Answer exchange(int port, String head, byte[] body, Consumer<Socket> afterWrite) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      afterWrite.accept(socket);
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          received.write(buf, 0, n);
          if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
            break;
          }
        }
      } catch (IOException e) {
        // The server may reset the connection after answering; keep what arrived.
      }
      String text = received.toString(StandardCharsets.ISO_8859_1);
      int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
      return new Answer(status, text);
    }
  }

  public static void halfClose(Socket socket) {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the head and a Content-Length body have fully arrived. */
  private static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    for (String line : text.substring(0, end).split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        int length = Integer.parseInt(line.substring("content-length:".length()).trim());
        return text.length() - end - 4 >= length;
      }
    }
    return false;
  }
}
