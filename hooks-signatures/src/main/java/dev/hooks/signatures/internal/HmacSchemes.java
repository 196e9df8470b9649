package dev.hooks.signatures.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.Delivery;
import dev.hooks.signatures.GenericHmacSpec;
import dev.hooks.signatures.HmacAlgorithm;
import dev.hooks.signatures.SignatureEncoding;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification.Reason;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The HMAC schemes whose keys are the secrets' own bytes. */
public final class HmacSchemes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] DOT = {'.'};
  private static final byte[] COLON = {':'};
  private static final byte[] COMMA = {','};

  private HmacSchemes() {}

  public static List<HmacKey> keys(List<Secret> secrets, HmacAlgorithm algorithm) {
    List<HmacKey> keys = new ArrayList<>(secrets.size());
    for (Secret s : secrets) {
      keys.add(new HmacKey(s, s.bytes(), algorithm.jcaName()));
    }
    return keys;
  }

  /** One header, {@code <prefix><encoded>}, HMAC of the raw body. */
  public static SignatureVerifier prefixed(String name, List<Secret> secrets, HmacAlgorithm alg, String header,
      String prefix, SignatureEncoding enc, Clock clock) {
    // Headers looks names up in lower case; a lower-case name is not copied on every request.
    String lower = header.toLowerCase(java.util.Locale.ROOT);
    return new HmacVerifier(name, keys(secrets, alg), d -> Parse.prefixed(d, lower, prefix, enc), null, clock);
  }

  public static SignatureVerifier generic(GenericHmacSpec spec, List<Secret> secrets, Clock clock) {
    return prefixed("generic-hmac", secrets, spec.algorithm(), spec.header(), spec.prefix(), spec.encoding(), clock);
  }

  /**
   * Gitea, Forgejo and Gogs send the bare hex SHA-256 HMAC in their own header and the same value
   * as {@code sha256=<hex>} in {@code X-Hub-Signature-256}; the first present is used.
   */
  public static SignatureVerifier gitea(List<Secret> secrets, Clock clock) {
    String[] bare = {"X-Gitea-Signature", "X-Forgejo-Signature", "X-Gogs-Signature"};
    return new HmacVerifier("gitea", keys(secrets, HmacAlgorithm.SHA256), d -> {
      for (String h : bare) {
        if (d.headers().contains(h)) {
          return Parse.prefixed(d, h, "", SignatureEncoding.HEX);
        }
      }
      if (d.headers().contains("X-Hub-Signature-256")) {
        return Parse.prefixed(d, "X-Hub-Signature-256", "sha256=", SignatureEncoding.HEX);
      }
      return Extracted.rejected(Reason.MISSING, "none of X-Gitea-Signature, X-Forgejo-Signature, X-Gogs-Signature, X-Hub-Signature-256");
    }, null, clock);
  }

  /**
   * A comma-separated list of {@code <version>=<hex>} (PagerDuty {@code v1=}, CircleCI
   * {@code v1=}); other versions are ignored.
   */
  public static SignatureVerifier versionedList(String name, List<Secret> secrets, String header, String version, Clock clock) {
    return new HmacVerifier(name, keys(secrets, HmacAlgorithm.SHA256), d -> {
      String value = Parse.joined(d, header, ",");
      if (value == null) {
        return Extracted.rejected(Reason.MISSING, header + " is missing");
      }
      List<String[]> pairs = Parse.pairs(value, ',');
      List<byte[]> sigs = pairs == null ? List.of() : Parse.valuesOf(pairs, version, SignatureEncoding.HEX);
      if (sigs.isEmpty()) {
        return Extracted.rejected(Reason.MALFORMED, header + " has no " + version + "=<hex> signature");
      }
      return Extracted.of(sigs, d.body());
    }, null, clock);
  }

  /** Stripe: {@code Stripe-Signature: t=<seconds>,v1=<hex>[,v1=...][,v0=...]} over {@code t.body}. */
  public static SignatureVerifier stripe(List<Secret> secrets, Duration tolerance, Clock clock) {
    return new HmacVerifier("stripe", keys(secrets, HmacAlgorithm.SHA256),
        d -> timedList(d, "Stripe-Signature", DOT), tolerance, clock);
  }

  /** Convoy advanced: {@code X-Convoy-Signature: t=<seconds>,v1=<sig>[,v1=...]} over {@code t,body}. */
  public static SignatureVerifier convoyAdvanced(List<Secret> secrets, HmacAlgorithm alg, SignatureEncoding enc,
      Duration tolerance, Clock clock) {
    return new HmacVerifier("convoy-advanced", keys(secrets, alg), d -> {
      String value = Parse.joined(d, "X-Convoy-Signature", ",");
      if (value == null) {
        return Extracted.rejected(Reason.MISSING, "X-Convoy-Signature is missing");
      }
      return timedPairs(d, "X-Convoy-Signature", value, enc, COMMA);
    }, tolerance, clock);
  }

  private static Extracted timedList(Delivery d, String header, byte[] separator) {
    String value = Parse.joined(d, header, ",");
    if (value == null) {
      return Extracted.rejected(Reason.MISSING, header + " is missing");
    }
    return timedPairs(d, header, value, SignatureEncoding.HEX, separator);
  }

  private static Extracted timedPairs(Delivery d, String header, String value, SignatureEncoding enc, byte[] separator) {
    List<String[]> pairs = Parse.pairs(value, ',');
    if (pairs == null) {
      return Extracted.rejected(Reason.MALFORMED, header + " is not a list of key=value");
    }
    String t = Parse.firstValueOf(pairs, "t");
    long ts = t == null ? -1 : Window.parseSeconds(t);
    if (ts < 0) {
      return Extracted.rejected(Reason.MALFORMED, header + " has no t=<unix seconds>");
    }
    List<byte[]> sigs = Parse.valuesOf(pairs, "v1", enc);
    if (sigs.isEmpty()) {
      return Extracted.rejected(Reason.MALFORMED, header + " has no v1 signature");
    }
    return Extracted.timed(ts, sigs, Parse.ascii(t), separator, d.body());
  }

  /** Slack: {@code X-Slack-Signature: v0=<hex>} over {@code v0:<X-Slack-Request-Timestamp>:body}. */
  public static SignatureVerifier slack(List<Secret> secrets, Duration tolerance, Clock clock) {
    byte[] v0 = Parse.ascii("v0:");
    return new HmacVerifier("slack", keys(secrets, HmacAlgorithm.SHA256), d -> {
      String t = d.headers().first("X-Slack-Request-Timestamp").orElse(null);
      List<String> sigHeader = d.headers().all("X-Slack-Signature");
      if (t == null || sigHeader.isEmpty()) {
        return Extracted.rejected(Reason.MISSING, t == null ? "X-Slack-Request-Timestamp is missing" : "X-Slack-Signature is missing");
      }
      long ts = Window.parseSeconds(t);
      if (ts < 0) {
        return Extracted.rejected(Reason.MALFORMED, "X-Slack-Request-Timestamp is not unix seconds");
      }
      List<byte[]> sigs = Parse.prefixedValues(sigHeader, "v0=", SignatureEncoding.HEX);
      if (sigs.isEmpty()) {
        return Extracted.rejected(Reason.MALFORMED, "X-Slack-Signature is not 'v0=<hex>'");
      }
      return Extracted.timed(ts, sigs, v0, Parse.ascii(t.trim()), COLON, d.body());
    }, tolerance, clock);
  }

  /**
   * Grafana alerting: bare hex SHA-256 HMAC in {@code header}; with a timestamp header the signed
   * content is {@code <timestamp>:body} and the replay window applies.
   */
  public static SignatureVerifier grafana(List<Secret> secrets, String header, @Nullable String timestampHeader,
      Duration tolerance, Clock clock) {
    return new HmacVerifier("grafana", keys(secrets, HmacAlgorithm.SHA256), d -> {
      Extracted sig = Parse.prefixed(d, header, "", SignatureEncoding.HEX);
      if (sig.rejection != null || timestampHeader == null) {
        return sig;
      }
      String t = d.headers().first(timestampHeader).orElse(null);
      if (t == null) {
        return Extracted.rejected(Reason.MISSING, timestampHeader + " is missing");
      }
      long ts = Window.parseSeconds(t);
      if (ts < 0) {
        return Extracted.rejected(Reason.MALFORMED, timestampHeader + " is not unix seconds");
      }
      return Extracted.timed(ts, sig.signatures, Parse.ascii(t.trim()), COLON, d.body());
    }, timestampHeader == null ? null : tolerance, clock);
  }

  /**
   * Linear: {@code Linear-Signature: <hex>} over the body; the body's {@code webhookTimestamp}
   * (milliseconds) must be inside the window, read only once the signature matched.
   */
  public static SignatureVerifier linear(List<Secret> secrets, Duration tolerance, Clock clock) {
    return new HmacVerifier("linear", keys(secrets, HmacAlgorithm.SHA256), d -> {
      Extracted sig = Parse.prefixed(d, "Linear-Signature", "", SignatureEncoding.HEX);
      if (sig.rejection != null) {
        return sig;
      }
      return Extracted.withLateTimestamp(sig.signatures, () -> linearTimestamp(d.body()), d.body());
    }, tolerance, clock);
  }

  private static Extracted linearTimestamp(byte[] body) {
    try {
      JsonNode ts = JSON.readTree(body).path("webhookTimestamp");
      if (ts.isIntegralNumber()) {
        return Extracted.timestampMillis(ts.asLong());
      }
    } catch (IOException e) {
      // fall through: a signed body without a readable timestamp cannot be dated
    }
    return Extracted.rejected(Reason.MALFORMED, "linear: body has no numeric webhookTimestamp");
  }

  /**
   * Mailgun: the body carries {@code signature: {timestamp, token, signature}} (JSON) or the
   * fields {@code timestamp}, {@code token}, {@code signature} (form); the hex HMAC is over
   * {@code timestamp + token}.
   */
  public static SignatureVerifier mailgun(List<Secret> secrets, Duration tolerance, Clock clock) {
    return new HmacVerifier("mailgun", keys(secrets, HmacAlgorithm.SHA256), HmacSchemes::mailgunFields, tolerance, clock);
  }

  private static Extracted mailgunFields(Delivery d) {
    String timestamp;
    String token;
    String signature;
    if (d.mediaType().equals("application/x-www-form-urlencoded")) {
      List<String[]> form = form(new String(d.body(), StandardCharsets.UTF_8));
      timestamp = Parse.firstValueOf(form, "timestamp");
      token = Parse.firstValueOf(form, "token");
      signature = Parse.firstValueOf(form, "signature");
    } else {
      JsonNode sig;
      try {
        sig = JSON.readTree(d.body()).path("signature");
      } catch (IOException e) {
        return Extracted.rejected(Reason.MALFORMED, "mailgun: body is neither JSON nor a form");
      }
      timestamp = sig.path("timestamp").isValueNode() ? sig.path("timestamp").asText() : null;
      token = sig.path("token").isTextual() ? sig.path("token").asText() : null;
      signature = sig.path("signature").isTextual() ? sig.path("signature").asText() : null;
    }
    if (timestamp == null || token == null || signature == null) {
      return Extracted.rejected(Reason.MISSING, "mailgun: body lacks signature timestamp, token or signature");
    }
    long ts = Window.parseSeconds(timestamp);
    byte[] sig = Codecs.hex(signature);
    if (ts < 0 || sig == null) {
      return Extracted.rejected(Reason.MALFORMED, "mailgun: bad timestamp or signature field");
    }
    return Extracted.timed(ts, List.of(sig), Parse.ascii(timestamp), Parse.ascii(token));
  }

  /** {@code application/x-www-form-urlencoded} fields, decoded, in order; bad escapes throw. */
  public static List<String[]> form(String body) {
    List<String[]> out = new ArrayList<>();
    if (body.isEmpty()) {
      return out;
    }
    for (String item : body.split("&", -1)) {
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      String k = eq < 0 ? item : item.substring(0, eq);
      String v = eq < 0 ? "" : item.substring(eq + 1);
      out.add(new String[] {URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8)});
    }
    return out;
  }
}
