package dev.hooks.remediation.internal;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recreates the stack with the compose CLI: {@code <command> -f FILE -p PROJECT down}, then
 * {@code up -d}. The project comes from the failing service's labels, so the stack reset is
 * the one that container belongs to.
 */
public final class ComposeResetAction implements RemediationAction {
  private static final Logger LOG = LoggerFactory.getLogger(ComposeResetAction.class);
  private static final int KEPT_OUTPUT = 4000;

  private final List<String> command;
  private final Path composeFile;
  private final Duration timeout;

  public ComposeResetAction(List<String> command, Path composeFile, Duration timeout) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("compose command must not be empty");
    }
    this.command = List.copyOf(command);
    this.composeFile = composeFile;
    this.timeout = timeout;
  }

  @Override
  public void run(RemediationContext ctx) throws IOException, InterruptedException {
    String project = ctx.service().project();
    compose(project, "down");
    compose(project, "up", "-d");
    LOG.info("{}: stack recreated with {}", ctx.service(), composeFile);
  }

  @Override
  public String name() {
    return "compose-reset";
  }

  private void compose(String project, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(command);
    argv.addAll(List.of("-f", composeFile.toString(), "-p", project));
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

  private static String tail(String out) {
    String trimmed = out.strip();
    return trimmed.length() <= KEPT_OUTPUT ? trimmed : "..." + trimmed.substring(trimmed.length() - KEPT_OUTPUT);
  }
}
