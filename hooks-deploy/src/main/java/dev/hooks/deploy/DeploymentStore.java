package dev.hooks.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hooks.HooksException;
import dev.hooks.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * Deployments and service states as JSON in a {@link StateStore}, every write a compare-and-set
 * so that two processes never both win one transition. Keys: {@code deploy/<service>/service},
 * {@code deploy/<service>/d/<id>} (the id of a push's deployment derives from the push's event
 * id, so creating it is the claim on the push). Thread-safe.
 */
final class DeploymentStore {
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final StateStore store;

  DeploymentStore(StateStore store) {
    this.store = store;
  }

  static ObjectMapper json() {
    return JSON;
  }

  /** Stores a new deployment; false if one of that id exists (the same push, seen again). */
  boolean create(Deployment d) {
    return store.compareAndSet(deploymentKey(d.service, d.id), 0, write(d)).isPresent();
  }

  void save(Deployment d) {
    write(deploymentKey(d.service, d.id), write(d));
  }

  Optional<Deployment> find(String service, String id) {
    return store.get(deploymentKey(service, id)).map(v -> read(v.value(), Deployment.class));
  }

  /** Every deployment of {@code service}, oldest first. */
  List<Deployment> all(String service) {
    List<Deployment> out = new ArrayList<>();
    store.list("deploy/" + service + "/d/").values().forEach(v -> out.add(read(v.value(), Deployment.class)));
    out.sort(Comparator.comparing((Deployment d) -> d.createdAt).thenComparing(d -> d.id));
    return out;
  }

  ServiceState service(String service) {
    return store.get(serviceKey(service)).map(v -> read(v.value(), ServiceState.class)).orElseGet(ServiceState::new);
  }

  ServiceState updateService(String service, UnaryOperator<ServiceState> change) {
    String key = serviceKey(service);
    for (int i = 0; i < 100; i++) {
      Optional<StateStore.Versioned> v = store.get(key);
      ServiceState s = v.map(x -> read(x.value(), ServiceState.class)).orElseGet(ServiceState::new);
      ServiceState next = change.apply(s.copy());
      OptionalLong done = store.compareAndSet(key, v.map(StateStore.Versioned::version).orElse(0L), write(next));
      if (done.isPresent()) {
        return next;
      }
    }
    throw new HooksException("service state of " + service + " kept changing under a write; state store contended");
  }

  /**
   * Takes or renews the service's lease for {@code owner} until {@code until}: free, expired or
   * already {@code owner}'s. The lease keeps two processes sharing the store from running
   * deployments of one service at once.
   *
   * @return whether {@code owner} holds it now
   */
  boolean lease(String service, String owner, java.time.Instant now, java.time.Instant until) {
    String key = "deploy/" + service + "/lease";
    Optional<StateStore.Versioned> v = store.get(key);
    if (v.isPresent()) {
      String[] parts = v.get().value().split(" ", 2);
      boolean mine = parts.length == 2 && parts[1].equals(owner);
      boolean expired = parts.length < 2 || java.time.Instant.ofEpochMilli(Long.parseLong(parts[0])).isBefore(now);
      if (!mine && !expired) {
        return false;
      }
    }
    return store.compareAndSet(key, v.map(StateStore.Versioned::version).orElse(0L), until.toEpochMilli() + " " + owner).isPresent();
  }

  /** Gives the lease up if {@code owner} holds it. */
  void release(String service, String owner) {
    String key = "deploy/" + service + "/lease";
    store.get(key).ifPresent(v -> {
      if (v.value().endsWith(" " + owner)) {
        store.delete(key, v.version());
      }
    });
  }

  private void write(String key, String value) {
    for (int i = 0; i < 100; i++) {
      long version = store.get(key).map(StateStore.Versioned::version).orElse(0L);
      if (store.compareAndSet(key, version, value).isPresent()) {
        return;
      }
    }
    throw new HooksException("deployment " + key + " kept changing under a write; state store contended");
  }

  private static String serviceKey(String service) {
    return "deploy/" + service + "/service";
  }

  private static String deploymentKey(String service, String id) {
    return "deploy/" + service + "/d/" + id;
  }

  private static String write(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new HooksException("cannot write deployment state: " + e.getOriginalMessage(), e);
    }
  }

  private static <T> T read(String s, Class<T> type) {
    try {
      return JSON.readValue(s, type);
    } catch (JsonProcessingException e) {
      throw new HooksException("stored deployment state is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
