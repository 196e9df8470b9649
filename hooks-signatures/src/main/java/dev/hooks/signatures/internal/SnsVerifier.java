package dev.hooks.signatures.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.Delivery;
import dev.hooks.signatures.SnsOptions;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import dev.hooks.verify.Verification.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS SNS HTTP(S) deliveries: the JSON body is signed with RSA (SignatureVersion 1: SHA1withRSA,
 * 2: SHA256withRSA) over the message's fields; the certificate is fetched from
 * {@code SigningCertURL} only over HTTPS from an allowed host, without following redirects, and
 * cached per URL. Thread-safe.
 */
public final class SnsVerifier implements SignatureVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(SnsVerifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CACHED = 64;
  private static final int MAX_CERT_BYTES = 64 * 1024;
  private static final String[] NOTIFICATION = {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"};
  private static final String[] CONFIRMATION = {"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"};

  private final SnsOptions options;
  private final Clock clock;
  private final HttpClient http;
  private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();

  public SnsVerifier(SnsOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.http = HttpClient.newBuilder()
        .sslContext(options.sslContext())
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(options.fetchTimeout())
        .build();
  }

  @Override
  public Verification verify(Delivery d) {
    JsonNode m;
    try {
      m = JSON.readTree(d.body());
    } catch (IOException e) {
      return reject(Reason.MALFORMED, "body is not JSON");
    }
    if (m == null || !m.isObject()) {
      return reject(Reason.MALFORMED, "body is not a JSON object");
    }
    String signature = text(m, "Signature");
    String certUrl = text(m, "SigningCertURL") != null ? text(m, "SigningCertURL") : text(m, "SigningCertUrl");
    if (signature == null || certUrl == null) {
      return reject(Reason.MISSING, "Signature or SigningCertURL is missing");
    }
    String type = text(m, "Type");
    String[] fields;
    if ("Notification".equals(type)) {
      fields = NOTIFICATION;
    } else if ("SubscriptionConfirmation".equals(type) || "UnsubscribeConfirmation".equals(type)) {
      fields = CONFIRMATION;
    } else {
      return reject(Reason.MALFORMED, "unknown Type");
    }
    String algorithm;
    String version = text(m, "SignatureVersion");
    if ("1".equals(version)) {
      algorithm = "SHA1withRSA";
    } else if ("2".equals(version)) {
      algorithm = "SHA256withRSA";
    } else {
      return reject(Reason.MALFORMED, "unknown SignatureVersion");
    }
    byte[] sig = Codecs.base64(signature);
    if (sig == null) {
      return reject(Reason.MALFORMED, "Signature is not base64");
    }
    StringBuilder signed = new StringBuilder(256);
    for (String f : fields) {
      String v = text(m, f);
      if (v == null) {
        if (f.equals("Subject")) {
          continue;
        }
        return reject(Reason.MALFORMED, f + " is missing");
      }
      signed.append(f).append('\n').append(v).append('\n');
    }
    Instant timestamp;
    try {
      timestamp = Instant.parse(text(m, "Timestamp"));
    } catch (DateTimeParseException e) {
      return reject(Reason.MALFORMED, "Timestamp is not ISO-8601");
    }
    Instant now = clock.instant();
    URI uri = allowedCertificateUri(certUrl);
    if (uri == null) {
      return reject(Reason.MISMATCH, "SigningCertURL is not https on an allowed host: " + certUrl);
    }
    X509Certificate cert = certificate(uri);
    if (cert == null) {
      return reject(Reason.MISMATCH, "signing certificate could not be fetched from " + uri);
    }
    try {
      cert.checkValidity(Date.from(now));
      Signature s = Signature.getInstance(algorithm);
      s.initVerify(cert.getPublicKey());
      s.update(signed.toString().getBytes(StandardCharsets.UTF_8));
      if (!s.verify(sig)) {
        return reject(Reason.MISMATCH, "signature does not match the certificate");
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      return reject(Reason.MISMATCH, "signature or certificate refused (" + e.getClass().getSimpleName() + ")");
    }
    if (!options.topicArns().isEmpty() && !options.topicArns().contains(text(m, "TopicArn"))) {
      return reject(Reason.MISMATCH, "TopicArn is not an accepted topic");
    }
    Verification stale = Window.check(timestamp.toEpochMilli(), now, options.tolerance());
    return stale != null ? stale : Verification.ok();
  }

  private @Nullable URI allowedCertificateUri(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return null;
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
        || uri.getRawPath() == null || !uri.getRawPath().endsWith(".pem")) {
      return null;
    }
    return options.certificateHosts().matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches() ? uri : null;
  }

  private @Nullable X509Certificate certificate(URI uri) {
    String key = uri.toString();
    X509Certificate cached = certificates.get(key);
    if (cached != null) {
      return cached;
    }
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(options.fetchTimeout()).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200 || r.body().length > MAX_CERT_BYTES) {
        LOG.warn("SNS signing certificate {} answered {} ({} bytes)", uri, r.statusCode(), r.body().length);
        return null;
      }
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(r.body()));
      if (certificates.size() >= MAX_CACHED) {
        certificates.clear();
      }
      certificates.put(key, cert);
      LOG.debug("SNS signing certificate {} fetched", uri);
      return cert;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.warn("SNS signing certificate {} could not be fetched: {}", uri, e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static @Nullable String text(JsonNode m, String field) {
    JsonNode v = m.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static Verification reject(Reason reason, String detail) {
    return Verification.rejected(reason, "sns: " + detail);
  }

  @Override
  public String name() {
    return "sns";
  }

  @Override
  public String toString() {
    return "SignatureVerifier[sns, certificates from " + options.certificateHosts() + "]";
  }
}
