package dev.hooks.event;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One webhook request as it arrived: the exact body bytes, the headers, the method, the public
 * URL a sender may have signed, the client address and the instant it was received. Verifiers
 * and parsers work on this, never on a re-encoded body.
 *
 * <p>Immutable and thread-safe as long as nobody writes to the array that {@link #body()}
 * returns; for speed it is not copied, so treat it as read-only.
 */
public final class Delivery {
  private final String endpointId;
  private final String method;
  private final String url;
  private final Headers headers;
  private final byte[] body;
  private final @Nullable InetAddress remoteAddress;
  private final Instant receivedAt;

  private Delivery(Builder b) {
    this.endpointId = Objects.requireNonNull(b.endpointId, "endpointId");
    this.method = Objects.requireNonNull(b.method, "method");
    this.url = Objects.requireNonNull(b.url, "url");
    this.headers = Objects.requireNonNull(b.headers, "headers");
    this.body = Objects.requireNonNull(b.body, "body");
    this.remoteAddress = b.remoteAddress;
    this.receivedAt = Objects.requireNonNull(b.receivedAt, "receivedAt");
  }

  public static Builder builder(String endpointId) {
    return new Builder().endpointId(endpointId);
  }

  public Builder toBuilder() {
    return new Builder()
        .endpointId(endpointId)
        .method(method)
        .url(url)
        .headers(headers)
        .body(body)
        .remoteAddress(remoteAddress)
        .receivedAt(receivedAt);
  }

  /** The id of the {@code Endpoint} the request was sent to. */
  public String endpointId() {
    return endpointId;
  }

  /** The HTTP method, upper case. */
  public String method() {
    return method;
  }

  /** The public URL of the request as the sender saw it (schemes such as Twilio sign it). */
  public String url() {
    return url;
  }

  public Headers headers() {
    return headers;
  }

  /** The exact bytes received. Do not modify. */
  public byte[] body() {
    return body;
  }

  /** The value of the Content-Type header without parameters, lower case; empty when absent. */
  public String mediaType() {
    return headers.first("content-type").map(Delivery::mediaTypeOf).orElse("");
  }

  /** The client's address, when the adapter knows it. */
  public Optional<InetAddress> remoteAddress() {
    return Optional.ofNullable(remoteAddress);
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  /** {@code "application/json; charset=utf-8"} becomes {@code "application/json"}. */
  public static String mediaTypeOf(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String toString() {
    return "Delivery[" + method + " " + endpointId + ", " + body.length + " bytes]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private @Nullable String endpointId;
    private String method = "POST";
    private String url = "";
    private Headers headers = Headers.empty();
    private byte[] body = new byte[0];
    private @Nullable InetAddress remoteAddress;
    private Instant receivedAt = Instant.EPOCH;

    private Builder() {}

    public Builder endpointId(String endpointId) {
      this.endpointId = endpointId;
      return this;
    }

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    public Builder url(String url) {
      this.url = url;
      return this;
    }

    public Builder headers(Headers headers) {
      this.headers = headers;
      return this;
    }

    /** Takes the array without copying it. */
    public Builder body(byte[] body) {
      this.body = body;
      return this;
    }

    public Builder remoteAddress(@Nullable InetAddress remoteAddress) {
      this.remoteAddress = remoteAddress;
      return this;
    }

    public Builder receivedAt(Instant receivedAt) {
      this.receivedAt = receivedAt;
      return this;
    }

    public Delivery build() {
      return new Delivery(this);
    }
  }
}
