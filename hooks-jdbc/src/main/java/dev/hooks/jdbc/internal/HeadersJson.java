package dev.hooks.jdbc.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.Headers;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Headers as {@code {"name":["value",...]}} in the journal's headers_json column. */
public final class HeadersJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, List<String>>> TYPE = new TypeReference<>() {};

  private HeadersJson() {}

  /** Written with the streaming generator: this runs for every journaled delivery. */
  public static String write(Headers headers) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, List<String>> header : headers.asMap().entrySet()) {
        g.writeArrayFieldStart(header.getKey());
        for (String value : header.getValue()) {
          g.writeString(value);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("headers cannot be written as JSON", e);
    }
    return out.toString();
  }

  public static Headers read(String json) {
    try {
      Map<String, List<String>> map = MAPPER.readValue(json, TYPE);
      Headers.Builder b = Headers.builder();
      map.forEach((name, values) -> values.forEach(v -> b.add(name, v)));
      return b.build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored headers are not valid JSON", e);
    }
  }
}
