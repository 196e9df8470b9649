package dev.hooks.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.hooks.HooksException;
import dev.hooks.event.WebhookEvent;
import java.util.function.Predicate;

/**
 * A JsonPath condition on an event's payload. Matches when the path selects at least one value
 * that is not null and not {@code false}; with a filter, such as
 * {@code $[?(@.pull_request.merged == true)]}, when the filter keeps the root. Compiled once;
 * immutable and thread-safe.
 */
public final class JsonPathCondition implements Predicate<WebhookEvent> {
  static final Configuration JACKSON = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider())
      .mappingProvider(new JacksonMappingProvider())
      .options(Option.SUPPRESS_EXCEPTIONS, Option.ALWAYS_RETURN_LIST)
      .build();

  private final String source;
  private final JsonPath path;

  private JsonPathCondition(String source, JsonPath path) {
    this.source = source;
    this.path = path;
  }

  /**
   * @throws HooksException if {@code expression} is not a valid JsonPath, naming it
   */
  public static JsonPathCondition of(String expression) {
    try {
      return new JsonPathCondition(expression, JsonPath.compile(expression));
    } catch (InvalidPathException | IllegalArgumentException e) {
      throw new HooksException("invalid JsonPath condition '" + expression + "': " + e.getMessage(), e);
    }
  }

  @Override
  public boolean test(WebhookEvent event) {
    JsonNode payload = event.payload();
    if (payload.isMissingNode()) {
      return false;
    }
    Object result = path.read(payload, JACKSON);
    if (!(result instanceof JsonNode node)) {
      return false;
    }
    if (node.isArray()) {
      for (JsonNode n : node) {
        if (truthy(n)) {
          return true;
        }
      }
      return false;
    }
    return truthy(node);
  }

  private static boolean truthy(JsonNode n) {
    return !n.isNull() && !n.isMissingNode() && !(n.isBoolean() && !n.booleanValue());
  }

  @Override
  public String toString() {
    return source;
  }
}
