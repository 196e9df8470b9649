package dev.hooks.admin;

import java.util.List;
import java.util.Map;

/**
 * Manages inbound endpoints at run time: the operations behind an admin HTTP API. Values are
 * JSON-friendly (maps of strings, numbers, booleans, lists and maps) so that an adapter writes
 * them as they are. An endpoint's view never holds its secret, except the one answer of
 * {@link #create}.
 *
 * <p>Contract for implementations: thread-safe; every change is durable when the method returns;
 * a request that cannot be done throws {@link AdminException} (4xx), never another exception for
 * bad input.
 *
 * <pre>{@code
 * Map<String, Object> created = admin.create("github", Map.of("events", List.of("push"), "branch", "main"));
 * String url = (String) created.get("url");        // give it, with created.get("secret"), to GitHub
 * admin.template((String) created.get("id"), "🔔 {{event}}: {{message}}");
 * }</pre>
 */
public interface EndpointAdmin {

  /**
   * Creates an endpoint of {@code kind} with a generated id and secret.
   *
   * @param options kind-specific settings; implementations document the keys they take
   * @return the endpoint's view plus {@code secret}, shown this once
   * @throws AdminException 400 if the kind or an option is bad, 409 if a requested id is taken
   */
  Map<String, Object> create(String kind, Map<String, Object> options);

  /** Every endpoint's view, ordered by id, without secrets. */
  List<Map<String, Object>> list();

  /**
   * @throws AdminException 404 if there is no endpoint {@code id}
   */
  Map<String, Object> get(String id);

  /**
   * Removes the endpoint; deliveries to it are answered 404 from now on.
   *
   * @throws AdminException 404 if there is no endpoint {@code id}
   */
  void delete(String id);

  /**
   * Enables or disables the endpoint; a disabled endpoint answers deliveries 404.
   *
   * @return the endpoint's view
   * @throws AdminException 404 if there is no endpoint {@code id}
   */
  Map<String, Object> enabled(String id, boolean enabled);

  /**
   * Replaces the endpoint's filters: which events notify.
   *
   * @return the endpoint's view
   * @throws AdminException 404 if there is no endpoint {@code id}, 400 if a filter is bad
   */
  Map<String, Object> filters(String id, Map<String, Object> filters);

  /**
   * Sets the message template of the endpoint's notifications; {@code null} restores the
   * default templates.
   *
   * @return the endpoint's view
   * @throws AdminException 404 if there is no endpoint {@code id}, 400 if the template does not compile
   */
  Map<String, Object> template(String id, @org.jspecify.annotations.Nullable String template);

  /**
   * Points the endpoint's notifications at another target: a notifier name, or a webhook URL of
   * an allowed host.
   *
   * @return the endpoint's view
   * @throws AdminException 404 if there is no endpoint {@code id}, 400 if the target is unknown or
   *     not allowed, or if this admin cannot change targets
   */
  default Map<String, Object> target(String id, String target) {
    throw AdminException.invalid("this admin cannot change an endpoint's target");
  }

  /**
   * Sends a sample delivery of the endpoint's kind, signed with its secret, through the whole
   * pipeline to its notification target.
   *
   * @return at least {@code id}, {@code status} (the ingress answer's HTTP status), {@code
   *     request_id} and {@code sent}: whether the sample is on its way to the target; when it is
   *     not, {@code reason} says why, starting with {@code filtered:} (the endpoint's own filters
   *     drop the sample), {@code duplicate:} or {@code rejected:}
   * @throws AdminException 404 if there is no endpoint {@code id}, 409 if it is disabled
   */
  Map<String, Object> test(String id);

  /**
   * Changes several settings of the endpoint at once, as one change: any of {@code target} (a
   * notifier name or an allowed webhook URL), {@code filters} (an object, as {@link #filters}),
   * {@code template} (a string, or {@code null} for the defaults) and {@code enabled} (a
   * boolean). Every value is checked before anything changes.
   *
   * <p>The default applies them one after the other through the single-setting methods;
   * implementations that store endpoints write them in one step.
   *
   * @return the endpoint's view
   * @throws AdminException 404 if there is no endpoint {@code id}, 400 if a key or value is bad
   */
  @SuppressWarnings("unchecked")
  default Map<String, Object> update(String id, Map<String, Object> changes) {
    for (String key : changes.keySet()) {
      if (!List.of("target", "filters", "template", "enabled").contains(key)) {
        throw AdminException.invalid("unknown setting '" + key + "'; use enabled, filters, target, template");
      }
    }
    Map<String, Object> view = get(id);
    if (changes.get("target") instanceof String t) {
      view = target(id, t);
    } else if (changes.containsKey("target")) {
      throw AdminException.invalid("'target' must be a non-blank string");
    }
    if (changes.get("filters") instanceof Map<?, ?> f) {
      view = filters(id, (Map<String, Object>) f);
    } else if (changes.containsKey("filters")) {
      throw AdminException.invalid("'filters' must be an object");
    }
    if (changes.containsKey("template")) {
      Object t = changes.get("template");
      if (t != null && !(t instanceof String)) {
        throw AdminException.invalid("'template' must be a string or null");
      }
      view = template(id, (String) t);
    }
    if (changes.get("enabled") instanceof Boolean on) {
      view = enabled(id, on);
    } else if (changes.containsKey("enabled")) {
      throw AdminException.invalid("'enabled' must be true or false");
    }
    return view;
  }

  /**
   * This admin acting for {@code actor}, such as {@code token:ops} or {@code discord:80351110224678912}:
   * the changes it makes are recorded in the audit log under that name. The default ignores the
   * name and returns this admin.
   *
   * @throws NullPointerException if {@code actor} is null
   */
  default EndpointAdmin as(String actor) {
    java.util.Objects.requireNonNull(actor, "actor");
    return this;
  }

  /**
   * The latest {@code limit} changes of the audit log, oldest first: each with {@code at} (an
   * ISO-8601 instant), {@code actor}, {@code action}, {@code endpoint} and {@code changes}
   * (setting to {@code from} and {@code to}; never a secret). The default keeps no log.
   */
  default List<Map<String, Object>> audit(int limit) {
    return List.of();
  }
}
