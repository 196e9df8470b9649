package dev.hooks.supervisor;

import dev.hooks.parsers.SupervisorListenerEvent;
import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener: reads supervisor's events on stdin, keeps those asked for in a buffer on disk per
 * URL, answers supervisor at once, and forwards them on threads of their own.
 *
 * <pre>
 * [eventlistener:hooks]
 * command=java -jar /opt/hooks/hooks-supervisor.jar -u https://hooks.example.com/hooks/supervisor -e EXITED,FATAL
 * events=PROCESS_STATE
 * buffer_size=1024
 * </pre>
 *
 * <p>Exit status: 0 when supervisor closes the pipe, 2 for a wrong command line, 1 for anything
 * else that stops it (supervisor restarts it; nothing buffered is lost).
 */
public final class SupervisorListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisorListener.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);

  private final ListenerOptions options;
  private final List<DiskBuffer> buffers = new ArrayList<>();
  private final List<Forwarder> forwarders = new ArrayList<>();
  private final Set<String> events;

  /**
   * Opens the buffers and starts the forwarders.
   *
   * @param options the command line
   * @param env the environment (for the signing secret)
   * @throws IOException if a buffer cannot be opened
   * @throws IllegalArgumentException if the signing secret is missing or malformed
   */
  public SupervisorListener(ListenerOptions options, Function<String, @Nullable String> env) throws IOException {
    this.options = options;
    this.events = options.events();
    StandardWebhooksSigner signer = null;
    if (options.sign()) {
      String secret = env.apply(options.secretEnv());
      if (secret == null || secret.isBlank()) {
        throw new IllegalArgumentException("--sign needs the secret in the environment variable " + options.secretEnv() + ", which is not set");
      }
      signer = new StandardWebhooksSigner(secret);
    }
    Supplier<HttpClient> http = new LazyHttpClient(options.timeout());
    for (URI url : options.urls()) {
      DiskBuffer buffer = new DiskBuffer(options.bufferDir(), bufferName(url), options.bufferSize(), options.fsync());
      buffers.add(buffer);
      forwarders.add(new Forwarder(url, buffer, options, signer, http, Clock.systemUTC()));
    }
    forwarders.forEach(Forwarder::start);
    int waiting = buffers.stream().mapToInt(DiskBuffer::size).sum();
    LOG.info("forwarding {} as {}{} to {}, {}; buffer {}{}", String.join(",", events), options.format().name().toLowerCase(),
        signer == null ? "" : " signed (standard-webhooks)", Forwarder.describe(forwarders),
        options.flushInterval().isZero() ? "immediately" : "every " + options.flushInterval().toSeconds() + " s",
        options.bufferDir(), waiting == 0 ? "" : " (" + waiting + " events waiting from before)");
  }

  /**
   * Takes one event from supervisor: buffers it for every URL if it is one of those asked for.
   *
   * @return false if it could not be buffered (supervisor is answered FAIL and sends it again)
   */
  boolean accept(String headerLine, byte[] payload) {
    SupervisorListenerEvent event;
    try {
      event = SupervisorListenerEvent.parse(headerLine, payload);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignored an event without a name");
      return true;
    }
    if (!events.contains(event.eventName())) {
      return true;
    }
    byte[] record = new BufferedEvent(java.time.Instant.now(), headerLine, payload).encode();
    for (DiskBuffer buffer : buffers) {
      try {
        buffer.append(record);
      } catch (IOException e) {
        LOG.error("could not buffer {}: {}", event.eventName(), e.toString());
        return false;
      }
    }
    if (options.flushInterval().isZero()) {
      forwarders.forEach(Forwarder::flush);
    }
    return true;
  }

  /**
   * Speaks supervisor's protocol on the given streams until the input ends.
   *
   * @return the number of events read
   */
  public long serve(InputStream in, OutputStream out) throws IOException {
    return new EventListenerProtocol(in, out, this::accept).run();
  }

  /** Sends what is buffered for a few seconds, then stops; the rest waits in the buffers. */
  @Override
  public void close() {
    forwarders.forEach(f -> f.close(SHUTDOWN_GRACE));
    for (DiskBuffer b : buffers) {
      try {
        b.close();
      } catch (IOException e) {
        LOG.warn("closing a buffer: {}", e.toString());
      }
    }
  }

  /** Each URL's buffer is named by a hash of the URL, so no token in it ends up in a file name. */
  static String bufferName(URI url) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(url.toString().getBytes(StandardCharsets.UTF_8));
      return "events-" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** Runs the listener on stdin and stdout. */
  public static void main(String[] args) {
    // Only the protocol may reach stdout: anything else printed there would corrupt it.
    OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    ListenerOptions options;
    try {
      options = ListenerOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("hooks-supervisor: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.err.print(ListenerOptions.USAGE);
      System.exit(0);
      return;
    }
    if (System.getenv("SUPERVISOR_SERVER_URL") == null) {
      LOG.warn("not started by supervisord (SUPERVISOR_SERVER_URL is not set): reading the protocol from stdin anyway");
    }
    SupervisorListener listener;
    try {
      listener = new SupervisorListener(options, System::getenv);
    } catch (IllegalArgumentException | IOException e) {
      LOG.error("cannot start: {}", e.getMessage());
      System.exit(e instanceof IllegalArgumentException ? 2 : 1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(listener::close, "shutdown"));
    try {
      long n = listener.serve(new BufferedInputStream(System.in, 1 << 16), protocolOut);
      LOG.info("supervisor closed the pipe after {} events", n);
      System.exit(0);
    } catch (IOException | RuntimeException e) {
      LOG.error("stopped: {}", e.toString());
      System.exit(1);
    }
  }
}
