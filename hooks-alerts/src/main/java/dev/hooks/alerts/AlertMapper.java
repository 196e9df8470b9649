package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.hooks.alerts.internal.Paths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps a delivery's JSON into {@link Alert}s by an {@link AlertEndpoint}'s configuration.
 * Alertmanager and Grafana groups (an {@code alerts} array beside {@code groupKey} or {@code
 * receiver}) are split alert by alert: each alert sees the group with only itself in {@code
 * alerts} and its own {@code status}, so a HookWise mapping such as {@code
 * $.alerts[0].annotations.summary} reads the alert at hand. Thread-safe.
 */
public final class AlertMapper {
  private static final Configuration JACKSON = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider())
      .mappingProvider(new JacksonMappingProvider())
      .options(Option.SUPPRESS_EXCEPTIONS)
      .build();
  // HookWise's magic string: "#CW123" (an id) or "#CW-AcmeCorp" (an identifier)
  private static final Pattern CW_TAG = Pattern.compile("#CW-?([A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*)");
  private static final int SUMMARY_MAX = 100;

  private AlertMapper() {}

  /** The alerts of one delivery; never empty. */
  public static List<Alert> map(AlertEndpoint endpoint, String requestId, JsonNode payload) {
    List<JsonNode> roots = split(endpoint, payload);
    List<Alert> out = new ArrayList<>(roots.size());
    for (int i = 0; i < roots.size(); i++) {
      out.add(one(endpoint, requestId, i, roots.get(i), roots.size() > 1 || isGroup(payload)));
    }
    return out;
  }

  private static boolean isGroup(JsonNode p) {
    return p.path("alerts").isArray() && (p.has("groupKey") || p.has("receiver"));
  }

  private static List<JsonNode> split(AlertEndpoint endpoint, JsonNode payload) {
    JsonNode array;
    String field;
    if (endpoint.splitPath() != null) {
      Object found = JsonPath.compile(endpoint.splitPath()).read(payload, JACKSON);
      array = found instanceof JsonNode n ? n : null;
      String p = endpoint.splitPath().strip();
      field = p.startsWith("$.") && p.indexOf('.', 2) < 0 && p.indexOf('[') < 0 ? p.substring(2) : null;
    } else if (isGroup(payload)) {
      array = payload.get("alerts");
      field = "alerts";
    } else {
      return List.of(payload);
    }
    if (array == null || !array.isArray() || array.isEmpty()) {
      return List.of(payload);
    }
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode alert : array) {
      if (field != null && payload instanceof ObjectNode group) {
        ObjectNode view = group.deepCopy();
        ArrayNode only = view.putArray(field);
        only.add(alert.deepCopy());
        // each alert carries its own status; older Alertmanagers send the group's only
        if (alert.path("status").isTextual()) {
          view.put("status", alert.get("status").asText());
        }
        out.add(view);
      } else {
        out.add(alert);
      }
    }
    return out;
  }

  private static Alert one(AlertEndpoint e, String requestId, int index, JsonNode root, boolean grouped) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("request_id", requestId);
    Map<String, String> m = e.mapping();
    String rawSummary = read(m.get("summary"), root, names);
    if (rawSummary.isEmpty()) {
      rawSummary = firstNonEmpty(Paths.text(root, "$.alerts[0].labels.alertname"), Paths.text(root, "$.monitor.name"),
          Paths.text(root, "$.title"), e.name());
    }
    names.put("monitor_name", rawSummary);
    names.put("summary", rawSummary);
    String trigger = e.triggerPath() == null ? null : Paths.text(root, e.triggerPath());
    names.put("status", trigger == null ? "" : trigger);
    String severity = read(m.get("severity"), root, names);
    names.put("severity", severity);
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : m.entrySet()) {
      if (!AlertEndpoint.KNOWN_KEYS.contains(f.getKey())) {
        String v = read(f.getValue(), root, names);
        fields.put(f.getKey(), v);
        names.put(f.getKey(), v);
      }
    }
    String rawMsg = m.containsKey("description") && Paths.isPath(m.get("description")) && !m.get("description").contains("{")
        ? read(m.get("description"), root, names) : firstNonEmpty(Paths.text(root, "$.heartbeat.msg"), Paths.text(root, "$.msg"),
            Paths.text(root, "$.alerts[0].annotations.description"), "");
    names.put("msg", rawMsg);

    Overrides overrides = Overrides.NONE;
    List<String> matched = new ArrayList<>();
    for (RoutingRule r : e.rules()) {
      if (r.matches(root)) {
        overrides = overrides.then(r.overrides());
        matched.add(r.name());
      }
    }

    // Company: a rule's override, then #CW in the title, then the mapped field, then the endpoint's default.
    List<String> candidates = new ArrayList<>();
    String company = null;
    String companyRule = "none";
    for (String rn : matched) {
      RoutingRule r = e.rules().stream().filter(x -> x.name().equals(rn)).findFirst().orElseThrow();
      if (r.overrides().company() != null) {
        candidates.add("rule:" + rn);
        companyRule = "rule:" + rn;
        company = r.overrides().company();
      }
    }
    Matcher tag = CW_TAG.matcher(rawSummary);
    if (tag.find()) {
      candidates.add("title");
      if (company == null) {
        company = tag.group(1);
        companyRule = "title";
      }
    }
    String companyPath = m.containsKey("company") ? m.get("company") : m.get("customer_id");
    if (companyPath != null) {
      String v = read(companyPath, root, names);
      if (!v.isEmpty()) {
        candidates.add("field:" + companyPath);
        if (company == null) {
          company = v;
          companyRule = "field:" + companyPath;
        }
      }
    }
    if (e.company() != null && !e.company().isBlank()) {
      candidates.add("default");
      if (company == null) {
        company = e.company();
        companyRule = "default";
      }
    }
    names.put("company", company == null ? "" : company);
    names.put("customer_id", company == null ? "" : company);

    String descTemplate = overrides.template() != null ? overrides.template() : m.get("description");
    String description = descTemplate == null ? rawMsg : read(descTemplate, root, names);
    names.put("description", description);

    String prefix = e.ticketPrefix().strip();
    String summary = prefix.isEmpty() ? rawSummary : prefix + " " + rawSummary;
    if (summary.length() > SUMMARY_MAX) {
      // ConnectWise refuses a summary longer than 100 characters
      summary = summary.substring(0, SUMMARY_MAX);
    }
    names.put("prefix", prefix);

    Map<String, String> labels = new TreeMap<>();
    JsonNode l = root.path("alerts").path(0).path("labels");
    if (grouped && l.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = l.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> x = it.next();
        labels.put(x.getKey(), x.getValue().asText());
      }
    }
    AlertAction action = action(e, trigger);
    String fp;
    if (e.fingerprint() != null) {
      fp = Paths.render(e.fingerprint(), root, names);
    } else if (grouped && root.path("alerts").path(0).path("fingerprint").isTextual()) {
      // Alertmanager and Grafana send each alert's fingerprint, a hash of its whole label set
      fp = prefix + "|alert:" + root.path("alerts").path(0).path("fingerprint").asText() + "|" + (company == null ? "" : company);
    } else if (!labels.isEmpty()) {
      fp = prefix + "|labels:" + labels + "|" + (company == null ? "" : company);
    } else {
      fp = prefix + "|" + rawSummary + "|" + (company == null ? "" : company);
    }
    return new Alert(e.id(), requestId, index, summary, description, severity, company, companyRule, List.copyOf(candidates),
        Map.copyOf(fields), action, trigger, Map.copyOf(labels), e.id() + ":" + sha256(fp), overrides, List.copyOf(matched), root);
  }

  private static AlertAction action(AlertEndpoint e, @Nullable String trigger) {
    if (e.triggerPath() == null) {
      return AlertAction.OPEN;
    }
    if (trigger == null) {
      return AlertAction.OTHER;
    }
    if (e.closeValues().contains(trigger)) {
      return AlertAction.CLOSE;
    }
    if (e.openValues().contains(trigger)) {
      return AlertAction.OPEN;
    }
    return AlertAction.OTHER;
  }

  private static String read(@Nullable String pathOrTemplate, JsonNode root, Map<String, String> names) {
    return pathOrTemplate == null ? "" : Paths.render(pathOrTemplate, root, names);
  }

  private static String firstNonEmpty(@Nullable String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return "";
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
