package dev.hooks.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.signatures.SignatureVectors.Vector;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every vector of {@code vectors/signature-vectors.json} through {@link SignatureVerifiers#forScheme}. */
class SignatureVectorsTest {

  static List<Vector> vectors() {
    return SignatureVectors.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vectorGivesItsExpectedOutcome(Vector v) {
    SignatureVerifier verifier = SignatureVerifiers.forScheme(v.scheme, v.secrets, v.options, v.clock);

    Verification result = verifier.verify(v.delivery);

    if (v.expect.equals("ok")) {
      assertThat(result.isOk()).as("%s: %s", v.name, result).isTrue();
    } else {
      assertThat(result.isOk()).as("%s: %s", v.name, result).isFalse();
      assertThat(result.reason().name()).as("%s: %s", v.name, result).isEqualTo(v.expect);
    }
  }

  @Test
  void everySchemeButSnsHasVectorsAndEveryVectorNamesItsSource() {
    List<Vector> all = SignatureVectors.all();
    Set<String> covered = all.stream().map(v -> v.scheme).collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = new TreeSet<>(SignatureVerifiers.schemes());
    expected.remove("github-sha256"); // an alias of github
    expected.remove("sns"); // its certificate is made per run: SnsVerifierTest signs the documented messages
    assertThat(covered).containsAll(expected);
    assertThat(all).allSatisfy(v -> assertThat(v.source).isNotBlank());
    assertThat(all).filteredOn(v -> !v.derived).extracting(v -> v.scheme)
        .contains("github", "standard-webhooks", "svix", "slack", "twilio");
  }

  @Test
  void eachSignedSchemeHasTheFullSetOfCases() {
    for (String scheme : List.of("github", "github-sha1", "bitbucket", "gitea", "shopify", "sentry", "grafana", "convoy",
        "generic-hmac", "pagerduty", "circleci", "stripe", "slack", "convoy-advanced", "linear", "standard-webhooks", "svix",
        "discord", "gitlab")) {
      Set<String> outcomes = SignatureVectors.of(scheme).stream().map(v -> v.expect).collect(Collectors.toSet());
      assertThat(outcomes).as(scheme).contains("ok", "MISMATCH", "MISSING", "MALFORMED");
    }
    for (String timed : List.of("stripe", "slack", "convoy-advanced", "linear", "standard-webhooks", "svix", "grafana", "mailgun", "gitlab")) {
      assertThat(SignatureVectors.of(timed)).as(timed).anyMatch(v -> v.expect.equals("STALE") && v.name.contains("future"));
    }
  }
}
