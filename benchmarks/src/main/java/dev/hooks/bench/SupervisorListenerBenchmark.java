package dev.hooks.bench;

import dev.hooks.supervisor.ListenerOptions;
import dev.hooks.supervisor.SupervisorListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * hooks-supervisor's listener: supervisor's protocol in (header line, payload, {@code RESULT 2
 * OK} answered), each event appended to the buffer file of its URL. The flush interval is an hour,
 * so the measurement is the protocol and the buffer, not a receiver. {@code fsync=true} forces
 * every event to disk before it is answered.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SupervisorListenerBenchmark -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class SupervisorListenerBenchmark {
  private static final int EVENTS = 1000;

  @Param({"false", "true"})
  public boolean fsync;

  private byte[] input;
  private Path dir;
  private SupervisorListener listener;

  @Setup(Level.Trial)
  public void input() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < EVENTS; i++) {
      byte[] payload = ("processname:web-" + i + " groupname:site from_state:RUNNING expected:0 pid:" + (20000 + i))
          .getBytes(StandardCharsets.UTF_8);
      out.writeBytes(("ver:3.0 server:supervisor serial:" + i + " pool:hooks poolserial:" + i
          + " eventname:PROCESS_STATE_EXITED len:" + payload.length + "\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(payload);
    }
    input = out.toByteArray();
  }

  @Setup(Level.Iteration)
  public void open() throws IOException {
    dir = Files.createTempDirectory("hooks-supervisor-bench");
    listener = new SupervisorListener(ListenerOptions.parse("-u", "http://127.0.0.1:9/", "--flush-interval", "1h",
        "--buffer-size", "100000000", "--buffer-dir", dir.toString(), fsync ? "--fsync" : "--format=form"), k -> null);
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    listener.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long events() throws IOException {
    return listener.serve(new ByteArrayInputStream(input), OutputStream.nullOutputStream());
  }
}
