package dev.hooks.servlet;

import dev.hooks.event.Headers;
import dev.hooks.ingress.InboundRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Enumeration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A servlet request seen as an {@link InboundRequest}; nothing is read until ingress asks. Used
 * on the request's thread only.
 */
final class ServletInboundRequest implements InboundRequest {
  private final String endpointId;
  private final HttpServletRequest request;
  private @Nullable Headers headers;
  private @Nullable InetAddress remote;
  private boolean remoteRead;
  private @Nullable ReadFailuresAsIoException body;

  ServletInboundRequest(String endpointId, HttpServletRequest request) {
    this.endpointId = endpointId;
    this.request = request;
  }

  @Override
  public String endpointId() {
    return endpointId;
  }

  @Override
  public String method() {
    return request.getMethod().toUpperCase(Locale.ROOT);
  }

  @Override
  public String url() {
    StringBuffer url = request.getRequestURL();
    String query = request.getQueryString();
    if (query != null) {
      url.append('?').append(query);
    }
    return url.toString();
  }

  @Override
  public Headers headers() {
    if (headers == null) {
      headers = copyHeaders(request);
    }
    return headers;
  }

  private static Headers copyHeaders(HttpServletRequest request) {
    Headers.Builder b = Headers.builder();
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      Enumeration<String> values = request.getHeaders(name);
      while (values != null && values.hasMoreElements()) {
        b.add(name, values.nextElement());
      }
    }
    return b.build();
  }

  @Override
  public long contentLength() {
    return request.getContentLengthLong();
  }

  @Override
  public InputStream body() throws IOException {
    body = new ReadFailuresAsIoException(request.getInputStream());
    return body;
  }

  /**
   * Whether the request's body, if it has one, was read to its end. A container closes the
   * connection after answering a request whose body is left unread; the servlet then says so
   * with {@code Connection: close}, so a client does not send its next request on it.
   */
  boolean bodyConsumed() {
    long declared = request.getContentLengthLong();
    if (declared == 0 || (declared < 0 && request.getHeader("Transfer-Encoding") == null)) {
      return true;
    }
    return body != null && (body.ended || (declared > 0 && body.count >= declared));
  }

  @Override
  public @Nullable InetAddress remoteAddress() {
    if (!remoteRead) {
      remote = addressOf(request.getRemoteAddr());
      remoteRead = true;
    }
    return remote;
  }

  /** The address of a numeric IP literal; null for anything else, so that no name is ever resolved. */
  static @Nullable InetAddress addressOf(@Nullable String literal) {
    if (literal == null || literal.isEmpty()) {
      return null;
    }
    String s = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
    int zone = s.indexOf('%');
    if (!looksNumeric(zone >= 0 ? s.substring(0, zone) : s)) {
      return null;
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether {@code address} is written only with what an IPv4 (digits, dots) or IPv6 (hex digits,
   * colons, dots) literal uses. ASCII only: {@link InetAddress#getByName} takes other scripts'
   * digits for a host name and would resolve it.
   */
  static boolean looksNumeric(String address) {
    if (address.isEmpty()) {
      return false;
    }
    boolean v6 = address.indexOf(':') >= 0;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || c == '.' || (v6 && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Containers may report a broken request body (a bad chunk, a client that hung up) with an
   * unchecked exception; ingress answers an {@link IOException} with 400, so every read failure
   * is turned into one.
   */
  static final class ReadFailuresAsIoException extends InputStream {
    private final InputStream in;
    long count;
    boolean ended;

    ReadFailuresAsIoException(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = in.read();
        if (b < 0) {
          ended = true;
        } else {
          count++;
        }
        return b;
      } catch (RuntimeException e) {
        throw new IOException("request body could not be read", e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = in.read(b, off, len);
        if (n < 0) {
          ended = true;
        } else {
          count += n;
        }
        return n;
      } catch (RuntimeException e) {
        throw new IOException("request body could not be read", e);
      }
    }

    @Override
    public int available() throws IOException {
      try {
        return in.available();
      } catch (RuntimeException e) {
        throw new IOException("request body could not be read", e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } catch (RuntimeException e) {
        throw new IOException("request body could not be closed", e);
      }
    }
  }
}
