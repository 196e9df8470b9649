package dev.hooks.parse;

import dev.hooks.event.Delivery;
import java.util.Set;

/**
 * Turns an authentic delivery into a {@link dev.hooks.event.WebhookEvent}.
 *
 * <p>Contract for implementations: thread-safe; deterministic for the same delivery (ingress
 * re-parses journaled deliveries after a restart and must get the same event); never throws
 * for bad input, which is a {@link ParseResult#failed failure} with a reason that names the bad
 * field; never returns a half-filled event as a success.
 */
@FunctionalInterface
public interface PayloadParser {

  /** Parses {@code delivery}; never null, never throws for malformed input. */
  ParseResult parse(Delivery delivery);

  /**
   * The media types this parser reads (lower case, no parameters). Ingress answers 415 to a
   * delivery with another Content-Type. A delivery with no Content-Type is passed on.
   */
  default Set<String> mediaTypes() {
    return Set.of("application/json");
  }
}
