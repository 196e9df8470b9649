package dev.hooks.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small signed JSON provider for the servlet's tests, so that they need nothing but hooks-core:
 * {@code X-Test-Signature: sha256=<hex HMAC-SHA256 of the raw body>}, the delivery id in
 * {@code X-Test-Delivery}, a JSON object body with optional {@code type} and {@code repo}.
 */
final class TestEndpoints {
  static final String SIGNATURE = "X-Test-Signature";
  static final String DELIVERY = "X-Test-Delivery";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestEndpoints() {}

  static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static SignatureVerifier hmacVerifier(String secret) {
    return delivery -> {
      Optional<String> header = delivery.headers().first(SIGNATURE);
      if (header.isEmpty()) {
        return Verification.rejected(Verification.Reason.MISSING, "no " + SIGNATURE);
      }
      String value = header.get();
      byte[] given;
      try {
        if (!value.startsWith("sha256=")) {
          throw new IllegalArgumentException("no sha256= prefix");
        }
        given = HexFormat.of().parseHex(value.substring("sha256=".length()));
      } catch (IllegalArgumentException e) {
        return Verification.rejected(Verification.Reason.MALFORMED, SIGNATURE + " is not sha256=<hex>");
      }
      byte[] expected = HexFormat.of().parseHex(sign(secret, delivery.body()).substring("sha256=".length()));
      return MessageDigest.isEqual(given, expected)
          ? Verification.ok()
          : Verification.rejected(Verification.Reason.MISMATCH, SIGNATURE + " matches no secret");
    };
  }

  static PayloadParser jsonParser() {
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
      return ParseResult.ok(WebhookEvent.builder(DeliveryIds.fromHeaderOrHash(delivery, DELIVERY), "test", root.path("type").asText("custom"))
          .endpointId(delivery.endpointId())
          .repository(root.path("repo").asText(null))
          .receivedAt(delivery.receivedAt())
          .payload(root)
          .build());
    };
  }
}
