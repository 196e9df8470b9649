package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
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
 * {@code container_id} its short id, and the status the sentence after the container. Autoheal
 * sends the same bytes each time a container is restarted again, so the id is a hash of the body
 * and the receive instant (deterministic for one delivery; each occurrence counts). A sentence
 * that is not an autoheal container notice is a failure.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * PayloadParser p = new AutohealPayloadParser();            // WEBHOOK_JSON_KEY=text
 * PayloadParser q = new AutohealPayloadParser("content");   // WEBHOOK_JSON_KEY=content
 * }</pre>
 */
public final class AutohealPayloadParser implements PayloadParser {
  static final String PROVIDER = "autoheal";
  private static final Pattern NOTICE = Pattern.compile(
      "Container (?<name>.+?) \\((?<id>[0-9a-fA-F]{6,64})\\) found to be unhealthy[.!]?\\s*(?:-\\s*)?(?<rest>.*)",
      Pattern.DOTALL);

  private final String key;

  /** Reads the sentence from key {@code text}, autoheal's default. */
  public AutohealPayloadParser() {
    this("text");
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
    this.key = key;
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
    return "AutohealPayloadParser[" + key + "]";
  }

  private WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    String text = Json.first(Json.text(root, key), Json.text(root, "body"));
    if (text == null) {
      throw new ParseFailure("missing field " + key);
    }
    Matcher m = NOTICE.matcher(text.trim());
    if (!m.matches()) {
      throw new ParseFailure("field " + (Json.text(root, key) != null ? key : "body")
          + " is not an autoheal container notice");
    }
    String rest = m.group("rest").trim();
    String action = actionOf(rest);
    return Parsing.event(delivery, Ids.contentAndTimeHash(delivery), PROVIDER, "container", root)
        .action(action)
        .subject(m.group("name"))
        .status(rest.isEmpty() ? "found to be unhealthy" : rest)
        .severity(action.equals("restarted") || action.equals("restarting") ? Severity.WARNING : Severity.ERROR)
        .attribute("container_name", m.group("name"))
        .attribute("container_id", m.group("id"))
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
