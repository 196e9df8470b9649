package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.Parsing;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Accepts any JSON document as an event of provider {@code generic} and type {@code custom}
 * (or the type given), keeping the whole document in {@link WebhookEvent#payload()} for JsonPath
 * routes and templates. A top-level string field {@code action} becomes the action. The id is
 * the value of a configured delivery-id header, else the body's content hash. Use {@link
 * JsonPathMappedPayloadParser} to fill more fields from the body.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * PayloadParser p = new GenericJsonPayloadParser();
 * PayloadParser q = new GenericJsonPayloadParser("deploy", "X-Request-Id");
 * }</pre>
 */
public final class GenericJsonPayloadParser implements PayloadParser {
  static final String PROVIDER = "generic";

  private final String type;
  private final @Nullable String idHeader;

  /** Type {@code custom}, ids from the content hash. */
  public GenericJsonPayloadParser() {
    this("custom", null);
  }

  /**
   * @param type the event type to give every delivery, such as {@code custom} or {@code deploy}
   * @param idHeader a header that carries a unique delivery id, or null to use the content hash
   * @throws IllegalArgumentException if {@code type} or a non-null {@code idHeader} is blank
   */
  public GenericJsonPayloadParser(String type, @Nullable String idHeader) {
    if (Objects.requireNonNull(type, "type").isBlank()) {
      throw new IllegalArgumentException("type must not be blank");
    }
    if (idHeader != null && idHeader.isBlank()) {
      throw new IllegalArgumentException("idHeader must not be blank");
    }
    this.type = type;
    this.idHeader = idHeader;
  }

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  private WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    String id = idHeader == null ? DeliveryIds.contentHash(delivery) : DeliveryIds.fromHeaderOrHash(delivery, idHeader);
    return Parsing.event(delivery, id, PROVIDER, type, root)
        .action(root.path("action").isTextual() ? root.path("action").textValue() : null)
        .build();
  }

  @Override
  public String toString() {
    return "GenericJsonPayloadParser[" + type + "]";
  }
}
