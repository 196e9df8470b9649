package dev.hooks.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The start time of hooks-supervisor's listener as supervisord sees it: from starting {@code java
 * -jar hooks-supervisor.jar} to reading {@code READY} on its stdout, over a number of starts.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.hooks.bench.ListenerStartup hooks-supervisor/target/hooks-supervisor.jar 20 [jvm options...]</pre>
 */
public final class ListenerStartup {
  private ListenerStartup() {}

  public static void main(String[] args) throws Exception {
    String jar = args[0];
    int runs = Integer.parseInt(args[1]);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path buffers = Files.createTempDirectory("hooks-supervisor-startup");
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < runs + 2; i++) {
      List<String> cmd = new ArrayList<>(List.of(java));
      cmd.addAll(List.of(args).subList(2, args.length));
      cmd.addAll(List.of("-jar", jar, "-u", "http://127.0.0.1:9/", "--buffer-dir", buffers.toString()));
      long start = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      InputStream out = p.getInputStream();
      byte[] ready = out.readNBytes(6);
      long elapsed = System.nanoTime() - start;
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
      if (!new String(ready, StandardCharsets.US_ASCII).equals("READY\n")) {
        throw new IllegalStateException("the listener did not answer READY");
      }
      if (i >= 2) {
        millis.add(elapsed / 1e6);
      }
    }
    Collections.sort(millis);
    System.out.printf("starts %d  min %.0f ms  median %.0f ms  p90 %.0f ms  max %.0f ms%n", runs, millis.get(0),
        millis.get(runs / 2), millis.get((int) Math.ceil(runs * 0.9) - 1), millis.get(runs - 1));
  }
}
