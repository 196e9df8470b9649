package dev.hooks.signatures.internal;

import dev.hooks.event.Delivery;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import dev.hooks.verify.Verification.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Schemes that send the shared secret itself: GitLab's {@code X-Gitlab-Token}, a static header
 * token, {@code Authorization: Bearer} and {@code Authorization: Basic}. The SHA-256 of the
 * presented value is compared with the SHA-256 of every current secret in constant time, so
 * neither the length nor the matching secret shows in the timing. Thread-safe.
 */
public final class TokenVerifier implements SignatureVerifier {

  /** How the token is carried. */
  public enum Style {
    /** The whole header value, optionally after a fixed prefix. */
    HEADER,
    /** {@code Authorization: Bearer <token>}. */
    BEARER,
    /** {@code Authorization: Basic base64(user:password)}; secrets are {@code user:password}. */
    BASIC
  }

  private final String name;
  private final Style style;
  private final String header;
  private final String prefix;
  private final List<Secret> secrets;
  private final List<byte[]> digests;
  private final Clock clock;

  public TokenVerifier(String name, Style style, String header, String prefix, List<Secret> secrets, Clock clock) {
    this.name = name;
    this.style = style;
    this.header = header;
    this.prefix = prefix;
    this.secrets = List.copyOf(secrets);
    List<byte[]> d = new ArrayList<>(secrets.size());
    for (Secret s : secrets) {
      d.add(sha256(s.bytes()));
    }
    this.digests = d;
    this.clock = clock;
  }

  @Override
  public Verification verify(Delivery d) {
    List<String> values = d.headers().all(header);
    if (values.isEmpty()) {
      return Verification.rejected(Reason.MISSING, name + ": " + header + " is missing");
    }
    List<byte[]> presented = new ArrayList<>(values.size());
    for (String v : values) {
      byte[] token = token(v);
      if (token != null) {
        presented.add(sha256(token));
      }
    }
    if (presented.isEmpty()) {
      return Verification.rejected(Reason.MALFORMED, name + ": " + header + " is not in the expected form");
    }
    Instant now = clock.instant();
    boolean match = false;
    for (int i = 0; i < digests.size(); i++) {
      if (!secrets.get(i).isValidAt(now)) {
        continue;
      }
      for (byte[] p : presented) {
        match |= MessageDigest.isEqual(digests.get(i), p);
      }
    }
    return match ? Verification.ok()
        : Verification.rejected(Reason.MISMATCH, name + ": " + header + " matches no current secret");
  }

  private byte @Nullable [] token(String value) {
    switch (style) {
      case HEADER:
        if (!value.startsWith(prefix) || value.length() == prefix.length()) {
          return null;
        }
        return value.substring(prefix.length()).getBytes(StandardCharsets.UTF_8);
      case BEARER:
        String token = afterScheme(value, "bearer");
        return token == null ? null : token.getBytes(StandardCharsets.UTF_8);
      case BASIC:
        String b64 = afterScheme(value, "basic");
        return b64 == null ? null : Codecs.base64(b64);
      default:
        throw new IllegalStateException();
    }
  }

  private static @Nullable String afterScheme(String value, String scheme) {
    String v = value.trim();
    int space = v.indexOf(' ');
    if (space <= 0 || !v.substring(0, space).toLowerCase(Locale.ROOT).equals(scheme)) {
      return null;
    }
    String rest = v.substring(space + 1).trim();
    return rest.isEmpty() ? null : rest;
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "SignatureVerifier[" + name + ", " + secrets.size() + " secret(s)]";
  }
}
