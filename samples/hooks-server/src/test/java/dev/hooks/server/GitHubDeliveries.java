package dev.hooks.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds requests the way GitHub sends them: {@code X-Hub-Signature-256: sha256=} and the hex
 * HMAC-SHA256 of the raw body under the webhook secret, {@code X-GitHub-Event},
 * {@code X-GitHub-Delivery} (GitHub's documentation, "Validating webhook deliveries").
 */
final class GitHubDeliveries {
  /** The secret of GitHub's documented test vector. */
  static final String DOC_SECRET = "It's a Secret to Everybody";

  private GitHubDeliveries() {}

  /** The octokit push example, see {@code src/test/resources/github/README.md}. */
  static byte[] pushPayload() {
    try (InputStream in = GitHubDeliveries.class.getResourceAsStream("/github/push-with-new-branch.json")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpRequest push(URI uri, String secret, String deliveryId, byte[] body) {
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("User-Agent", "GitHub-Hookshot/044aadd")
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", deliveryId)
        .header("X-Hub-Signature-256", signature(secret, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }
}
