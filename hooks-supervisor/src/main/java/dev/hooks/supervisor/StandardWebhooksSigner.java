package dev.hooks.supervisor;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs deliveries as the Standard Webhooks specification says: {@code webhook-signature: v1,}
 * and the base64 HMAC-SHA256 of {@code <webhook-id>.<webhook-timestamp>.<body>} under the
 * secret's bytes ({@code whsec_<base64>}, or bare base64). A hooks endpoint with scheme {@code
 * standard-webhooks} and the same secret verifies them. The secret is never logged.
 */
final class StandardWebhooksSigner {
  private final SecretKeySpec key;

  /**
   * @throws IllegalArgumentException if the secret is not {@code whsec_<base64>} or base64
   */
  StandardWebhooksSigner(String secret) {
    String b64 = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(b64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the signing secret is not whsec_<base64>");
    }
    if (bytes.length < 16) {
      throw new IllegalArgumentException("the signing secret is shorter than 16 bytes");
    }
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  String sign(String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  @Override
  public String toString() {
    return "StandardWebhooksSigner[secret=****]";
  }
}
