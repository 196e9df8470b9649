package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One alert as mapped from a delivery: an Alertmanager or Grafana group gives one per alert.
 *
 * @param endpointId the alert endpoint
 * @param requestId the delivery's id
 * @param index the alert's place in its delivery, from 0
 * @param summary the ticket summary, prefix included
 * @param description the ticket description
 * @param severity the mapped severity, or empty
 * @param company the company identifier, or null when none was found
 * @param companyRule which rule named the company: {@code rule:<name>}, {@code title}, {@code field:<path>}, {@code default} or {@code none}
 * @param companyCandidates every rule that offered a company, in the order tried
 * @param fields the extra mapped fields
 * @param action what the trigger field asks
 * @param trigger the trigger field's value, or null
 * @param labels the alert's labels (Alertmanager, Grafana), empty otherwise
 * @param fingerprint the incident this alert belongs to
 * @param overrides what the matching routing rules set
 * @param matchedRules the names of the matching routing rules
 * @param payload the alert's own JSON (for a group: the group with only this alert)
 */
public record Alert(String endpointId, String requestId, int index, String summary, String description, String severity,
    @Nullable String company, String companyRule, List<String> companyCandidates, Map<String, String> fields, AlertAction action,
    @Nullable String trigger, Map<String, String> labels, String fingerprint, Overrides overrides, List<String> matchedRules,
    JsonNode payload) {

  /** The key of this alert's effects: one per delivery and alert. */
  public String key() {
    return requestId + "#" + index;
  }
}
