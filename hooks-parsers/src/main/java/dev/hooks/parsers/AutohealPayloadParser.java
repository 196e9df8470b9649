package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.EventActions;
import dev.hooks.event.EventTypes;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Ids;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.ParseFailure;
import dev.hooks.parsers.internal.Parsing;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses the notices of willfarrell/docker-autoheal and its forks into events of provider
 * {@code autoheal}, type {@code container}. Autoheal sends one sentence, either as a one-key
 * JSON object ({@code {"text": "..."}}; the key is {@code WEBHOOK_JSON_KEY}, {@code text} by
 * default) or in the Apprise shape ({@code {"title": "Autoheal", "body": "..."}}):
 *
 * <table>
 *   <caption>Normalization</caption>
 *   <tr><th>sentence</th><th>action</th><th>severity</th></tr>
 *   <tr><td>Container NAME (ID) found to be unhealthy. Successfully restarted the container!</td>
 *       <td>restarted</td><td>WARNING</td></tr>
 *   <tr><td>... Failed to restart the container!</td><td>restart_failed</td><td>ERROR</td></tr>
 *   <tr><td>... - Restarting container now with Ns timeout (older releases)</td><td>restarting</td><td>WARNING</td></tr>
 *   <tr><td>... any other ending (notify-only mode)</td><td>unhealthy</td><td>ERROR</td></tr>
 * </table>
 *
 * <p>The subject and attribute {@code container_name} are the container's name, attribute
 * {@code container_id} its short id, the status the action's word ({@code restarted}, {@code
 * restart_failed}...) and attribute {@code message} the whole sentence. Autoheal
 * sends the same bytes each time a container is restarted again, so the id is a hash of the body
 * and the receive instant (deterministic for one delivery; each occurrence counts). A sentence
 * that is not an autoheal container notice is a failure.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * PayloadParser p = new AutohealPayloadParser();            // WEBHOOK_JSON_KEY=text or content
 * PayloadParser q = new AutohealPayloadParser("content");   // WEBHOOK_JSON_KEY=content
 * }</pre>
 */
public final class AutohealPayloadParser implements PayloadParser {
  static final String PROVIDER = "autoheal";
  private static final Pattern NOTICE = Pattern.compile(
      "Container (?<name>.+?) \\((?<id>[0-9a-fA-F]{6,64})\\) found to be unhealthy[.!]?\\s*(?:-\\s*)?(?<rest>.*)",
      Pattern.DOTALL);

  private final @Nullable String key;

  /**
   * Reads the sentence from key {@code text} (autoheal's default {@code WEBHOOK_JSON_KEY}), else
   * {@code content} (the key Discord and Apprise's JSON take), else {@code body} (the Apprise shape).
   */
  public AutohealPayloadParser() {
    this.key = null;
  }

  /**
   * @param key the JSON key autoheal is configured to send the sentence in ({@code
   *     WEBHOOK_JSON_KEY})
   * @throws IllegalArgumentException if {@code key} is blank
   */
  public AutohealPayloadParser(String key) {
    if (Objects.requireNonNull(key, "key").isBlank()) {
      throw new IllegalArgumentException("key must not be blank");
    }
    this.key = key.trim();
  }

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "AutohealPayloadParser[" + (key == null ? "text, content" : key) + "]";
  }

  private WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    String field = key != null && Json.text(root, key) != null ? key
        : key == null && Json.text(root, "text") != null ? "text"
        : key == null && Json.text(root, "content") != null ? "content"
        : Json.text(root, "body") != null ? "body" : null;
    if (field == null) {
      throw new ParseFailure(key != null
          ? "missing field " + key + " (the parser's key option; autoheal's WEBHOOK_JSON_KEY)"
          : "missing field text, content or body; set the key option to autoheal's WEBHOOK_JSON_KEY");
    }
    String text = Json.text(root, field);
    Matcher m = NOTICE.matcher(text.trim());
    if (!m.matches()) {
      throw new ParseFailure("field " + field + " is not an autoheal container notice"
          + (key == null ? "; if autoheal sends it in another key, set the key option to its WEBHOOK_JSON_KEY" : ""));
    }
    String rest = m.group("rest").trim();
    String action = actionOf(rest);
    return Parsing.event(delivery, Ids.contentAndTimeHash(delivery), PROVIDER, EventTypes.CONTAINER, root)
        .action(action)
        .subject(m.group("name"))
        .status(action)
        .severity(action.equals(EventActions.RESTARTED) || action.equals(EventActions.RESTARTING)
            ? Severity.WARNING : Severity.ERROR)
        .attribute("container_name", m.group("name"))
        .attribute("container_id", m.group("id"))
        .attribute("message", text.trim())
        .attribute("title", Json.text(root, "title"))
        .build();
  }

  private static String actionOf(@Nullable String rest) {
    if (rest == null) {
      return "unhealthy";
    }
    if (rest.startsWith("Successfully restarted")) {
      return "restarted";
    }
    if (rest.startsWith("Failed to restart")) {
      return "restart_failed";
    }
    if (rest.startsWith("Restarting container")) {
      return "restarting";
    }
    return "unhealthy";
  }
}
