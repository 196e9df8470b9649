package dev.hooks.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The contract every {@link IncidentSink} passes: open returns a reference that note and close
 * accept, the service sees each effect, a service error is a {@link SinkException} whose message
 * holds the service's reason and whose retryability follows the status (5xx retryable, 4xx not).
 */
public abstract class IncidentSinkContract {

  /** The sink under test, against a service the subclass runs. */
  protected abstract IncidentSink sink();

  /** The state the service holds for {@code ref}: "open" or "closed". */
  protected abstract String stateOf(String ref);

  /** Makes the service's next answer a 5xx. */
  protected abstract void failNext();

  /** A sink against the same service that the service refuses (wrong credentials or key). */
  protected abstract IncidentSink refusedSink();

  protected Ticket ticket() {
    return new Ticket("contract-fp", "Alert: contract test", "the description", "critical", null, null, null, null);
  }

  @Test
  void openReturnsAReferenceTheServiceHoldsOpen() throws Exception {
    String ref = sink().open(ticket());
    assertThat(ref).isNotBlank();
    assertThat(stateOf(ref)).isEqualTo("open");
  }

  @Test
  void noteKeepsTheTicketOpenAndCloseClosesIt() throws Exception {
    String ref = sink().open(ticket());
    sink().note(ref, ticket(), "repeat");
    assertThat(stateOf(ref)).isEqualTo("open");
    sink().close(ref, ticket());
    assertThat(stateOf(ref)).isEqualTo("closed");
  }

  @Test
  void reopenOpensAClosedTicketAgain() throws Exception {
    String ref = sink().open(ticket());
    sink().close(ref, ticket());
    sink().reopen(ref, ticket());
    assertThat(stateOf(ref)).isEqualTo("open");
  }

  @Test
  void aServerErrorIsRetryable() {
    failNext();
    assertThatThrownBy(() -> sink().open(ticket())).isInstanceOf(SinkException.class)
        .matches(e -> ((SinkException) e).retryable(), "retryable").hasMessageMatching("(?s).*answered 5\\d\\d.*");
  }

  @Test
  void aRefusalIsNotRetryableAndSaysWhy() {
    assertThatThrownBy(() -> refusedSink().open(ticket())).isInstanceOf(SinkException.class)
        .matches(e -> !((SinkException) e).retryable(), "not retryable").hasMessageMatching(".*answered 4\\d\\d: .+");
  }
}
