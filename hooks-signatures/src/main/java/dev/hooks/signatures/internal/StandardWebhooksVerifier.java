package dev.hooks.signatures.internal;

import dev.hooks.event.Delivery;
import dev.hooks.signatures.HmacAlgorithm;
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
 * Standard Webhooks (and Svix, which it came from): {@code webhook-id}, {@code webhook-timestamp}
 * and {@code webhook-signature} headers (or their {@code svix-} twins); the signed content is
 * {@code id.timestamp.body}; the signature header is a space-separated list of
 * {@code v1,<base64 HMAC-SHA256>} (secrets {@code whsec_...}) and {@code v1a,<base64 Ed25519>}
 * (public keys {@code whpk_...}); other versions are ignored. Thread-safe.
 */
public final class StandardWebhooksVerifier implements SignatureVerifier {
  private static final byte[] DOT = {'.'};

  private final String name;
  private final String[] prefixes;
  private final List<HmacKey> hmacKeys;
  private final List<Ed25519Key> edKeys;
  private final Duration tolerance;
  private final Clock clock;

  private StandardWebhooksVerifier(String name, String[] prefixes, List<HmacKey> hmacKeys, List<Ed25519Key> edKeys,
      Duration tolerance, Clock clock) {
    this.name = name;
    this.prefixes = prefixes;
    this.hmacKeys = hmacKeys;
    this.edKeys = edKeys;
    this.tolerance = tolerance;
    this.clock = clock;
  }

  /**
   * @param headerPrefixes header name prefixes tried in order, such as {@code svix-} then {@code webhook-}
   * @throws IllegalArgumentException if a secret is not {@code whsec_<base64>}, bare base64 or
   *     {@code whpk_<base64>}
   */
  public static StandardWebhooksVerifier create(String name, List<Secret> secrets, Duration tolerance, Clock clock,
      String... headerPrefixes) {
    List<HmacKey> hmac = new ArrayList<>();
    List<Ed25519Key> ed = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      Secret s = secrets.get(i);
      String text = s.asText().trim();
      String what = name + " secret #" + (i + 1);
      if (text.startsWith("whpk_")) {
        byte[] key = Codecs.base64(text.substring(5));
        if (key == null) {
          throw new IllegalArgumentException(what + " is 'whpk_' but not followed by base64");
        }
        ed.add(Ed25519Key.of(s, key, what));
      } else if (text.startsWith("whsk_")) {
        throw new IllegalArgumentException(what + " is a signing (private) key 'whsk_...'; configure the public key 'whpk_...'");
      } else {
        byte[] key = Codecs.base64(text.startsWith("whsec_") ? text.substring(6) : text);
        if (key == null) {
          throw new IllegalArgumentException(what + " is not 'whsec_<base64>'");
        }
        hmac.add(new HmacKey(s, key, HmacAlgorithm.SHA256.jcaName()));
      }
    }
    return new StandardWebhooksVerifier(name, headerPrefixes, List.copyOf(hmac), List.copyOf(ed), tolerance, clock);
  }

  public boolean hasKeys() {
    return !hmacKeys.isEmpty() || !edKeys.isEmpty();
  }

  @Override
  public Verification verify(Delivery d) {
    String prefix = null;
    for (String p : prefixes) {
      if (d.headers().contains(p + "signature")) {
        prefix = p;
        break;
      }
    }
    if (prefix == null) {
      return Verification.rejected(Reason.MISSING, name + ": " + prefixes[prefixes.length - 1] + "signature is missing");
    }
    @Nullable String id = d.headers().first(prefix + "id").orElse(null);
    @Nullable String t = d.headers().first(prefix + "timestamp").orElse(null);
    if (id == null || t == null) {
      return Verification.rejected(Reason.MISSING, name + ": " + prefix + (id == null ? "id" : "timestamp") + " is missing");
    }
    long ts = Window.parseSeconds(t);
    if (ts < 0) {
      return Verification.rejected(Reason.MALFORMED, name + ": " + prefix + "timestamp is not unix seconds");
    }
    List<byte[]> v1 = new ArrayList<>(2);
    List<byte[]> v1a = new ArrayList<>(1);
    for (String value : d.headers().all(prefix + "signature")) {
      for (String item : value.trim().split(" ")) {
        int comma = item.indexOf(',');
        if (comma <= 0) {
          continue;
        }
        String version = item.substring(0, comma);
        if (version.equals("v1") || version.equals("v1a")) {
          byte[] sig = Codecs.base64(item.substring(comma + 1));
          if (sig != null) {
            (version.equals("v1") ? v1 : v1a).add(sig);
          }
        }
      }
    }
    if (v1.isEmpty() && v1a.isEmpty()) {
      return Verification.rejected(Reason.MALFORMED, name + ": " + prefix + "signature has no v1 or v1a signature");
    }
    byte[] idBytes = Parse.ascii(id);
    byte[] tBytes = Parse.ascii(t.trim());
    Instant now = clock.instant();
    boolean match = HmacVerifier.matches(hmacKeys, v1, new byte[][] {idBytes, DOT, tBytes, DOT, d.body()}, now);
    if (!v1a.isEmpty() && !edKeys.isEmpty()) {
      byte[] message = concat(idBytes, tBytes, d.body());
      for (Ed25519Key key : edKeys) {
        if (!key.isValidAt(now)) {
          continue;
        }
        for (byte[] sig : v1a) {
          match |= key.verifies(sig, message);
        }
      }
    }
    if (!match) {
      return Verification.rejected(Reason.MISMATCH, name + ": no signature matches a current secret");
    }
    Verification stale = Window.check(ts * 1000, now, tolerance);
    return stale != null ? stale : Verification.ok();
  }

  private static byte[] concat(byte[] id, byte[] t, byte[] body) {
    byte[] m = new byte[id.length + t.length + body.length + 2];
    System.arraycopy(id, 0, m, 0, id.length);
    m[id.length] = '.';
    System.arraycopy(t, 0, m, id.length + 1, t.length);
    m[id.length + 1 + t.length] = '.';
    System.arraycopy(body, 0, m, id.length + t.length + 2, body.length);
    return m;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "SignatureVerifier[" + name + ", " + (hmacKeys.size() + edKeys.size()) + " key(s)]";
  }
}
