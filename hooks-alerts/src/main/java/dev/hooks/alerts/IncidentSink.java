package dev.hooks.alerts;

import java.util.Optional;

/**
 * Files incidents somewhere: a ticket system, a pager, a chat. Called with the incident's
 * fingerprint locked, on a dispatcher thread; may block. Thread-safe. Each implementation passes
 * the contract kit {@code IncidentSinkContract} (test-jar).
 */
public interface IncidentSink {

  /** The name routes and endpoints refer to. */
  String name();

  /**
   * Opens a ticket.
   *
   * @return the sink's reference, kept with the incident
   * @throws SinkException with the sink's reason
   */
  String open(Ticket ticket) throws SinkException;

  /** Adds a note to the open ticket {@code ref}. */
  void note(String ref, Ticket ticket, String text) throws SinkException;

  /** Closes the ticket {@code ref}. */
  void close(String ref, Ticket ticket) throws SinkException;

  /** Reopens a ticket closed a short while ago; default a note. */
  default void reopen(String ref, Ticket ticket) throws SinkException {
    note(ref, ticket, "Reopened: " + ticket.summary());
  }

  /**
   * The reference of an open ticket already filed for {@code ticket}, if the sink can look it up:
   * after a crash between a sink's answer and the store's commit, the retry adopts it instead of
   * opening a second one. Default: none.
   */
  default Optional<String> findOpen(Ticket ticket) throws SinkException {
    return Optional.empty();
  }
}
