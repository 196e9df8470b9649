package dev.hooks.server;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * hooks-server in a child JVM, so that a test can kill it with SIGKILL and start another on the
 * same data directory: the packaged {@code target/hooks-server.jar} when it exists (as a user runs
 * it), else the test class path. Started on an ephemeral port, read back from the log line.
 */
public record ServerProcess(Process process, int port, Path log) {
  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

  /**
   * Starts the server and waits until it listens.
   *
   * @param log where the child's stdout and stderr go
   * @param env variables added to this process's environment for the child
   * @throws AssertionError if the child exits before it listens, with its log
   */
  public static ServerProcess start(Path config, Path data, Path log, Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path jar = Path.of("target", "hooks-server.jar");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
    if (Files.exists(jar)) {
      command.addAll(List.of("-jar", jar.toString()));
    } else {
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), HooksServer.class.getName()));
    }
    command.addAll(List.of("--config", config.toString(), "--host", "127.0.0.1", "--port", "0", "--data", data.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().remove("HOOKS_PORT");
    Process process = pb.start();
    int[] port = new int[1];
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!process.isAlive()) {
          throw new AssertionError("server exited with " + process.exitValue() + ": " + Files.readString(log));
        }
        Matcher m = LISTENING.matcher(Files.readString(log));
        if (m.find()) {
          port[0] = Integer.parseInt(m.group(1));
          return true;
        }
        return false;
      });
    } catch (RuntimeException | AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
    return new ServerProcess(process, port[0], log);
  }
}
