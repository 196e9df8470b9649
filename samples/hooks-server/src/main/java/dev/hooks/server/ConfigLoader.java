package dev.hooks.server;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hooks.server.ServerConfig.EndpointConfig;
import dev.hooks.server.ServerConfig.HandlerConfig;
import dev.hooks.server.ServerConfig.RouteConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads the server's YAML file into a {@link ServerConfig}: replaces {@code ${ENV_VAR}} (and
 * {@code ${ENV_VAR:-default}}) in every string, binds kebab-case keys, refuses unknown keys and
 * checks what refers to what. Every failure is a {@link ConfigException} that names the key and
 * the fix. Thread-safe.
 */
final class ConfigLoader {
  /** The example used when no {@code --config} is given. */
  static final String DEFAULT_RESOURCE = "hooks-default.yaml";

  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final Set<String> HANDLER_TYPES = Set.of("log", "file", "notify");
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      // "verifier:" with nothing after it means an empty section, not a missing one.
      .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY))
      .build();

  private ConfigLoader() {}

  /**
   * @param file the YAML file, or null for the bundled {@value #DEFAULT_RESOURCE}
   * @param env the environment the {@code ${...}} references are read from
   * @throws ConfigException if the file is missing or unreadable, not YAML, or not a valid configuration
   */
  static ServerConfig load(@Nullable Path file, Map<String, String> env) {
    String source = file == null ? "bundled " + DEFAULT_RESOURCE : file.toString();
    JsonNode tree;
    try (InputStream in = file == null ? ConfigLoader.class.getResourceAsStream("/" + DEFAULT_RESOURCE) : Files.newInputStream(file)) {
      if (in == null) {
        throw new ConfigException(DEFAULT_RESOURCE + " is missing from the class path; pass --config FILE");
      }
      tree = YAML.readTree(in);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist; check --config");
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + " is not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + source + ": " + e.getMessage(), e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(source + " is empty; declare at least one endpoint under 'endpoints'");
    }
    if (!tree.isObject()) {
      throw new ConfigException(source + " must be a mapping with keys such as endpoints, routes and handlers");
    }
    Map<String, String> substituted = new java.util.LinkedHashMap<>();
    try {
      ServerConfig config = bind(tree, env, source, substituted);
      config.substituted = Map.copyOf(substituted);
      return config;
    } catch (ConfigException e) {
      // A value from the environment (a secret, often) must not be printed back, wherever it went.
      throw new ConfigException(StartErrors.mask(e.getMessage(), substituted));
    }
  }

  private static ServerConfig bind(JsonNode tree, Map<String, String> env, String source, Map<String, String> substituted) {
    substitute(tree, "", env, substituted);
    ServerConfig config;
    try {
      config = YAML.treeToValue(tree, ServerConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(source + ": unknown key '" + e.getPropertyName() + "'" + at(e.getPath().subList(0, e.getPath().size() - 1))
          + "; known keys: " + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
    } catch (JsonMappingException e) {
      throw new ConfigException(source + ": bad value" + at(e.getPath()) + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + e.getOriginalMessage());
    }
    validate(config, source);
    return config;
  }

  private static String at(List<JsonMappingException.Reference> path) {
    if (path.isEmpty()) {
      return " at the top level";
    }
    StringBuilder s = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        s.append(s.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        s.append('[').append(r.getIndex()).append(']');
      }
    }
    return " at " + s;
  }

  /** Replaces {@code ${VAR}} in every string of {@code node}, in place. */
  private static void substitute(JsonNode node, String path, Map<String, String> env, Map<String, String> substituted) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String p = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (field.getValue().isTextual()) {
          field.setValue(TextNode.valueOf(expand(field.getValue().asText(), p, env, substituted)));
        } else {
          substitute(field.getValue(), p, env, substituted);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        String p = path + "[" + i + "]";
        if (array.get(i).isTextual()) {
          array.set(i, TextNode.valueOf(expand(array.get(i).asText(), p, env, substituted)));
        } else {
          substitute(array.get(i), p, env, substituted);
        }
      }
    }
  }

  private static String expand(String value, String path, Map<String, String> env, Map<String, String> substituted) {
    if (value.indexOf("${") < 0) {
      return value;
    }
    Matcher m = ENV.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String found = env.get(name);
      if (found == null || found.isEmpty()) {
        found = m.group(2);
      } else {
        substituted.put(found, name);
      }
      if (found == null) {
        throw new ConfigException(path + " needs the environment variable " + name + ", which is not set; set "
            + name + " (for example: export " + name + "=...) and start again");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(found));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static void validate(ServerConfig c, String source) {
    if (c.endpoints.isEmpty() && (c.alerts == null || c.alerts.endpoints.isEmpty())) {
      throw new ConfigException(source + ": no endpoints; declare at least one under 'endpoints' with an id and a provider"
          + " (or under 'alerts.endpoints')");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < c.endpoints.size(); i++) {
      EndpointConfig e = c.endpoints.get(i);
      String where = "endpoints[" + i + "]";
      if (e.id == null || e.id.isBlank()) {
        throw new ConfigException(source + ": " + where + " has no id; set " + where + ".id, the name in /hooks/{id}");
      }
      if (!ids.add(e.id)) {
        throw new ConfigException(source + ": endpoint id '" + e.id + "' is declared twice; endpoint ids must be unique");
      }
      if (e.provider == null || e.provider.isBlank()) {
        throw new ConfigException(source + ": endpoint '" + e.id + "' has no provider; set endpoints[" + i + "].provider, such as github or generic");
      }
      if (e.maxBodySize != null) {
        ConfigValues.size(e.maxBodySize, "endpoint '" + e.id + "' max-body-size");
      }
    }
    if (c.journal.durability != null && !Set.of("os", "sync").contains(c.journal.durability.trim().toLowerCase(java.util.Locale.ROOT))) {
      throw new ConfigException(source + ": journal.durability '" + c.journal.durability + "' is unknown; use os or sync");
    }
    for (Map.Entry<String, HandlerConfig> h : c.handlers.entrySet()) {
      String type = h.getValue() == null ? null : h.getValue().type;
      if (type == null || !HANDLER_TYPES.contains(type)) {
        throw new ConfigException(source + ": handler '" + h.getKey() + "' has " + (type == null ? "no type" : "unknown type '" + type + "'")
            + "; set handlers." + h.getKey() + ".type to one of " + new TreeSet<>(HANDLER_TYPES));
      }
      if (type.equals("file") && (h.getValue().path == null || h.getValue().path.isBlank())) {
        throw new ConfigException(source + ": file handler '" + h.getKey() + "' has no path; set handlers." + h.getKey() + ".path");
      }
      if (type.equals("notify")) {
        if (c.notify.targets.isEmpty()) {
          throw new ConfigException(source + ": notify handler '" + h.getKey() + "' has no target to send to; declare one under"
              + " notify.targets, such as discord: {url: ${DISCORD_WEBHOOK_URL}}");
        }
        for (String t : h.getValue().targets) {
          if (!c.notify.targets.containsKey(t)) {
            throw new ConfigException(source + ": handlers." + h.getKey() + ".targets names '" + t + "', which is not declared under"
                + " notify.targets (declared: " + c.notify.targets.keySet() + ")");
          }
        }
      }
    }
    for (int i = 0; i < c.routes.size(); i++) {
      RouteConfig r = c.routes.get(i);
      String name = r.name == null ? "routes[" + i + "]" : "route '" + r.name + "'";
      if (r.handlers.isEmpty()) {
        throw new ConfigException(source + ": " + name + " has no handlers; list handler names under routes[" + i + "].handlers");
      }
    }
  }
}
