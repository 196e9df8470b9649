package dev.hooks.signatures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.verify.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code vectors/signature-vectors.json}, the one vectors file every test uses. */
final class SignatureVectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SignatureVectors() {}

  /** One vector: a delivery, the verifier's configuration and clock, and the expected outcome. */
  static final class Vector {
    final String name;
    final String scheme;
    final boolean derived;
    final String source;
    final List<Secret> secrets;
    final Map<String, String> options;
    final Delivery delivery;
    final Clock clock;
    final String expect;

    Vector(JsonNode v) {
      name = v.path("name").asText();
      scheme = v.path("scheme").asText();
      derived = v.path("derived").asBoolean();
      source = v.path("source").asText();
      secrets = new ArrayList<>();
      for (JsonNode s : v.path("secrets")) {
        if (s.isTextual()) {
          secrets.add(Secret.of(s.asText()));
        } else {
          secrets.add(Secret.of(s.path("value").asText()).notAfter(Instant.parse(s.path("notAfter").asText())));
        }
      }
      options = new LinkedHashMap<>();
      v.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
      Headers.Builder h = Headers.builder();
      for (JsonNode pair : v.path("headers")) {
        h.add(pair.get(0).asText(), pair.get(1).asText());
      }
      Instant now = Instant.parse(v.path("now").asText());
      clock = Clock.fixed(now, ZoneOffset.UTC);
      InetAddress remote = null;
      if (v.has("remoteAddress")) {
        try {
          remote = InetAddress.getByName(v.path("remoteAddress").asText());
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
      delivery = Delivery.builder("endpoint")
          .method(v.path("method").asText())
          .url(v.path("url").asText())
          .headers(h.build())
          .body(v.path("body").asText().getBytes(StandardCharsets.UTF_8))
          .remoteAddress(remote)
          .receivedAt(now)
          .build();
      expect = v.path("expect").asText();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Vector> all() {
    try (InputStream in = SignatureVectors.class.getResourceAsStream("/vectors/signature-vectors.json")) {
      List<Vector> out = new ArrayList<>();
      for (JsonNode v : JSON.readTree(in).path("vectors")) {
        out.add(new Vector(v));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Vector> of(String scheme) {
    List<Vector> out = new ArrayList<>();
    for (Vector v : all()) {
      if (v.scheme.equals(scheme)) {
        out.add(v);
      }
    }
    return out;
  }
}
