package dev.hooks.endpoints.hub;

import dev.hooks.event.Headers;
import dev.hooks.ingress.InboundRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The sample delivery of each kind, signed as its sender signs: published payloads (see
 * {@code SOURCES.md} beside them) with the headers the sender sends.
 */
final class Samples {
  static final String TOKEN_HEADER = "X-Hooks-Token";
  static final String SIGNATURE_HEADER = "X-Hooks-Signature";
  static final String DELIVERY_HEADER = "X-Hooks-Delivery";

  private Samples() {}

  static InboundRequest request(HubEntry e, String url) {
    byte[] body = body(e.kind);
    Headers.Builder h = Headers.builder().add("Content-Type", "application/json").add("User-Agent", "hooks-hub-test");
    String delivery = UUID.randomUUID().toString();
    switch (e.kind) {
      case "github" -> h.add("X-GitHub-Event", "push").add("X-GitHub-Delivery", delivery)
          .add("X-Hub-Signature-256", "sha256=" + hmacHex(e.secret, body));
      case "gitlab" -> h.add("X-Gitlab-Event", "Push Hook").add("X-Gitlab-Event-UUID", delivery)
          .add("X-Gitlab-Token", e.secret);
      default -> {
        h.add(DELIVERY_HEADER, delivery);
        if (NotificationHub.SIGNATURE_HMAC.equals(e.signature)) {
          h.add(SIGNATURE_HEADER, "sha256=" + hmacHex(e.secret, body));
        } else {
          h.add(TOKEN_HEADER, e.secret);
        }
      }
    }
    return new SampleRequest(e.id, url, h.build(), body);
  }

  static byte[] body(String kind) {
    String file = switch (kind) {
      case "github" -> "github-push.json";
      case "gitlab" -> "gitlab-push.json";
      case "docker" -> "docker-die.json";
      case "ci" -> "jenkins-completed.json";
      default -> null;
    };
    if (file == null) {
      return "{\"event\":\"test\",\"message\":\"Test notification from hooks\"}".getBytes(StandardCharsets.UTF_8);
    }
    try (InputStream in = Samples.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("sample " + file + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static String hmacHex(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("HmacSHA256 unavailable", ex);
    }
  }

  private record SampleRequest(String endpointId, String url, Headers headers, byte[] bytes) implements InboundRequest {
    @Override
    public String method() {
      return "POST";
    }

    @Override
    public long contentLength() {
      return bytes.length;
    }

    @Override
    public InputStream body() {
      return new ByteArrayInputStream(bytes);
    }

    @Override
    public @Nullable InetAddress remoteAddress() {
      return InetAddress.getLoopbackAddress();
    }

    @Override
    public String toString() {
      return "SampleRequest[" + endpointId + "]";
    }
  }
}
