package dev.hooks.parsers;

import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.event.WebhookEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Deliveries made from the published payloads under {@code src/test/resources/payloads}. */
final class Deliveries {
  static final Instant RECEIVED = Instant.parse("2026-11-23T10:00:00Z");
  static final String ENDPOINT = "hooks-test";

  private Deliveries() {}

  static byte[] resource(String path) {
    try (InputStream in = Deliveries.class.getResourceAsStream("/payloads/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test payload " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON delivery of the payload at {@code path} with the given header name/value pairs. */
  static Delivery json(String path, String... headers) {
    return of(resource(path), "application/json", headers);
  }

  static Delivery of(byte[] body, String contentType, String... headers) {
    Headers.Builder h = Headers.builder().add("Content-Type", contentType);
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return Delivery.builder(ENDPOINT).headers(h.build()).body(body).receivedAt(RECEIVED).build();
  }

  /**
   * Every normalized field of {@code e} that is present, by name (attributes and payload apart),
   * so that one equality asserts every field, including those that must be absent.
   */
  static Map<String, Object> fields(WebhookEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("endpointId", e.endpointId());
    m.put("provider", e.provider());
    m.put("type", e.type());
    e.action().ifPresent(v -> m.put("action", v));
    e.sourceEvent().ifPresent(v -> m.put("sourceEvent", v));
    e.repository().ifPresent(v -> m.put("repository", v));
    e.branch().ifPresent(v -> m.put("branch", v));
    e.tag().ifPresent(v -> m.put("tag", v));
    e.commit().ifPresent(v -> m.put("commit", v));
    e.actor().ifPresent(v -> m.put("actor", v));
    e.url().ifPresent(v -> m.put("url", v));
    e.subject().ifPresent(v -> m.put("subject", v));
    e.status().ifPresent(v -> m.put("status", v));
    m.put("severity", e.severity().name());
    e.occurredAt().ifPresent(v -> m.put("occurredAt", v.toString()));
    m.put("receivedAt", e.receivedAt().toString());
    return m;
  }

  /**
   * The expected fields: id, provider and type, then name/value pairs of the present fields;
   * endpointId and receivedAt are always those of {@link #of}.
   */
  static Map<String, Object> expected(String id, String provider, String type, Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("endpointId", ENDPOINT);
    m.put("provider", provider);
    m.put("type", type);
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    m.put("receivedAt", RECEIVED.toString());
    return m;
  }

  /** Name/value pairs as an ordered map, for attribute assertions. */
  static Map<String, String> attrs(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }
}
