package dev.hooks.signatures.internal;

import dev.hooks.event.Delivery;
import dev.hooks.signatures.HmacAlgorithm;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import dev.hooks.verify.Verification.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Twilio: {@code X-Twilio-Signature} is the base64 HMAC-SHA1, keyed with the auth token, of the
 * public URL followed by every form parameter (sorted by name, each name then value). A JSON
 * request instead carries {@code bodySHA256} in the URL's query: the URL alone is signed and
 * the body must hash to that value. Because Twilio signs the URL as it was configured, the URL
 * is tried as received, without its port and with the scheme's default port. Thread-safe.
 */
public final class TwilioVerifier implements SignatureVerifier {
  private final List<HmacKey> keys;
  private final Clock clock;

  public TwilioVerifier(List<Secret> authTokens, Clock clock) {
    this.keys = HmacSchemes.keys(authTokens, HmacAlgorithm.SHA1);
    this.clock = clock;
  }

  @Override
  public Verification verify(Delivery d) {
    List<String> values = d.headers().all("X-Twilio-Signature");
    if (values.isEmpty()) {
      return Verification.rejected(Reason.MISSING, "twilio: X-Twilio-Signature is missing");
    }
    List<byte[]> sigs = Parse.prefixedValues(values, "", dev.hooks.signatures.SignatureEncoding.BASE64);
    if (sigs.isEmpty()) {
      return Verification.rejected(Reason.MALFORMED, "twilio: X-Twilio-Signature is not base64");
    }
    URI uri;
    try {
      uri = new URI(d.url());
    } catch (URISyntaxException e) {
      return Verification.rejected(Reason.MALFORMED, "twilio: the request URL cannot be parsed");
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return Verification.rejected(Reason.MALFORMED, "twilio: the request URL is not absolute; configure the public URL");
    }
    String bodyHash = queryParam(uri.getRawQuery(), "bodySHA256");
    StringBuilder params = new StringBuilder();
    if (bodyHash == null && d.mediaType().equals("application/x-www-form-urlencoded")) {
      List<String[]> form;
      try {
        form = HmacSchemes.form(new String(d.body(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return Verification.rejected(Reason.MALFORMED, "twilio: the form body has a bad escape");
      }
      form.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
      for (String[] p : form) {
        params.append(p[0]).append(p[1]);
      }
    }
    byte[] tail = Parse.ascii(params.toString());
    boolean match = false;
    for (String url : variants(uri, d.url())) {
      match |= HmacVerifier.matches(keys, sigs, new byte[][] {Parse.ascii(url), tail}, clock.instant());
    }
    if (!match) {
      return Verification.rejected(Reason.MISMATCH, "twilio: no signature matches a current auth token");
    }
    if (bodyHash != null) {
      byte[] expected = Codecs.hex(bodyHash);
      if (expected == null || !MessageDigest.isEqual(expected, TokenVerifier.sha256(d.body()))) {
        return Verification.rejected(Reason.MISMATCH, "twilio: the body does not hash to bodySHA256");
      }
    }
    return Verification.ok();
  }

  private static Set<String> variants(URI uri, String raw) {
    Set<String> out = new LinkedHashSet<>();
    out.add(raw);
    int defaultPort = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    out.add(withPort(uri, -1));
    out.add(withPort(uri, uri.getPort() < 0 ? defaultPort : uri.getPort()));
    return out;
  }

  private static String withPort(URI u, int port) {
    StringBuilder sb = new StringBuilder();
    sb.append(u.getScheme()).append("://");
    if (u.getRawUserInfo() != null) {
      sb.append(u.getRawUserInfo()).append('@');
    }
    sb.append(u.getHost());
    if (port >= 0) {
      sb.append(':').append(port);
    }
    if (u.getRawPath() != null) {
      sb.append(u.getRawPath());
    }
    if (u.getRawQuery() != null) {
      sb.append('?').append(u.getRawQuery());
    }
    if (u.getRawFragment() != null) {
      sb.append('#').append(u.getRawFragment());
    }
    return sb.toString();
  }

  private static @Nullable String queryParam(@Nullable String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String item : rawQuery.split("&")) {
      int eq = item.indexOf('=');
      if (eq > 0 && item.substring(0, eq).equals(name)) {
        try {
          return URLDecoder.decode(item.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return "";
        }
      }
    }
    return null;
  }

  @Override
  public String name() {
    return "twilio";
  }

  @Override
  public String toString() {
    return "SignatureVerifier[twilio, " + keys.size() + " token(s)]";
  }
}
