package dev.hooks.remediation.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.hooks.HooksException;
import dev.hooks.remediation.RemediationAction;
import dev.hooks.remediation.RemediationContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recreates the stack with the compose CLI: {@code <command> -f FILE -p PROJECT
 * [--project-directory DIR] down}, then {@code up -d}. The project comes from the failing
 * service's labels, so the stack reset is the one that container belongs to. With a Docker
 * client, {@code DIR} is the project's {@code com.docker.compose.project.working_dir} label (the
 * directory the stack was started from, on the host), so relative paths in the compose file
 * (bind mounts such as {@code ./data:/data}) resolve as they did when the stack was started, not
 * against the directory the file is mounted in.
 */
public final class ComposeResetAction implements RemediationAction {
  /** The label compose puts the project's directory in. */
  public static final String WORKING_DIR_LABEL = "com.docker.compose.project.working_dir";

  private static final Logger LOG = LoggerFactory.getLogger(ComposeResetAction.class);
  private static final int KEPT_OUTPUT = 4000;
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

  private final List<String> command;
  private final Path composeFile;
  private final Duration timeout;
  private final @Nullable DockerClient docker;

  public ComposeResetAction(List<String> command, Path composeFile, Duration timeout, @Nullable DockerClient docker) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("compose command must not be empty");
    }
    this.command = List.copyOf(command);
    this.composeFile = composeFile;
    this.timeout = timeout;
    this.docker = docker;
  }

  @Override
  public void run(RemediationContext ctx) throws IOException, InterruptedException {
    String project = ctx.service().project();
    // Read before down: down removes the containers that carry the label.
    String directory = projectDirectory(project);
    compose(project, directory, "down");
    compose(project, directory, "up", "-d");
    LOG.info("{}: stack recreated with {}{}", ctx.service(), composeFile, directory == null ? "" : " in project directory " + directory);
  }

  @Override
  public String name() {
    return "compose-reset";
  }

  /**
   * Runs {@code <command> version}.
   *
   * @throws HooksException naming the command and why it cannot run
   */
  public static void check(List<String> command) {
    List<String> argv = new ArrayList<>(command);
    argv.add("version");
    String shown = String.join(" ", command);
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      p.getOutputStream().close();
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      if (!p.waitFor(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new HooksException("'" + shown + " version' did not answer within " + CHECK_TIMEOUT.toSeconds() + " s");
      }
      if (p.exitValue() != 0) {
        throw new HooksException("'" + shown + " version' exited with " + p.exitValue() + ": " + firstLine(output.join()));
      }
    } catch (IOException e) {
      throw new HooksException("'" + shown + "' cannot be run here (" + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HooksException("interrupted while checking '" + shown + "'", e);
    }
  }

  private @Nullable String projectDirectory(String project) {
    if (docker == null) {
      return null;
    }
    for (Container c : DockerStack.containers(docker, project)) {
      Map<String, String> labels = c.getLabels();
      String dir = labels == null ? null : labels.get(WORKING_DIR_LABEL);
      if (dir != null && !dir.isBlank()) {
        return dir;
      }
    }
    LOG.debug("no container of {} has {}; compose resolves paths against {}", project, WORKING_DIR_LABEL, composeFile.getParent());
    return null;
  }

  private void compose(String project, @Nullable String directory, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(command);
    argv.addAll(List.of("-f", composeFile.toString(), "-p", project));
    if (directory != null) {
      argv.addAll(List.of("--project-directory", directory));
    }
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getOutputStream().close();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new HooksException(String.join(" ", argv) + " did not finish within " + timeout);
    }
    String out = output.join();
    if (p.exitValue() != 0) {
      throw new HooksException(String.join(" ", argv) + " exited with " + p.exitValue() + ": " + tail(out));
    }
    LOG.debug("{}: {}", String.join(" ", argv), out);
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  private static String firstLine(String out) {
    String trimmed = out.strip();
    int nl = trimmed.indexOf('\n');
    String line = nl < 0 ? trimmed : trimmed.substring(0, nl);
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  private static String tail(String out) {
    String trimmed = out.strip();
    return trimmed.length() <= KEPT_OUTPUT ? trimmed : "..." + trimmed.substring(trimmed.length() - KEPT_OUTPUT);
  }
}
