package dev.hooks.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervisor's event listener protocol, on the listener's side: write {@code READY\n}, read the
 * header line and exactly {@code len} payload bytes, hand the event over, answer {@code RESULT
 * 2\nOK} (or {@code RESULT 4\nFAIL} when the event could not be taken), and again.
 *
 * <p>The answer never waits for a delivery: {@link Sink#accept} only has to record the event.
 * Supervisor keeps an event a listener answered FAIL to and sends it again later. The stream
 * carries nothing but the protocol: this class writes only those tokens.
 */
public final class EventListenerProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(EventListenerProtocol.class);
  private static final byte[] READY = "READY\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "RESULT 2\nOK".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FAIL = "RESULT 4\nFAIL".getBytes(StandardCharsets.US_ASCII);
  /** Supervisor's header lines are short; a longer one means the stream is not supervisor's. */
  private static final int MAX_HEADER_LINE = 4096;
  private static final Pattern LEN = Pattern.compile("(?:^| )len:(\\d{1,9})(?= |$)");

  /** Takes the events read. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Records one event; returns quickly.
     *
     * @param headerLine the header line as read, without its newline
     * @param payload the payload bytes
     * @return false if the event could not be recorded (answered FAIL: supervisor sends it again)
     */
    boolean accept(String headerLine, byte[] payload);
  }

  private final InputStream in;
  private final OutputStream out;
  private final Sink sink;

  /**
   * @param in supervisor's side of the conversation (the listener's stdin)
   * @param out the listener's answers (the listener's stdout)
   * @param sink where events go
   */
  public EventListenerProtocol(InputStream in, OutputStream out, Sink sink) {
    this.in = in;
    this.out = out;
    this.sink = sink;
  }

  /**
   * Serves events until the input ends (supervisor closed the pipe) or the thread is interrupted.
   *
   * @return the number of events read
   * @throws IOException if reading or writing the streams fails, or the input breaks the protocol
   */
  public long run() throws IOException {
    long events = 0;
    while (!Thread.currentThread().isInterrupted()) {
      write(READY);
      String headerLine = readLine();
      if (headerLine == null) {
        return events;
      }
      Matcher lenToken = LEN.matcher(headerLine);
      if (!lenToken.find()) {
        throw new IOException("the header line has no valid len: " + printable(headerLine));
      }
      String len = lenToken.group(1);
      byte[] payload = in.readNBytes(Integer.parseInt(len));
      if (payload.length < Integer.parseInt(len)) {
        throw new EOFException("the input ended inside a payload of " + len + " bytes");
      }
      events++;
      boolean taken;
      try {
        taken = sink.accept(headerLine, payload);
      } catch (RuntimeException e) {
        LOG.error("could not record an event: {}", e.toString());
        taken = false;
      }
      write(taken ? OK : FAIL);
    }
    return events;
  }

  /** The line up to {@code \n}, or null if the input ended before any byte of it. */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new EOFException("the input ended inside a header line");
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (line.size() == MAX_HEADER_LINE) {
        throw new IOException("a header line longer than " + MAX_HEADER_LINE + " bytes");
      }
      line.write(b);
    }
  }

  private void write(byte[] token) throws IOException {
    out.write(token);
    out.flush();
  }

  private static String printable(String s) {
    String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
