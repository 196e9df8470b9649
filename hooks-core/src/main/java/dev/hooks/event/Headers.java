package dev.hooks.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * HTTP request headers: names compared without regard to case, each with one or more values in
 * the order received. Immutable and thread-safe.
 *
 * <pre>{@code
 * Headers h = Headers.builder().add("X-GitHub-Event", "push").build();
 * h.first("x-github-event"); // Optional[push]
 * }</pre>
 */
public final class Headers {
  private static final Headers EMPTY = new Headers(Map.of());

  /** Lower-case name to its values; the original spelling of each name is not kept. */
  private final Map<String, List<String>> values;

  private Headers(Map<String, List<String>> values) {
    this.values = values;
  }

  public static Headers empty() {
    return EMPTY;
  }

  /** Headers with one value per name, in the map's order. */
  public static Headers of(Map<String, String> single) {
    Builder b = builder();
    single.forEach(b::add);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The first value of {@code name}, if present. */
  public Optional<String> first(String name) {
    List<String> v = values.get(lower(name));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** Every value of {@code name}, in order received; empty when absent. */
  public List<String> all(String name) {
    List<String> v = values.get(lower(name));
    return v == null ? List.of() : v;
  }

  public boolean contains(String name) {
    return values.containsKey(lower(name));
  }

  /** The lower-case names present. */
  public Set<String> names() {
    return values.keySet();
  }

  /** Lower-case name to values, unmodifiable. */
  public Map<String, List<String>> asMap() {
    return values;
  }

  /**
   * A copy with the value of every header whose name {@code isSecret} accepts replaced by
   * {@code "****"}, for journals and logs; these headers themselves when none is secret.
   */
  public Headers redact(Predicate<String> isSecret) {
    if (values.keySet().stream().noneMatch(isSecret)) {
      return this;
    }
    Builder b = builder();
    values.forEach((name, vs) -> vs.forEach(v -> b.add(name, isSecret.test(name) ? "****" : v)));
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Headers other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** Names only: header values may hold secrets. */
  @Override
  public String toString() {
    return "Headers" + values.keySet();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** Collects headers; not thread-safe. */
  public static final class Builder {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Builder() {}

    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      values.computeIfAbsent(lower(name), k -> new ArrayList<>(1)).add(value);
      return this;
    }

    public Headers build() {
      if (values.isEmpty()) {
        return EMPTY;
      }
      Map<String, List<String>> copy = new LinkedHashMap<>(values.size() * 2);
      values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return new Headers(Collections.unmodifiableMap(copy));
    }
  }
}
