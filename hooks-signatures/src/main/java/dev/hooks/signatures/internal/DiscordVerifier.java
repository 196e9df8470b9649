package dev.hooks.signatures.internal;

import dev.hooks.event.Delivery;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import dev.hooks.verify.Verification.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Discord interactions: {@code X-Signature-Ed25519} (hex) over {@code X-Signature-Timestamp}
 * followed by the body, checked with the application's public key (hex). Thread-safe.
 */
public final class DiscordVerifier implements SignatureVerifier {
  private final List<Ed25519Key> keys;
  private final @Nullable Duration tolerance;
  private final Clock clock;

  /**
   * @throws IllegalArgumentException if a secret is not a 64-digit hex public key
   */
  public DiscordVerifier(List<Secret> publicKeys, @Nullable Duration tolerance, Clock clock) {
    List<Ed25519Key> k = new ArrayList<>();
    for (int i = 0; i < publicKeys.size(); i++) {
      byte[] raw = Codecs.hex(publicKeys.get(i).asText().trim());
      if (raw == null || raw.length != 32) {
        throw new IllegalArgumentException("discord public key #" + (i + 1) + " is not 64 hex digits (the application's PUBLIC KEY)");
      }
      k.add(Ed25519Key.of(publicKeys.get(i), raw, "discord public key #" + (i + 1)));
    }
    this.keys = List.copyOf(k);
    this.tolerance = tolerance;
    this.clock = clock;
  }

  @Override
  public Verification verify(Delivery d) {
    List<String> sigs = d.headers().all("X-Signature-Ed25519");
    String t = d.headers().first("X-Signature-Timestamp").orElse(null);
    if (sigs.isEmpty() || t == null) {
      return Verification.rejected(Reason.MISSING, "discord: " + (t == null ? "X-Signature-Timestamp" : "X-Signature-Ed25519") + " is missing");
    }
    List<byte[]> decoded = new ArrayList<>(sigs.size());
    for (String s : sigs) {
      byte[] b = Codecs.hex(s.trim());
      if (b != null && b.length == 64) {
        decoded.add(b);
      }
    }
    if (decoded.isEmpty()) {
      return Verification.rejected(Reason.MALFORMED, "discord: X-Signature-Ed25519 is not 128 hex digits");
    }
    byte[] tb = Parse.ascii(t);
    byte[] body = d.body();
    byte[] message = new byte[tb.length + body.length];
    System.arraycopy(tb, 0, message, 0, tb.length);
    System.arraycopy(body, 0, message, tb.length, body.length);
    Instant now = clock.instant();
    boolean match = false;
    for (Ed25519Key key : keys) {
      if (key.isValidAt(now)) {
        for (byte[] sig : decoded) {
          match |= key.verifies(sig, message);
        }
      }
    }
    if (!match) {
      return Verification.rejected(Reason.MISMATCH, "discord: no signature matches a current public key");
    }
    if (tolerance != null) {
      long ts = Window.parseSeconds(t);
      if (ts < 0) {
        return Verification.rejected(Reason.MALFORMED, "discord: X-Signature-Timestamp is not unix seconds");
      }
      Verification stale = Window.check(ts * 1000, now, tolerance);
      if (stale != null) {
        return stale;
      }
    }
    return Verification.ok();
  }

  @Override
  public String name() {
    return "discord";
  }

  @Override
  public String toString() {
    return "SignatureVerifier[discord, " + keys.size() + " key(s)]";
  }
}
