package dev.hooks.notify;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The notifiers of an application by name, shared by the {@link NotifyHandler} that renders for
 * them and the {@link OutboxSender} that sends through them. Notifiers may be added and removed
 * while running (a message whose target is gone goes to the dead letters, to be replayed once it
 * is back). Thread-safe.
 *
 * <pre>{@code
 * NotifierRegistry notifiers = NotifierRegistry.of(discord, slack);
 * notifiers.register(telegram);
 * }</pre>
 */
public final class NotifierRegistry {
  private final Map<String, Notifier> byName = new ConcurrentHashMap<>();

  public static NotifierRegistry of(Notifier... notifiers) {
    NotifierRegistry r = new NotifierRegistry();
    for (Notifier n : notifiers) {
      r.register(n);
    }
    return r;
  }

  /**
   * Adds {@code notifier}, replacing any of the same name.
   *
   * @return the one it replaced, if any
   */
  public Optional<Notifier> register(Notifier notifier) {
    Objects.requireNonNull(notifier, "notifier");
    return Optional.ofNullable(byName.put(notifier.name(), notifier));
  }

  public Optional<Notifier> remove(String name) {
    return Optional.ofNullable(byName.remove(name));
  }

  public Optional<Notifier> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The notifiers now registered, by name. */
  public List<Notifier> all() {
    return byName.values().stream().sorted(java.util.Comparator.comparing(Notifier::name)).toList();
  }
}
