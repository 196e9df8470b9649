package dev.hooks.remediation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import dev.hooks.remediation.RemediationAction;
import dev.hooks.remediation.RemediationContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code <project>-<yyyyMMdd'T'HHmmss'Z'>-<incident>.tar.gz} holding, for every
 * container of the stack, {@code <name>.log} (stdout and stderr with timestamps) and {@code
 * <name>.inspect.json}; then deletes the project's oldest archives beyond the retention.
 *
 * <p>The inspect JSON's {@code Config.Env} keeps the variable names only ({@code KEY=****}):
 * environments hold passwords and tokens. Archives are written owner-only ({@code 0600}, the
 * directory {@code 0700} when created here) into a {@code .part} file renamed when complete; a
 * failed archive deletes its {@code .part}, and partial files left by a process that died are
 * deleted with the old archives.
 */
public final class ArchiveLogsAction implements RemediationAction {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveLogsAction.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String REDACTED = "****";
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private final DockerClient docker;
  private final Path directory;
  private final int keep;
  private final Duration maxAge;

  public ArchiveLogsAction(DockerClient docker, Path directory, int keep, Duration maxAge) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be >= 1, got " + keep);
    }
    this.docker = docker;
    this.directory = directory;
    this.keep = keep;
    this.maxAge = maxAge;
  }

  @Override
  public void run(RemediationContext ctx) throws IOException, InterruptedException {
    if (!Files.isDirectory(directory)) {
      if (POSIX) {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
      } else {
        Files.createDirectories(directory);
      }
    }
    String project = ctx.service().project();
    Path target = directory.resolve(project + "-" + STAMP.format(ctx.at()) + "-" + ctx.incident() + ".tar.gz");
    Path partial = directory.resolve(target.getFileName() + ".part");
    List<Container> containers = DockerStack.containers(docker, project);
    Files.deleteIfExists(partial);
    try {
      try (OutputStream file = Files.newOutputStream(createOwnerOnly(partial), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Container c : containers) {
          String name = DockerStack.name(c);
          InspectContainerResponse inspect = docker.inspectContainerCmd(c.getId()).exec();
          entry(tar, name + ".inspect.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(redacted(inspect)), ctx.at());
          entry(tar, name + ".log", logs(c.getId()), ctx.at());
        }
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    LOG.info("{}: archived logs of {} containers to {}", ctx.service(), containers.size(), target);
    prune(project, ctx.at(), partial);
  }

  /** The inspect JSON with every {@code Config.Env} value replaced by {@link #REDACTED}. */
  static JsonNode redacted(InspectContainerResponse inspect) {
    JsonNode tree = JSON.valueToTree(inspect);
    JsonNode env = tree.path("Config").path("Env");
    if (env instanceof ArrayNode entries) {
      for (int i = 0; i < entries.size(); i++) {
        String entry = entries.get(i).asText("");
        int eq = entry.indexOf('=');
        entries.set(i, JSON.getNodeFactory().textNode((eq < 0 ? entry : entry.substring(0, eq)) + "=" + REDACTED));
      }
    } else if (tree.path("Config") instanceof ObjectNode config && config.has("Env")) {
      config.remove("Env");
    }
    return tree;
  }

  private static Path createOwnerOnly(Path file) throws IOException {
    if (POSIX) {
      FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_FILE);
      return Files.createFile(file, ownerOnly);
    }
    return Files.createFile(file);
  }

  @Override
  public String name() {
    return "archive-logs";
  }

  private byte[] logs(String containerId) throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        synchronized (out) {
          out.writeBytes(frame.getPayload());
        }
      }
    };
    docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTimestamps(true).exec(callback);
    if (!callback.awaitCompletion(60, TimeUnit.SECONDS)) {
      LOG.warn("logs of {} still streaming after 60 s; archiving what arrived", containerId);
    }
    synchronized (out) {
      return out.toByteArray();
    }
  }

  private static void entry(TarArchiveOutputStream tar, String name, byte[] bytes, Instant at) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(bytes.length);
    e.setModTime(at.toEpochMilli());
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private void prune(String project, Instant now, Path current) throws IOException {
    List<Path> archives = new ArrayList<>();
    List<Path> partials = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.forEach(p -> {
        String n = p.getFileName().toString();
        if (!n.startsWith(project + "-")) {
          return;
        }
        String rest = n.substring(project.length() + 1);
        if (rest.matches("\\d{8}T\\d{6}Z-\\d+\\.tar\\.gz")) {
          archives.add(p);
        } else if (rest.matches("\\d{8}T\\d{6}Z-\\d+\\.tar\\.gz\\.part") && !p.equals(current)) {
          partials.add(p);
        }
      });
    }
    // One remediation of a project runs at a time: another .part of it was left by a process that died.
    for (Path p : partials) {
      Files.deleteIfExists(p);
      LOG.debug("deleted partial archive {}", p);
    }
    archives.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
    Instant oldest = now.minus(maxAge);
    for (int i = 0; i < archives.size(); i++) {
      Path p = archives.get(i);
      String stamp = p.getFileName().toString().substring(project.length() + 1, project.length() + 17);
      if (i >= keep || ZonedDateTime.parse(stamp, STAMP).toInstant().isBefore(oldest)) {
        Files.deleteIfExists(p);
        LOG.debug("deleted old archive {}", p);
      }
    }
  }
}
