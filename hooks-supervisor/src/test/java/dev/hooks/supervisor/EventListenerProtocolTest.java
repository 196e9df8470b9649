package dev.hooks.supervisor;

import dev.hooks.parsers.SupervisorListenerEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol with the byte sequences of supervisor's documentation ("Events", sections "Event
 * Listener Notification Protocol" and "Event Types", supervisord.org/events.html): the header
 * line {@code ver:3.0 server:supervisor serial:21 pool:listener poolserial:10
 * eventname:PROCESS_COMMUNICATION_STDOUT len:54}, the PROCESS_STATE_EXITED body {@code
 * processname:cat groupname:cat from_state:RUNNING expected:0 pid:2766}, the TICK_60 body {@code
 * when:1201063880}, and the PROCESS_LOG_STDOUT body with its data after a newline.
 */
class EventListenerProtocolTest {
  private record Seen(String headerLine, byte[] payload) {}

  private static byte[] event(String eventName, String payload, int serial) {
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    String header = "ver:3.0 server:supervisor serial:" + serial + " pool:listener poolserial:" + serial
        + " eventname:" + eventName + " len:" + body.length + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void answersEachEventAndReadsPayloadsByBytesNotCharacters() throws IOException {
    // "prozeß-ü" is 10 characters and 12 bytes: a listener counting characters would read into the next header.
    byte[] input = concat(
        event("PROCESS_STATE_EXITED", "processname:cat groupname:cat from_state:RUNNING expected:0 pid:2766", 21),
        event("PROCESS_STATE_FATAL", "processname:prozeß-ü groupname:jobs from_state:BACKOFF", 22),
        event("TICK_60", "when:1201063880", 23),
        event("PROCESS_LOG_STDOUT", "processname:name groupname:name pid:123 channel:stdout\nthis is stdout", 24));
    List<Seen> seen = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = new EventListenerProtocol(new ByteArrayInputStream(input), out, (h, p) -> seen.add(new Seen(h, p))).run();

    assertThat(n).isEqualTo(4);
    assertThat(out.toString(StandardCharsets.US_ASCII))
        .isEqualTo("READY\nRESULT 2\nOK".repeat(4) + "READY\n");
    SupervisorListenerEvent fatal = SupervisorListenerEvent.parse(seen.get(1).headerLine(), seen.get(1).payload());
    assertThat(fatal.processName()).isEqualTo("jobs:prozeß-ü");
    assertThat(fatal.headers()).containsEntry("from_state", "BACKOFF");
    SupervisorListenerEvent tick = SupervisorListenerEvent.parse(seen.get(2).headerLine(), seen.get(2).payload());
    assertThat(tick.eventName()).isEqualTo("TICK_60");
    assertThat(tick.headers()).containsExactly(java.util.Map.entry("when", "1201063880"));
    SupervisorListenerEvent log = SupervisorListenerEvent.parse(seen.get(3).headerLine(), seen.get(3).payload());
    assertThat(log.headers()).containsEntry("channel", "stdout");
    assertThat(log.data()).isEqualTo("this is stdout");
  }

  @Test
  void anEventThatCannotBeTakenIsAnsweredFail() throws IOException {
    byte[] input = concat(event("PROCESS_STATE_RUNNING", "processname:a groupname:a from_state:STARTING pid:1", 1),
        event("PROCESS_STATE_RUNNING", "processname:b groupname:b from_state:STARTING pid:2", 2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] calls = {0};
    new EventListenerProtocol(new ByteArrayInputStream(input), out, (h, p) -> {
      if (calls[0]++ == 0) {
        throw new IllegalStateException("disk full");
      }
      return false;
    }).run();
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("READY\nRESULT 4\nFAILREADY\nRESULT 4\nFAILREADY\n");
  }

  @Test
  void aTruncatedPayloadOrAMissingLenIsAProtocolError() {
    byte[] whole = event("PROCESS_STATE_EXITED", "processname:cat groupname:cat from_state:RUNNING expected:0 pid:2766", 21);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 5);
    assertThatThrownBy(() -> new EventListenerProtocol(new ByteArrayInputStream(cut), new ByteArrayOutputStream(), (h, p) -> true).run())
        .isInstanceOf(EOFException.class).hasMessageContaining("inside a payload");
    byte[] noLen = "ver:3.0 server:supervisor serial:1 eventname:TICK_5\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> new EventListenerProtocol(new ByteArrayInputStream(noLen), new ByteArrayOutputStream(), (h, p) -> true).run())
        .isInstanceOf(IOException.class).hasMessageContaining("no valid len");
  }
}
