package dev.hooks.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where notifiers may send and how long they may wait: an allow-list of hosts checked before
 * every request, HTTPS only unless plain HTTP is allowed, no redirects followed, and bounded
 * connect and request timeouts. A webhook URL set at run time cannot reach a host that is not on
 * the list (no server-side request forgery through configuration). Immutable and thread-safe;
 * share one per application (it holds one {@link HttpClient}).
 *
 * <pre>{@code
 * OutboundPolicy policy = OutboundPolicy.builder()
 *     .allowHost("discord.com").allowHost("*.slack.com")
 *     .requestTimeout(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 */
public final class OutboundPolicy {
  private final Set<String> hosts;
  private final Set<String> origins;
  private final boolean plainHttp;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private volatile HttpClient client;

  private OutboundPolicy(Builder b) {
    this.hosts = Set.copyOf(b.hosts);
    this.origins = Set.copyOf(b.origins);
    this.plainHttp = b.plainHttp;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** HTTPS to exactly these hosts (or {@code *.domain} patterns), default timeouts. */
  public static OutboundPolicy allowing(String... hosts) {
    Builder b = builder();
    for (String h : hosts) {
      b.allowHost(h);
    }
    return b.build();
  }

  /**
   * Whether a request to {@code uri} is allowed: the scheme; the host against the list; when
   * targets are {@linkplain Builder#allowTarget pinned}, scheme, host and port exactly as one of
   * them; and a path without dot segments ({@code ..}, {@code .}, also percent-encoded as
   * {@code %2e%2e} in any case or encoded twice), encoded slashes or backslashes, so that a
   * path prefix checked on it means what it says.
   */
  public boolean isAllowed(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(plainHttp && scheme.equals("http"))) {
      return false;
    }
    String host = uri.getHost();
    if (host == null || uri.getUserInfo() != null || !isSafePath(uri.getRawPath())) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (!origins.isEmpty() && !origins.contains(origin(scheme, host, uri.getPort()))) {
      return false;
    }
    for (String allowed : hosts) {
      if (allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed)) {
        return true;
      }
    }
    return false;
  }

  private static String origin(String scheme, String host, int port) {
    int p = port != -1 ? port : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + host + ":" + p;
  }

  /**
   * Whether a raw path has no dot segment, encoded slash or backslash, however it is
   * percent-encoded (each segment is decoded until it no longer changes, at most a few times).
   */
  static boolean isSafePath(@org.jspecify.annotations.Nullable String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return true;
    }
    if (rawPath.indexOf('\\') >= 0) {
      return false;
    }
    for (String segment : rawPath.split("/", -1)) {
      String s = segment;
      for (int round = 0; round < 4; round++) {
        if (s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0) {
          return false;
        }
        String decoded = percentDecode(s);
        if (decoded == null) {
          return false;
        }
        if (decoded.equals(s)) {
          break;
        }
        if (round == 3) {
          return false;
        }
        s = decoded;
      }
    }
    return true;
  }

  /** Percent-decodes one segment as UTF-8 bytes; {@code null} for a malformed escape. */
  private static @org.jspecify.annotations.Nullable String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * @throws IllegalArgumentException naming the host and the fix, if {@code uri} is not allowed
   */
  public URI requireAllowed(URI uri, String what) {
    if (!isAllowed(uri)) {
      throw new IllegalArgumentException(what + " host '" + uri.getHost() + "' (scheme " + uri.getScheme()
          + ") is not allowed; add it with OutboundPolicy.builder().allowHost(\"" + uri.getHost() + "\")"
          + ("http".equalsIgnoreCase(uri.getScheme()) ? ".allowPlainHttp(true)" : ""));
    }
    return uri;
  }

  public Set<String> hosts() {
    return hosts;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The most one request may take, answer included. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The shared client: no redirects, this policy's connect timeout. */
  public HttpClient httpClient() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          c = HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(connectTimeout)
              .build();
          client = c;
        }
      }
    }
    return c;
  }

  @Override
  public String toString() {
    return "OutboundPolicy" + hosts + (origins.isEmpty() ? "" : " pinned to " + origins);
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final Set<String> hosts = new LinkedHashSet<>();
    private final Set<String> origins = new LinkedHashSet<>();
    private boolean plainHttp;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(15);

    private Builder() {}

    /** A host name such as {@code discord.com}, or {@code *.example.com} for its subdomains. */
    public Builder allowHost(String host) {
      String h = Objects.requireNonNull(host, "host").trim().toLowerCase(Locale.ROOT);
      if (h.isEmpty() || h.equals("*") || h.equals("*.")) {
        throw new IllegalArgumentException("host pattern '" + host + "' would allow every host; name the hosts");
      }
      hosts.add(h);
      return this;
    }

    /**
     * Pins requests to the scheme, host and port of {@code configured} (a configured target
     * such as {@code https://discord.com/api/webhooks/1/x}) and allows its host. Once a target is
     * pinned, a URL reaches only the scheme, host and port of a pinned target: a webhook URL set
     * at run time on an allowed host cannot name another port or scheme.
     *
     * @throws IllegalArgumentException if {@code configured} has no scheme or host
     */
    public Builder allowTarget(URI configured) {
      Objects.requireNonNull(configured, "configured");
      if (configured.getScheme() == null || configured.getHost() == null) {
        throw new IllegalArgumentException("target '" + configured.getHost() + "' needs a scheme and a host, such as https://discord.com/api/webhooks/...");
      }
      String host = configured.getHost().toLowerCase(Locale.ROOT);
      allowHost(host);
      origins.add(origin(configured.getScheme().toLowerCase(Locale.ROOT), host, configured.getPort()));
      return this;
    }

    /** Whether plain {@code http} is allowed too, e.g. for a sink on the same host; default false. */
    public Builder allowPlainHttp(boolean allow) {
      this.plainHttp = allow;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    public OutboundPolicy build() {
      return new OutboundPolicy(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
