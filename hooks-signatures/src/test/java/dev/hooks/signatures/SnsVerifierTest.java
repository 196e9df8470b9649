package dev.hooks.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.hooks.event.Delivery;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import dev.hooks.verify.Verification.Reason;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SNS against a loopback HTTPS server that serves a signing certificate made here with Bouncy
 * Castle; the verifier trusts the server's certificate through {@link SnsOptions#sslContext()}
 * and allows only {@code 127.0.0.1} as certificate host.
 */
class SnsVerifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] NOTIFICATION = {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"};
  private static final String[] CONFIRMATION = {"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"};

  private static HttpsServer server;
  private static final AtomicInteger certificateRequests = new AtomicInteger();
  private static KeyPair signingKey;
  private static SSLContext clientTrust;
  private static String base;
  private static JsonNode notification;
  private static JsonNode confirmation;

  @BeforeAll
  static void startServer() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair tlsKey = rsa.generateKeyPair();
    signingKey = rsa.generateKeyPair();
    X509Certificate tlsCert = certificate(tlsKey, "127.0.0.1", new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    X509Certificate signingCert = certificate(signingKey, "sns.us-west-2.amazonaws.com", null);

    KeyStore serverStore = KeyStore.getInstance("PKCS12");
    serverStore.load(null, null);
    serverStore.setKeyEntry("tls", tlsKey.getPrivate(), "pw".toCharArray(), new X509Certificate[] {tlsCert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(serverStore, "pw".toCharArray());
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);

    KeyStore trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    trustStore.setCertificateEntry("local", tlsCert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trustStore);
    clientTrust = SSLContext.getInstance("TLS");
    clientTrust.init(null, tmf.getTrustManagers(), null);

    byte[] pem = ("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(signingCert.getEncoded()) + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/SimpleNotificationService-local.pem", ex -> {
      certificateRequests.incrementAndGet();
      ex.sendResponseHeaders(200, pem.length);
      ex.getResponseBody().write(pem);
      ex.close();
    });
    server.createContext("/moved.pem", ex -> {
      certificateRequests.incrementAndGet();
      ex.getResponseHeaders().add("Location", base + "/SimpleNotificationService-local.pem");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    server.start();
    base = "https://127.0.0.1:" + server.getAddress().getPort();

    try (InputStream in = SnsVerifierTest.class.getResourceAsStream("/vectors/signature-vectors.json")) {
      JsonNode messages = JSON.readTree(in).path("snsMessages");
      notification = messages.get(0).path("fields");
      confirmation = messages.get(1).path("fields");
    }
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  @BeforeEach
  void resetCount() {
    certificateRequests.set(0);
  }

  @Test
  void documentedNotificationSignedWithVersion2IsAcceptedAndTheCertificateFetchedOnce() throws Exception {
    SignatureVerifier v = verifier(clockAt(notification, 60));
    Delivery d = delivery(signed(notification, "2", certUrl()));

    assertThat(v.verify(d).isOk()).isTrue();
    assertThat(v.verify(d).isOk()).isTrue();
    assertThat(certificateRequests).hasValue(1);
  }

  @Test
  void version1SignaturesUseSha1WithRsa() throws Exception {
    assertThat(verifier(clockAt(notification, 60)).verify(delivery(signed(notification, "1", certUrl()))).isOk()).isTrue();
  }

  @Test
  void documentedSubscriptionConfirmationIsAccepted() throws Exception {
    assertThat(verifier(clockAt(confirmation, 60)).verify(delivery(signed(confirmation, "2", certUrl()))).isOk()).isTrue();
  }

  @Test
  void aChangedMessageIsAMismatch() throws Exception {
    ObjectNode m = signed(notification, "2", certUrl());
    m.put("Message", "Hello world?");

    assertThat(verifier(clockAt(notification, 60)).verify(delivery(m)).reason()).isEqualTo(Reason.MISMATCH);
  }

  @Test
  void aCertificateOnAHostNotAllowedIsNeverFetched() throws Exception {
    String otherHost = certUrl().replace("127.0.0.1", "localhost");
    Verification r = verifier(clockAt(notification, 60)).verify(delivery(signed(notification, "2", otherHost)));

    assertThat(r.reason()).isEqualTo(Reason.MISMATCH);
    assertThat(r.detail()).contains("not https on an allowed host");
    assertThat(certificateRequests).hasValue(0);
  }

  @Test
  void aPlainHttpCertificateUrlIsRefusedWithoutFetching() throws Exception {
    Verification r = verifier(clockAt(notification, 60))
        .verify(delivery(signed(notification, "2", certUrl().replace("https:", "http:"))));

    assertThat(r.reason()).isEqualTo(Reason.MISMATCH);
    assertThat(certificateRequests).hasValue(0);
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    Verification r = verifier(clockAt(notification, 60)).verify(delivery(signed(notification, "2", base + "/moved.pem")));

    assertThat(r.reason()).isEqualTo(Reason.MISMATCH);
    assertThat(r.detail()).contains("could not be fetched");
    assertThat(certificateRequests).hasValue(1);
  }

  @Test
  void aServerOutsideTheConfiguredTrustIsRefused() throws Exception {
    SnsOptions defaultTrust = SnsOptions.builder().certificateHosts(Pattern.compile("127\\.0\\.0\\.1")).build();
    Verification r = SignatureVerifiers.sns(defaultTrust, clockAt(notification, 60))
        .verify(delivery(signed(notification, "2", certUrl())));

    assertThat(r.reason()).isEqualTo(Reason.MISMATCH);
    assertThat(r.detail()).contains("could not be fetched");
  }

  @Test
  void staleAndFutureMessagesAreRejectedAfterTheSignature() throws Exception {
    ObjectNode m = signed(notification, "2", certUrl());

    assertThat(verifier(clockAt(notification, 3601)).verify(delivery(m)).reason()).isEqualTo(Reason.STALE);
    assertThat(verifier(clockAt(notification, -3601)).verify(delivery(m)).reason()).isEqualTo(Reason.STALE);
    m.put("Subject", "changed");
    assertThat(verifier(clockAt(notification, 3601)).verify(delivery(m)).reason()).isEqualTo(Reason.MISMATCH);
  }

  @Test
  void missingAndMalformedFieldsAreRejectedWithoutFetching() throws Exception {
    ObjectNode noSignature = signed(notification, "2", certUrl());
    noSignature.remove("Signature");
    ObjectNode badSignature = signed(notification, "2", certUrl());
    badSignature.put("Signature", "not base64!");
    ObjectNode badVersion = signed(notification, "3", certUrl());
    SignatureVerifier v = verifier(clockAt(notification, 60));

    assertThat(v.verify(delivery(noSignature)).reason()).isEqualTo(Reason.MISSING);
    assertThat(v.verify(delivery(badSignature)).reason()).isEqualTo(Reason.MALFORMED);
    assertThat(v.verify(delivery(badVersion)).reason()).isEqualTo(Reason.MALFORMED);
    assertThat(v.verify(Delivery.builder("sns").body("not json".getBytes(StandardCharsets.UTF_8)).build()).reason())
        .isEqualTo(Reason.MALFORMED);
    assertThat(certificateRequests).hasValue(0);
  }

  @Test
  void aSignatureByAnotherKeyIsAMismatch() throws Exception {
    KeyPair other = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    ObjectNode m = signed(notification, "2", certUrl(), other);

    assertThat(verifier(clockAt(notification, 60)).verify(delivery(m)).reason()).isEqualTo(Reason.MISMATCH);
  }

  @Test
  void onlyConfiguredTopicsAreAccepted() throws Exception {
    SnsOptions only = options().topicArn("arn:aws:sns:us-west-2:123456789012:OtherTopic").build();
    Verification r = SignatureVerifiers.sns(only, clockAt(notification, 60)).verify(delivery(signed(notification, "2", certUrl())));

    assertThat(r.reason()).isEqualTo(Reason.MISMATCH);
    assertThat(r.detail()).contains("TopicArn");
  }

  @Test
  void forSchemeBuildsSnsFromOptionsWithoutSecrets() {
    SignatureVerifier v = SignatureVerifiers.forScheme("sns", List.of(),
        Map.of("certificate-hosts", "127\\.0\\.0\\.1", "topic-arns", "arn:aws:sns:us-west-2:123456789012:MyTopic", "tolerance", "PT2H"),
        Clock.systemUTC());

    assertThat(v.name()).isEqualTo("sns");
  }

  private static SnsOptions.Builder options() {
    return SnsOptions.builder().certificateHosts(Pattern.compile("127\\.0\\.0\\.1")).sslContext(clientTrust)
        .fetchTimeout(Duration.ofSeconds(5));
  }

  private static SignatureVerifier verifier(Clock clock) {
    return SignatureVerifiers.sns(options().build(), clock);
  }

  private static String certUrl() {
    return base + "/SimpleNotificationService-local.pem";
  }

  private static Clock clockAt(JsonNode message, long secondsAfter) {
    return Clock.fixed(Instant.parse(message.path("Timestamp").asText()).plusSeconds(secondsAfter), ZoneOffset.UTC);
  }

  private static ObjectNode signed(JsonNode fields, String version, String certUrl) throws Exception {
    return signed(fields, version, certUrl, signingKey);
  }

  /** The message as SNS sends it, signed as the SNS developer guide describes. */
  private static ObjectNode signed(JsonNode fields, String version, String certUrl, KeyPair key) throws Exception {
    ObjectNode m = fields.deepCopy();
    StringBuilder toSign = new StringBuilder();
    for (String f : m.path("Type").asText().equals("Notification") ? NOTIFICATION : CONFIRMATION) {
      if (m.has(f)) {
        toSign.append(f).append('\n').append(m.path(f).asText()).append('\n');
      }
    }
    Signature s = Signature.getInstance(version.equals("1") ? "SHA1withRSA" : "SHA256withRSA");
    s.initSign(key.getPrivate());
    s.update(toSign.toString().getBytes(StandardCharsets.UTF_8));
    m.put("SignatureVersion", version);
    m.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
    m.put("SigningCertURL", certUrl);
    return m;
  }

  private static Delivery delivery(JsonNode message) throws Exception {
    return Delivery.builder("sns").body(JSON.writeValueAsBytes(message)).build();
  }

  private static X509Certificate certificate(KeyPair key, String cn, GeneralNames san) throws Exception {
    X500Name name = new X500Name("CN=" + cn);
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
        Date.from(Instant.parse("2010-01-01T00:00:00Z")), Date.from(Instant.parse("2040-01-01T00:00:00Z")), name, key.getPublic());
    if (san != null) {
      b.addExtension(Extension.subjectAlternativeName, false, san);
    }
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
  }
}
