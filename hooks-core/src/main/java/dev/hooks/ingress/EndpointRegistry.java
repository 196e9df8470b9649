package dev.hooks.ingress;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints ingress serves, changeable at run time (created, replaced, removed) without
 * a restart. Thread-safe.
 */
public final class EndpointRegistry {
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

  public EndpointRegistry() {}

  public EndpointRegistry(Collection<Endpoint> initial) {
    initial.forEach(this::put);
  }

  public Optional<Endpoint> find(String id) {
    return Optional.ofNullable(endpoints.get(id));
  }

  /** Adds {@code endpoint} or replaces the one with its id; returns the replaced one. */
  public Optional<Endpoint> put(Endpoint endpoint) {
    return Optional.ofNullable(endpoints.put(endpoint.id(), endpoint));
  }

  public Optional<Endpoint> remove(String id) {
    return Optional.ofNullable(endpoints.remove(id));
  }

  /** Every endpoint, ordered by id. */
  public List<Endpoint> all() {
    return endpoints.values().stream().sorted(java.util.Comparator.comparing(Endpoint::id)).toList();
  }
}
