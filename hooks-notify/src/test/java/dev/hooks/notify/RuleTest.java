package dev.hooks.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleTest {
  private static final WebhookEvent PR = WebhookEvent.builder("d1", "github", "pull_request")
      .action("submitted")
      .branch("feature-oauth")
      .severity(Severity.INFO)
      .attribute("pr.status", "approved")
      .attribute("pr.reviews", "2")
      .receivedAt(Events.AT)
      .payload(Events.json("""
          {"pull_request": {"number": 45, "draft": false, "labels": [{"name": "ready"}], "title": "Add OAuth support"},
           "review": {"state": "approved"}, "checks": {"passed": true, "failed": 0}}
          """))
      .build();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "pr.status == 'approved' and pr.reviews >= 2 | true",
      "pr.status == 'approved' and pr.reviews >= 3 | false",
      "pr.status == \"approved\" && pr.reviews > 1 | true",
      "pr.status != 'approved' or pr.reviews < 2 | false",
      "not (pr.reviews < 2) | true",
      "!pr.draft | true",
      "pr.number == 45 | true",
      "pr.number >= 100 | false",
      "pr.draft == false | true",
      "pr.labels == 1 | true",
      "review.state == 'approved' | true",
      "checks.passed and checks.failed == 0 | true",
      "checks.failed | false",
      "pr.title contains 'OAuth' | true",
      "branch == 'feature-oauth' and type == 'pull_request' | true",
      "severity == 'info' | true",
      "missing.field == null | true",
      "missing.field | false",
      "pr.reviews == '2.0' | true",
      "provider == 'gitlab' or (action == 'submitted' and pr.reviews >= 2) | true",
      "10 > 9 | true",
      "'10' > '9' | true",
  })
  void evaluates(String expression, boolean expected) {
    assertThat(Rule.parse(expression).test(PR)).isEqualTo(expected);
  }

  @Test
  void comparesNumbersAsNumbersNotAsText() {
    WebhookEvent e = PR.toBuilder().attribute("pr.reviews", "10").build();
    assertThat(Rule.parse("pr.reviews >= 9").test(e)).isTrue();
    assertThat(Rule.parse("pr.reviews >= 9").test(PR)).isFalse();
  }

  @Test
  void syntaxErrorsNameThePositionAndWhatWasExpected() {
    assertThatThrownBy(() -> Rule.parse("pr.status == "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rule 'pr.status == ' at 13: expected a name, a value or '('");
    assertThatThrownBy(() -> Rule.parse("(a == 1"))
        .hasMessage("rule '(a == 1' at 7: expected ')'");
    assertThatThrownBy(() -> Rule.parse("a == 'open"))
        .hasMessage("rule 'a == 'open' at 5: unclosed string");
    assertThatThrownBy(() -> Rule.parse("a b"))
        .hasMessage("rule 'a b' at 2: unexpected 'b'");
    assertThatThrownBy(() -> Rule.parse("and == 1"))
        .hasMessage("rule 'and == 1' at 0: expected a name or a value before 'and'");
  }

  @Test
  void printsAsWritten() {
    assertThat(Rule.parse("pr.reviews >= 2")).hasToString("pr.reviews >= 2");
  }
}
