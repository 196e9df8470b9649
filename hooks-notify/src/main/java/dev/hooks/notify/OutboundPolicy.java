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
  private final boolean plainHttp;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private volatile HttpClient client;

  private OutboundPolicy(Builder b) {
    this.hosts = Set.copyOf(b.hosts);
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

  /** Whether a request to {@code uri} is allowed: scheme, then host against the list. */
  public boolean isAllowed(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(plainHttp && scheme.equals("http"))) {
      return false;
    }
    String host = uri.getHost();
    if (host == null || uri.getUserInfo() != null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    for (String allowed : hosts) {
      if (allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed)) {
        return true;
      }
    }
    return false;
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
    return "OutboundPolicy" + hosts;
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final Set<String> hosts = new LinkedHashSet<>();
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
