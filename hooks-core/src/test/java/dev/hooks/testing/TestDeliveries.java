package dev.hooks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.event.WebhookEvent;
import dev.hooks.ingress.InboundRequest;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/** Small real implementations of the SPIs for hooks-core's own tests. */
public final class TestDeliveries {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestDeliveries() {}

  /** Accepts a delivery whose X-Token header equals {@code token} (compared in constant time). */
  public static SignatureVerifier tokenVerifier(String token) {
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return delivery -> delivery.headers().first("x-token")
        .map(v -> MessageDigest.isEqual(v.getBytes(StandardCharsets.UTF_8), expected)
            ? Verification.ok()
            : Verification.rejected(Verification.Reason.MISMATCH, "x-token differs"))
        .orElse(Verification.rejected(Verification.Reason.MISSING, "no x-token"));
  }

  /**
   * Reads a JSON object {"id":..., "type":..., "repo":..., "branch":...}; the id falls back to
   * the X-Delivery header, then a content hash.
   */
  public static PayloadParser jsonParser() {
    return delivery -> {
      JsonNode root;
      try {
        root = JSON.readTree(delivery.body());
      } catch (IOException e) {
        return ParseResult.failed("body is not JSON");
      }
      if (root == null || !root.isObject()) {
        return ParseResult.failed("body is not a JSON object");
      }
      String id = root.path("id").asText(DeliveryIds.fromHeaderOrHash(delivery, "x-delivery"));
      return ParseResult.ok(WebhookEvent.builder(id.isEmpty() ? DeliveryIds.contentHash(delivery) : id, "test", root.path("type").asText("custom"))
          .endpointId(delivery.endpointId())
          .repository(root.path("repo").asText(null))
          .branch(root.path("branch").asText(null))
          .receivedAt(delivery.receivedAt())
          .payload(root)
          .build());
    };
  }

  public static Request post(String endpoint, String body) {
    return new Request(endpoint, "POST", body.getBytes(StandardCharsets.UTF_8));
  }

  public static Delivery delivery(String endpoint, String body) {
    return Delivery.builder(endpoint).body(body.getBytes(StandardCharsets.UTF_8)).build();
  }

  /** An {@link InboundRequest} built in memory; setters return this. */
  public static final class Request implements InboundRequest {
    private final String endpoint;
    private final byte[] body;
    private final Headers.Builder headers = Headers.builder();
    private String method;
    private @Nullable String contentType = "application/json";
    private long contentLength;
    private @Nullable InetAddress remote;
    private @Nullable IOException failure;

    Request(String endpoint, String method, byte[] body) {
      this.endpoint = endpoint;
      this.method = method;
      this.body = body;
      this.contentLength = body.length;
    }

    public Request method(String method) {
      this.method = method;
      return this;
    }

    public Request header(String name, String value) {
      headers.add(name, value);
      return this;
    }

    /** Replaces the Content-Type; null sends none. */
    public Request contentType(@Nullable String value) {
      this.contentType = value;
      return this;
    }

    /** Declares a length other than the body's (or -1 for chunked). */
    public Request contentLength(long length) {
      this.contentLength = length;
      return this;
    }

    public Request from(String address) throws IOException {
      this.remote = InetAddress.getByName(address);
      return this;
    }

    /** The body stream fails after its bytes, as a client abort does. */
    public Request failing(IOException e) {
      this.failure = e;
      return this;
    }

    @Override
    public String endpointId() {
      return endpoint;
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public String url() {
      return "http://localhost/hooks/" + endpoint;
    }

    @Override
    public Headers headers() {
      Headers h = headers.build();
      if (contentType == null) {
        return h;
      }
      Headers.Builder b = Headers.builder().add("Content-Type", contentType);
      h.asMap().forEach((n, vs) -> vs.forEach(v -> b.add(n, v)));
      return b.build();
    }

    @Override
    public long contentLength() {
      return contentLength;
    }

    @Override
    public InputStream body() {
      if (failure == null) {
        return new ByteArrayInputStream(body);
      }
      IOException f = failure;
      return new InputStream() {
        int i;

        @Override
        public int read() throws IOException {
          if (i < body.length) {
            return body[i++] & 0xFF;
          }
          throw f;
        }
      };
    }

    @Override
    public @Nullable InetAddress remoteAddress() {
      return remote;
    }
  }
}
