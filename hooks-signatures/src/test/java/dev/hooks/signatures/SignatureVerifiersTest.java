package dev.hooks.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.signatures.SignatureVectors.Vector;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import dev.hooks.verify.Verification.Reason;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignatureVerifiersTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-23T12:00:30Z"), ZoneOffset.UTC);

  @Test
  void aSchemeWithNoSecretFailsAtCreationSayingWhatToSet() {
    for (String scheme : SignatureVerifiers.schemes()) {
      if (scheme.equals("none") || scheme.equals("cidr") || scheme.equals("sns")) {
        continue;
      }
      Map<String, String> options = scheme.equals("generic-hmac") || scheme.equals("header-token") ? Map.of("header", "X-Token") : Map.of();
      assertThatThrownBy(() -> SignatureVerifiers.forScheme(scheme, List.of(), options, CLOCK))
          .as(scheme)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + scheme + "' has no secret")
          .hasMessageContaining("set the endpoint's secret");
    }
    assertThatThrownBy(() -> SignatureVerifiers.githubSha256(List.of())).hasMessageContaining("'github' has no secret");
  }

  @Test
  void unknownSchemesAndOptionsAreRefusedWithTheKnownNames() {
    List<Secret> s = List.of(Secret.of("x"));
    assertThatThrownBy(() -> SignatureVerifiers.forScheme("gitbub", s, Map.of(), CLOCK))
        .hasMessageContaining("unknown signature scheme 'gitbub'").hasMessageContaining("github");
    assertThatThrownBy(() -> SignatureVerifiers.forScheme("github", s, Map.of("tolerance", "5"), CLOCK))
        .hasMessageContaining("unknown option 'tolerance' for scheme 'github'");
    assertThatThrownBy(() -> SignatureVerifiers.forScheme("stripe", s, Map.of("tolerance", "five minutes"), CLOCK))
        .hasMessageContaining("not seconds or an ISO-8601 duration");
    assertThatThrownBy(() -> SignatureVerifiers.forScheme("generic-hmac", s, Map.of(), CLOCK))
        .hasMessageContaining("needs option 'header'");
    assertThatThrownBy(() -> SignatureVerifiers.forScheme("generic-hmac", s, Map.of("header", "X-S", "algorithm", "md5"), CLOCK))
        .hasMessageContaining("unknown HMAC algorithm 'md5'");
  }

  @Test
  void malformedStandardWebhooksSecretsFailAtCreationWithoutEchoingThem() {
    assertThatThrownBy(() -> SignatureVerifiers.standardWebhooks(List.of(Secret.of("whsec_not*base64")), CLOCK))
        .hasMessageContaining("secret #1 is not 'whsec_<base64>'").hasMessageNotContaining("not*base64");
    assertThatThrownBy(() -> SignatureVerifiers.standardWebhooks(List.of(Secret.of("whsk_AAAA")), CLOCK))
        .hasMessageContaining("configure the public key 'whpk_...'");
    assertThatThrownBy(() -> SignatureVerifiers.discord(List.of(Secret.of("abcd")), null, CLOCK))
        .hasMessageContaining("not 64 hex digits");
  }

  @Test
  void toleranceOptionNarrowsTheWindow() {
    Vector valid = SignatureVectors.of("stripe").get(0);
    Clock later = Clock.offset(valid.clock, java.time.Duration.ofSeconds(90));
    SignatureVerifier wide = SignatureVerifiers.forScheme("stripe", valid.secrets, Map.of(), later);
    SignatureVerifier narrow = SignatureVerifiers.forScheme("stripe", valid.secrets, Map.of("tolerance", "PT1M"), later);

    assertThat(wide.verify(valid.delivery).isOk()).isTrue();
    assertThat(narrow.verify(valid.delivery).reason()).isEqualTo(Reason.STALE);
  }

  @Test
  void aSecretsNotAfterIsJudgedByTheInjectedClock() {
    Vector github = SignatureVectors.all().get(0);
    Instant notAfter = Instant.parse("2100-01-01T00:00:00Z");
    List<Secret> expiring = List.of(github.secrets.get(0).notAfter(notAfter));
    Clock before = Clock.fixed(notAfter.minusSeconds(1), ZoneOffset.UTC);
    Clock after = Clock.fixed(notAfter.plusSeconds(1), ZoneOffset.UTC);

    for (String scheme : List.of("github", "github-sha256")) {
      assertThat(SignatureVerifiers.forScheme(scheme, expiring, Map.of(), before).verify(github.delivery).isOk()).isTrue();
      assertThat(SignatureVerifiers.forScheme(scheme, expiring, Map.of(), after).verify(github.delivery).reason())
          .isEqualTo(Reason.MISMATCH);
    }
    assertThat(SignatureVerifiers.githubSha256(expiring, after).verify(github.delivery).reason()).isEqualTo(Reason.MISMATCH);
  }

  @Test
  void allOfCombinesAnAddressAllowListWithASignature() {
    Vector github = SignatureVectors.all().get(0);
    SignatureVerifier v = SignatureVerifiers.allOf(
        SignatureVerifiers.cidr(List.of("192.30.252.0/22")), SignatureVerifiers.githubSha256(github.secrets));

    Verification inside = v.verify(github.delivery.toBuilder().remoteAddress(address("192.30.252.1")).build());
    Verification outside = v.verify(github.delivery.toBuilder().remoteAddress(address("198.51.100.7")).build());
    Verification unknown = v.verify(github.delivery);
    Verification forged = v.verify(github.delivery.toBuilder().remoteAddress(address("192.30.252.1"))
        .body("Hello, World?".getBytes(StandardCharsets.UTF_8)).build());

    assertThat(inside.isOk()).isTrue();
    assertThat(outside.reason()).isEqualTo(Reason.FORBIDDEN);
    assertThat(unknown.reason()).isEqualTo(Reason.FORBIDDEN);
    assertThat(forged.reason()).isEqualTo(Reason.MISMATCH);
    assertThat(v.name()).isEqualTo("cidr+github-sha256");
  }

  @Test
  void garbageInEverySignatureHeaderIsARejectionNeverAnException() {
    Random random = new Random(42);
    // No space and no upper-case hex: those edits can leave a hex signature meaning the same.
    String alphabet = "abcdef0123456789=,.:v1v0t=sha256=+/_-!\u00e9\u0000";
    for (Vector v : SignatureVectors.all()) {
      // One signature per header: with several, garbling the others leaves a valid one.
      if (!v.name.endsWith(": valid") || v.delivery.headers().names().stream().allMatch("content-type"::equals)) {
        continue;
      }
      SignatureVerifier verifier = SignatureVerifiers.forScheme(v.scheme, v.secrets, v.options, v.clock);
      for (int round = 0; round < 20; round++) {
        Headers.Builder h = Headers.builder();
        for (Map.Entry<String, List<String>> e : v.delivery.headers().asMap().entrySet()) {
          for (String value : e.getValue()) {
            h.add(e.getKey(), e.getKey().equals("content-type") ? value : garble(value, alphabet, random));
          }
        }
        Delivery d = v.delivery.toBuilder().headers(h.build()).build();
        Verification r = verifier.verify(d);
        assertThat(r.isOk()).as("%s round %d", v.name, round).isFalse();
        assertThat(EnumSet.of(Reason.MISSING, Reason.MALFORMED, Reason.MISMATCH, Reason.STALE)).contains(r.reason());
        assertThat(r.detail()).doesNotContain(v.secrets.get(0).asText());
      }
    }
  }

  @Test
  void oneVerifierServesManyThreadsAtOnce() throws Exception {
    Vector valid = SignatureVectors.of("standard-webhooks").get(0);
    Vector tampered = SignatureVectors.all().stream()
        .filter(v -> v.scheme.equals("standard-webhooks") && v.name.contains("one byte")).findFirst().orElseThrow();
    SignatureVerifier v = SignatureVerifiers.forScheme("standard-webhooks", valid.secrets, Map.of(), valid.clock);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        boolean good = i % 2 == 0;
        results.add(pool.submit(() -> v.verify(good ? valid.delivery : tampered.delivery).isOk() == good));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void timestampedSchemesHaveTheSecretsAndClockFactory() {
    // the Standard Webhooks library vectors (svix- headers) and the Linear vectors of
    // signature-vectors.json, through the (secrets, clock) factories and their default windows
    for (SignatureVectors.Vector v : SignatureVectors.of("svix")) {
      SignatureVerifier svix = SignatureVerifiers.svix(v.secrets, v.clock);
      if (v.expect.equals("ok")) {
        assertThat(svix.verify(v.delivery).isOk()).as(v.name).isTrue();
      } else {
        assertThat(svix.verify(v.delivery).reason().name()).as(v.name).isEqualTo(v.expect);
      }
    }
    for (SignatureVectors.Vector v : SignatureVectors.of("linear")) {
      SignatureVerifier linear = SignatureVerifiers.linear(v.secrets, v.clock);
      assertThat(linear.verify(v.delivery).isOk()).as(v.name).isEqualTo(v.expect.equals("ok"));
    }
    for (SignatureVectors.Vector v : SignatureVectors.of("mailgun")) {
      SignatureVerifier mailgun = SignatureVerifiers.mailgun(v.secrets, v.clock);
      assertThat(mailgun.verify(v.delivery).isOk()).as(v.name).isEqualTo(v.expect.equals("ok"));
    }
    for (SignatureVectors.Vector v : SignatureVectors.of("discord")) {
      if (v.options.isEmpty()) {
        SignatureVerifier discord = SignatureVerifiers.discord(v.secrets, v.clock);
        assertThat(discord.verify(v.delivery).isOk()).as(v.name).isEqualTo(v.expect.equals("ok"));
      }
    }
    assertThat(SignatureVectors.of("svix")).isNotEmpty();
  }

  @Test
  void verifiersNameTheirSchemeAndNeverPrintASecret() {
    SignatureVerifier v = SignatureVerifiers.githubSha256(List.of(Secret.of("hunter2-secret")));
    assertThat(v.name()).isEqualTo("github-sha256");
    assertThat(v.toString()).doesNotContain("hunter2");
    assertThat(SignatureVerifiers.forScheme("none", List.of(), Map.of(), CLOCK).name()).isEqualTo("none");
  }

  private static String garble(String value, String alphabet, Random random) {
    StringBuilder sb = new StringBuilder(value);
    while (sb.toString().equals(value)) {
      garbleOnce(sb, alphabet, random);
    }
    return sb.toString();
  }

  private static void garbleOnce(StringBuilder sb, String alphabet, Random random) {
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int op = random.nextInt(3);
      int pos = sb.length() == 0 ? 0 : random.nextInt(sb.length());
      char c = alphabet.charAt(random.nextInt(alphabet.length()));
      if (op == 0 || sb.length() == 0) {
        sb.insert(pos, c);
      } else if (op == 1) {
        sb.setCharAt(pos, c);
      } else {
        sb.deleteCharAt(pos);
      }
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
