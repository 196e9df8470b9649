package dev.hooks.endpoints.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One hub endpoint as it is stored: kind, secret, state, filters, template and target. Holds the
 * secret, so it is a class whose {@code toString} leaves it out, not a record. Immutable.
 */
final class HubEntry {
  private static final ObjectMapper JSON = new ObjectMapper();

  final String id;
  final String kind;
  final String secret;
  final String signature;
  final boolean enabled;
  final List<String> events;
  final List<String> actions;
  final List<String> branches;
  final List<String> repositories;
  final @Nullable String template;
  final String target;
  /** A Discord or Slack webhook URL the endpoint sends to, or null for a configured notifier. Holds a token. */
  final @Nullable String targetUrl;
  final Instant created;

  HubEntry(String id, String kind, String secret, String signature, boolean enabled, List<String> events,
      List<String> actions, List<String> branches, List<String> repositories, @Nullable String template,
      String target, @Nullable String targetUrl, Instant created) {
    this.id = id;
    this.kind = kind;
    this.secret = secret;
    this.signature = signature;
    this.enabled = enabled;
    this.events = List.copyOf(events);
    this.actions = List.copyOf(actions);
    this.branches = List.copyOf(branches);
    this.repositories = List.copyOf(repositories);
    this.template = template;
    this.target = target;
    this.targetUrl = targetUrl;
    this.created = created;
  }

  HubEntry withEnabled(boolean on) {
    return new HubEntry(id, kind, secret, signature, on, events, actions, branches, repositories, template, target, targetUrl, created);
  }

  HubEntry withFilters(List<String> newEvents, List<String> newActions, List<String> newBranches, List<String> newRepositories) {
    return new HubEntry(id, kind, secret, signature, enabled, newEvents, newActions, newBranches, newRepositories, template,
        target, targetUrl, created);
  }

  HubEntry withTarget(String newTarget, @Nullable String newTargetUrl) {
    return new HubEntry(id, kind, secret, signature, enabled, events, actions, branches, repositories, template, newTarget, newTargetUrl, created);
  }

  HubEntry withTemplate(@Nullable String text) {
    return new HubEntry(id, kind, secret, signature, enabled, events, actions, branches, repositories, text, target, targetUrl, created);
  }

  String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", id);
    n.put("kind", kind);
    n.put("secret", secret);
    n.put("signature", signature);
    n.put("enabled", enabled);
    events.forEach(n.putArray("events")::add);
    actions.forEach(n.putArray("actions")::add);
    branches.forEach(n.putArray("branches")::add);
    repositories.forEach(n.putArray("repositories")::add);
    if (template != null) {
      n.put("template", template);
    }
    n.put("target", target);
    if (targetUrl != null) {
      n.put("target_url", targetUrl);
    }
    n.put("created", created.toString());
    try {
      return JSON.writeValueAsString(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @throws IllegalArgumentException if {@code json} is not a stored entry
   */
  static HubEntry fromJson(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode template = n.path("template");
    JsonNode targetUrl = n.path("target_url");
    return new HubEntry(text(n, "id"), text(n, "kind"), text(n, "secret"), text(n, "signature"),
        n.path("enabled").asBoolean(true), list(n, "events"), list(n, "actions"), list(n, "branches"),
        list(n, "repositories"), template.isTextual() ? template.asText() : null, text(n, "target"),
        targetUrl.isTextual() ? targetUrl.asText() : null, Instant.parse(text(n, "created")));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new IllegalArgumentException("no '" + field + "'");
    }
    return v.asText();
  }

  private static List<String> list(JsonNode n, String field) {
    List<String> out = new ArrayList<>();
    JsonNode v = n.path(field);
    if (v instanceof ArrayNode a) {
      a.forEach(x -> out.add(x.asText()));
    }
    return out;
  }

  @Override
  public String toString() {
    return "HubEntry[" + id + ", " + kind + ", secret=****]";
  }
}
