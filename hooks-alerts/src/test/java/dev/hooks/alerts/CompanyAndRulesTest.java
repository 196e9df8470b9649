package dev.hooks.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Company identification (HookWise's "#CW" string, a field, regex overrides) and rule validation. */
class CompanyAndRulesTest {

  private static ObjectNode kumaNamed(String name) {
    // the published Uptime Kuma delivery with the monitor named as a user would name it
    ObjectNode p = Payloads.json("uptime-kuma/down-timeout.json");
    ((ObjectNode) p.get("monitor")).put("name", name);
    return p;
  }

  @Test
  void cwStringInTheTitleNamesTheCompany() {
    AlertEndpoint kuma = Payloads.kumaRecipe("kuma").build();
    Alert byName = RecipesTest.one(AlertMapper.map(kuma, "r1", kumaNamed("Firewall Down #CW-AcmeCorp")));
    Alert byId = RecipesTest.one(AlertMapper.map(kuma, "r2", kumaNamed("Firewall Down #CW250")));

    assertThat(byName.company()).isEqualTo("AcmeCorp");
    assertThat(byName.companyRule()).isEqualTo("title");
    assertThat(byId.company()).isEqualTo("250");
    assertThat(byName.fingerprint()).isNotEqualTo(byId.fingerprint());
  }

  @Test
  void aMappedFieldNamesTheCompanyWhenTheTitleDoesNot() {
    AlertEndpoint am = AlertEndpoint.builder("am").trigger("$.status", List.of("firing"), List.of("resolved"))
        .map("summary", "$.alerts[0].annotations.summary").map("customer_id", "$.alerts[0].labels.host").company("Fallback").build();
    Alert a = AlertMapper.map(am, "r1", Payloads.json("alertmanager/zulip-alert.json")).get(0);
    assertThat(a.company()).isEqualTo("andromeda");
    assertThat(a.companyRule()).isEqualTo("field:$.alerts[0].labels.host");
    assertThat(a.companyCandidates()).containsExactly("field:$.alerts[0].labels.host", "default");
  }

  @Test
  void aRegexOverrideWinsAndEveryOfferIsRecordedInOrder() {
    AlertEndpoint kuma = Payloads.kumaRecipe("kuma").map("company", "$.monitor.pathName")
        .rule(RoutingRule.of("client-a", "$.monitor.url", "https://example.*", new Overrides(null, null, "CLIENT_A", null, null, null)))
        .build();
    Alert a = RecipesTest.one(AlertMapper.map(kuma, "r1", kumaNamed("Web #CW-Other")));
    assertThat(a.company()).isEqualTo("CLIENT_A");
    assertThat(a.companyRule()).isEqualTo("rule:client-a");
    assertThat(a.companyCandidates()).containsExactly("rule:client-a", "title", "field:$.monitor.pathName");
  }

  @Test
  void theEndpointDefaultIsTheLastResort() {
    AlertEndpoint kuma = Payloads.kumaRecipe("kuma").company("Internal").build();
    Alert a = RecipesTest.one(AlertMapper.map(kuma, "r1", Payloads.json("uptime-kuma/down-timeout.json")));
    assertThat(a.company()).isEqualTo("Internal");
    assertThat(a.companyRule()).isEqualTo("default");
  }

  @Test
  void laterRulesReplaceOnlyThePartsTheySet() {
    AlertEndpoint kuma = Payloads.kumaRecipe("kuma")
        .rule(RoutingRule.of("all", "$.monitor.type", "http", new Overrides("Web", "Low", null, null, null, null)))
        .rule(RoutingRule.of("down", "$.heartbeat.msg", "timeout.*", new Overrides(null, "High", null, "In Progress", null, null)))
        .build();
    Alert a = RecipesTest.one(AlertMapper.map(kuma, "r1", Payloads.json("uptime-kuma/down-timeout.json")));
    assertThat(a.matchedRules()).containsExactly("all", "down");
    assertThat(a.overrides()).isEqualTo(new Overrides("Web", "High", null, "In Progress", null, null));
  }

  @Test
  void aRuleRegexMatchesTheWholeValue() {
    RoutingRule r = RoutingRule.of("db", "$.monitor.url", "example", Overrides.NONE);
    assertThat(r.matches(Payloads.json("uptime-kuma/down-timeout.json"))).isFalse();
  }

  @Test
  void anInvalidRegexOrPathStopsTheStartNamingTheRule() {
    assertThatThrownBy(() -> RoutingRule.of("db", "$.monitor.hostname", ".*-DB-(.*", Overrides.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("routing rule 'db': regex '.*-DB-(.*' does not compile");
    assertThatThrownBy(() -> RoutingRule.of("fe", "$.monitor.[0", ".*", Overrides.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("routing rule 'fe': path '$.monitor.[0' is not a JsonPath");
  }

  @Test
  void aRuleNamingAnUndeclaredSinkStopsTheRouterBuild() {
    AlertEndpoint kuma = Payloads.kumaRecipe("kuma")
        .rule(RoutingRule.of("pager", "$.monitor.type", "http", new Overrides(null, null, null, null, "pd", null))).build();
    assertThatThrownBy(() -> AlertRouter.builder().endpoint(kuma).sink(new RecordingSink("cw")).build())
        .hasMessageContaining("routing rule 'pager' names sink 'pd', which is not declared");
  }
}
