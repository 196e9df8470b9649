package dev.hooks.alerts;

import java.util.List;
import java.util.Optional;

/**
 * Where incidents are kept. {@link #update} runs its change with the fingerprint locked, so two
 * processes on one database never both open a ticket for one fingerprint. Implementations are
 * thread-safe; see {@link InMemoryIncidentStore} and {@link JdbcIncidentStore}.
 */
public interface IncidentStore {

  /** A change of one incident, run with its fingerprint locked; it may call a sink. */
  @FunctionalInterface
  interface Change {
    /** @return the new state, or empty to leave it as it is */
    Optional<Incident> apply(Optional<Incident> current) throws Exception;
  }

  /**
   * Runs {@code change} with {@code fingerprint} locked and stores what it returns; if it throws,
   * nothing is stored and the exception is rethrown.
   */
  void update(String fingerprint, Change change) throws Exception;

  Optional<Incident> find(String fingerprint);

  /** Every incident, open or closed. */
  List<Incident> list();

  /**
   * The open incident that holds ticket {@code ticket} of sink {@code sink}, if any; the router
   * asks before adopting a ticket a sink found, so two fingerprints never share one ticket.
   * Default: a scan of {@link #list()}.
   */
  default Optional<Incident> findOpenByTicket(String sink, String ticket) {
    return list().stream().filter(i -> i.open() && i.sink().equals(sink) && i.ticket().equals(ticket)).findFirst();
  }
}
