package dev.hooks.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.verify.Secret;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderCatalogTest {
  private static final ProviderCatalog CATALOG = ProviderCatalog.standard();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-23T12:00:30Z"), ZoneOffset.UTC);

  @Test
  void everyProviderOfTheHubIsInTheCatalog() {
    assertThat(CATALOG.names()).contains("github", "gitlab", "bitbucket", "bitbucket-server", "gitea", "docker", "dockerhub",
        "autoheal", "github-actions", "gitlab-ci", "jenkins", "circleci", "uptime-kuma", "zabbix", "grafana", "alertmanager",
        "datadog", "supervisor", "generic", "mapped");
  }

  @ParameterizedTest
  @CsvSource({
      "github, github, github, X-GitHub-Delivery",
      "github-actions, github, github, X-GitHub-Delivery",
      "gitlab, gitlab, gitlab, X-Gitlab-Event-UUID",
      "gitlab-ci, gitlab, gitlab, X-Gitlab-Event-UUID",
      "bitbucket, bitbucket, bitbucket, X-Request-UUID",
      "bitbucket-server, bitbucket, bitbucket, X-Request-Id",
      "gitea, gitea, gitea, X-Gitea-Delivery",
      "circleci, circleci, circleci, ''",
      "autoheal, autoheal, header-token, ''",
      "alertmanager, alertmanager, bearer, ''",
      "dockerhub, dockerhub, bearer, ''",
      "mapped, jsonpath, bearer, ''",
  })
  void eachProviderNamesItsParserSchemeAndDeliveryHeader(String name, String parser, String scheme, String idHeader) {
    Provider p = CATALOG.require(name);
    assertThat(p.parserName()).isEqualTo(parser);
    assertThat(p.defaultScheme()).isEqualTo(scheme);
    assertThat(p.deliveryIdHeader().orElse("")).isEqualTo(idHeader);
  }

  @Test
  void everyProviderButMappedHasAParserWithoutOptions() {
    for (Provider p : CATALOG.providers()) {
      if (!p.name().equals("mapped")) {
        assertThat(p.parser(Map.of())).as(p.name()).isNotNull();
      }
    }
    assertThat(CATALOG.require("mapped").parser(Map.of("summary", "$.title"))).isNotNull();
  }

  @Test
  void supervisorReadsTheFormBodyThatSuperhooksPosts() {
    assertThat(CATALOG.require("supervisor").parser(Map.of()).mediaTypes()).contains("application/x-www-form-urlencoded");
    assertThat(CATALOG.require("supervisor").mediaTypes().get(0)).isEqualTo("application/x-www-form-urlencoded");
  }

  @Test
  void githubActionsVerifiesGitHubsDocumentedSignature() {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries (Testing the webhook payload validation)
    SignatureVerifier v = CATALOG.verifier(CATALOG.require("github-actions"), null, List.of(Secret.of("It's a Secret to Everybody")),
        Map.of(), CLOCK);
    assertThat(v.verify(delivery("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "Hello, World!")).isOk()).isTrue();
    assertThat(v.verify(delivery("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "Hello, World?")).reason()).isEqualTo(Verification.Reason.MISMATCH);
  }

  @Test
  void autohealTakesItsTokenFromXWebhookToken() {
    SignatureVerifier v = CATALOG.verifier(CATALOG.require("autoheal"), null, List.of(Secret.of("s3cret-token-value")), Map.of(), CLOCK);
    assertThat(v.verify(delivery("X-Webhook-Token", "s3cret-token-value", "{}")).isOk()).isTrue();
    assertThat(v.verify(delivery("Authorization", "Bearer s3cret-token-value", "{}")).isOk()).isFalse();
  }

  @Test
  void unsignedSendersDefaultToABearerToken() {
    SignatureVerifier v = CATALOG.verifier(CATALOG.require("uptime-kuma"), null, List.of(Secret.of("s3cret-token-value")), Map.of(), CLOCK);
    assertThat(v.verify(delivery("Authorization", "Bearer s3cret-token-value", "{}")).isOk()).isTrue();
    assertThat(v.verify(delivery("Authorization", "Bearer other", "{}")).isOk()).isFalse();
  }

  @Test
  void anExplicitSchemeReplacesTheDefault() {
    SignatureVerifier v = CATALOG.verifier(CATALOG.require("alertmanager"), "none", List.of(), Map.of(), CLOCK);
    assertThat(v.verify(delivery("X-Any", "x", "{}")).isOk()).isTrue();
  }

  @Test
  void aliasesAndCaseResolveToOneProvider() {
    assertThat(CATALOG.find("UptimeKuma")).containsSame(CATALOG.require("uptime-kuma"));
    assertThat(CATALOG.find("jsonpath")).containsSame(CATALOG.require("mapped"));
  }

  @Test
  void anUnknownProviderIsRefusedWithTheKnownNames() {
    assertThatThrownBy(() -> CATALOG.require("gitbucket"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown provider 'gitbucket'")
        .hasMessageContaining("bitbucket-server");
  }

  private static Delivery delivery(String header, String value, String body) {
    return Delivery.builder("e").method("POST").url("https://hooks.example.com/hooks/e")
        .headers(Headers.of(Map.of(header, value, "Content-Type", "application/json")))
        .body(body.getBytes(StandardCharsets.UTF_8)).build();
  }
}
