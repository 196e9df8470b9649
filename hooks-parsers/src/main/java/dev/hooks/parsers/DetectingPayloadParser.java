package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.ParseFailure;
import java.util.Set;

/**
 * Picks the provider of each delivery by its headers and falls back on generic JSON. Made by
 * {@link PayloadParsers#detecting()}, where the rules are documented. Immutable and thread-safe.
 */
final class DetectingPayloadParser implements PayloadParser {
  static final DetectingPayloadParser INSTANCE = new DetectingPayloadParser();

  private static final Set<String> MEDIA_TYPES = Set.of("application/json", "application/x-www-form-urlencoded");

  private final GitHubPayloadParser github = new GitHubPayloadParser();
  private final GenericJsonPayloadParser generic = new GenericJsonPayloadParser();

  private DetectingPayloadParser() {}

  @Override
  public ParseResult parse(Delivery delivery) {
    var h = delivery.headers();
    if (h.contains("X-GitHub-Event")) {
      return github.parse(delivery);
    }
    JsonNode root;
    try {
      root = Json.read(delivery.body());
    } catch (ParseFailure f) {
      return ParseResult.failed(f.reason());
    }
    return generic.parse(delivery, root);
  }

  @Override
  public Set<String> mediaTypes() {
    return MEDIA_TYPES;
  }

  @Override
  public String toString() {
    return "PayloadParsers.detecting()";
  }
}
