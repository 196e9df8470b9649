package dev.hooks.signatures.internal;

import dev.hooks.event.Delivery;
import dev.hooks.signatures.HmacAlgorithm;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import dev.hooks.verify.Verification.Reason;
import java.nio.charset.StandardCharsets;
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
  private final String name;
  private final String[] prefixes;
  /** Per prefix: the id, timestamp and signature header names, in lower case. */
  private final String[][] headerNames;
  private final List<HmacKey> hmacKeys;
  private final List<Ed25519Key> edKeys;
  private final Duration tolerance;
  private final Clock clock;

  private StandardWebhooksVerifier(String name, String[] prefixes, List<HmacKey> hmacKeys, List<Ed25519Key> edKeys,
      Duration tolerance, Clock clock) {
    this.name = name;
    this.prefixes = prefixes;
    this.headerNames = new String[prefixes.length][];
    for (int i = 0; i < prefixes.length; i++) {
      String p = prefixes[i].toLowerCase(java.util.Locale.ROOT);
      headerNames[i] = new String[] {p + "id", p + "timestamp", p + "signature"};
    }
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
    String[] names = null;
    List<String> signatures = List.of();
    for (String[] n : headerNames) {
      signatures = d.headers().all(n[2]);
      if (!signatures.isEmpty()) {
        names = n;
        break;
      }
    }
    if (names == null) {
      return Verification.rejected(Reason.MISSING, name + ": " + headerNames[headerNames.length - 1][2] + " is missing");
    }
    @Nullable String id = first(d, names[0]);
    @Nullable String t = first(d, names[1]);
    if (id == null || t == null) {
      return Verification.rejected(Reason.MISSING, name + ": " + (id == null ? names[0] : names[1]) + " is missing");
    }
    long ts = Window.parseSeconds(t);
    if (ts < 0) {
      return Verification.rejected(Reason.MALFORMED, name + ": " + names[1] + " is not unix seconds");
    }
    List<byte[]> v1 = new ArrayList<>(2);
    List<byte[]> v1a = new ArrayList<>(1);
    for (int i = 0; i < signatures.size(); i++) {
      collect(signatures.get(i), v1, v1a);
    }
    if (v1.isEmpty() && v1a.isEmpty()) {
      return Verification.rejected(Reason.MALFORMED, name + ": " + names[2] + " has no v1 or v1a signature");
    }
    // What is signed: "<id>.<timestamp>." then the body, fed to the MAC in two parts.
    byte[] prefix = signedPrefix(id, t.trim());
    Instant now = clock.instant();
    boolean match = HmacVerifier.matches(hmacKeys, v1, new byte[][] {prefix, d.body()}, now);
    if (!v1a.isEmpty() && !edKeys.isEmpty()) {
      byte[] message = concat(prefix, d.body());
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

  private static @Nullable String first(Delivery d, String name) {
    List<String> values = d.headers().all(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** The UTF-8 bytes of {@code id.t.}; ASCII (the usual case) is copied without an encoder. */
  private static byte[] signedPrefix(String id, String t) {
    int n = id.length() + t.length() + 2;
    byte[] out = new byte[n];
    int o = 0;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c >= 0x80) {
        return (id + '.' + t + '.').getBytes(StandardCharsets.UTF_8);
      }
      out[o++] = (byte) c;
    }
    out[o++] = '.';
    for (int i = 0; i < t.length(); i++) {
      out[o++] = (byte) t.charAt(i); // digits only: parseSeconds accepted it
    }
    out[o] = '.';
    return out;
  }

  /** Reads space-separated {@code <version>,<base64>} items; undecodable and other versions are skipped. */
  private static void collect(String value, List<byte[]> v1, List<byte[]> v1a) {
    int n = value.length();
    int i = 0;
    while (i < n) {
      while (i < n && value.charAt(i) == ' ') {
        i++;
      }
      int end = value.indexOf(' ', i);
      if (end < 0) {
        end = n;
      }
      if (end > i) {
        boolean isV1 = value.startsWith("v1,", i);
        boolean isV1a = !isV1 && value.startsWith("v1a,", i);
        if (isV1 || isV1a) {
          byte[] sig = Codecs.base64(value, i + (isV1 ? 3 : 4), end);
          if (sig != null) {
            (isV1 ? v1 : v1a).add(sig);
          }
        }
      }
      i = end;
    }
  }

  private static byte[] concat(byte[] prefix, byte[] body) {
    byte[] m = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, m, 0, prefix.length);
    System.arraycopy(body, 0, m, prefix.length, body.length);
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
