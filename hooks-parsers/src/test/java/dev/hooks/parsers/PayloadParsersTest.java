package dev.hooks.parsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.PayloadParser;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadParsersTest {

  @Test
  void forProviderMakesTheNamedParser() {
    assertThat(PayloadParsers.forProvider("github", Map.of())).isInstanceOf(GitHubPayloadParser.class);
    assertThat(PayloadParsers.forProvider(" GitHub ")).isInstanceOf(GitHubPayloadParser.class);
    assertThat(PayloadParsers.forProvider("generic", Map.of())).isInstanceOf(GenericJsonPayloadParser.class);
  }

  @Test
  void unknownProviderFailsAndListsTheKnownOnes() {
    assertThatThrownBy(() -> PayloadParsers.forProvider("githib", Map.of()))
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessageStartingWith("unknown provider 'githib'; use one of ")
        .hasMessageContaining("github");
  }

  @Test
  void unknownOptionFailsAndNamesIt() {
    assertThatThrownBy(() -> PayloadParsers.forProvider("github", Map.of("secret-path", "x")))
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessage("provider 'github' has no option secret-path; it takes none");
    assertThatThrownBy(() -> PayloadParsers.forProvider("generic", Map.of("type", " ")))
        .isInstanceOf(ParserConfigurationException.class)
        .hasMessage("provider 'generic': option type must not be blank");
  }

  @Test
  void genericParserTakesTypeAndIdHeaderOptions() {
    PayloadParser p = PayloadParsers.forProvider("generic", Map.of("type", "deploy", "id-header", "X-Request-Id"));
    Delivery d = Deliveries.of("{\"action\":\"rollout\",\"service\":\"api\"}".getBytes(StandardCharsets.UTF_8),
        "application/json", "X-Request-Id", "req-42");
    WebhookEvent e = p.parse(d).event();
    assertThat(Deliveries.fields(e)).isEqualTo(Deliveries.expected("req-42", "generic", "deploy",
        "action", "rollout", "severity", "UNKNOWN"));
    assertThat(e.payload().path("service").asText()).isEqualTo("api");
  }

  @Test
  void detectingPicksGitHubByItsHeader() {
    Delivery d = Deliveries.json("github/push-forced.json", "X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1");
    WebhookEvent e = PayloadParsers.detecting().parse(d).event();
    assertThat(e.provider()).isEqualTo("github");
    assertThat(e.action()).contains("forced");
    assertThat(e.id()).isEqualTo("d-1");
  }

  @Test
  void detectingFallsBackOnGenericJson() {
    Delivery d = Deliveries.of("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8), "application/json");
    WebhookEvent e = PayloadParsers.detecting().parse(d).event();
    assertThat(Deliveries.fields(e)).isEqualTo(Deliveries.expected(DeliveryIds.contentHash(d), "generic", "custom",
        "severity", "UNKNOWN"));
  }

  @Test
  void detectingRejectsABodyThatIsNotJson() {
    Delivery d = Deliveries.of("not json".getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(PayloadParsers.detecting().parse(d).failure()).startsWith("body is not JSON");
  }
}
