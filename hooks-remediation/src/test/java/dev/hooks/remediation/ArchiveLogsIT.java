package dev.hooks.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The log archive of a real container carrying secrets in its environment. */
class ArchiveLogsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static DockerClient docker;

  private final String project = "remedarch" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String container = project + "_app_1";
  private Path root;
  private Path archives;

  @BeforeAll
  static void image() throws Exception {
    docker = DockerRemediation.newClient();
    ComposeStack.buildImage();
  }

  @AfterAll
  static void removeImage() throws Exception {
    ComposeStack.removeImage();
    docker.close();
  }

  @BeforeEach
  void startContainer() throws Exception {
    root = Files.createTempDirectory("hooks-remed-archive");
    archives = root.resolve("backups");
    String id = docker.createContainerCmd(ComposeStack.IMAGE)
        .withName(container)
        .withLabels(Map.of(ServiceKey.PROJECT_LABEL, project, ServiceKey.SERVICE_LABEL, "app"))
        .withEnv("POSTGRES_PASSWORD=hunter2-pg", "STRIPE_SECRET=sk_live_51abcdef", "EMPTY=", "FLAG")
        .withCmd("sh", "-c", "echo app started; while true; do sleep 1; done")
        .withHostConfig(HostConfig.newHostConfig().withInit(true))
        .exec().getId();
    docker.startContainerCmd(id).exec();
  }

  @AfterEach
  void removeContainer() throws Exception {
    docker.removeContainerCmd(container).withForce(true).exec();
    ComposeStack.delete(root);
  }

  private RemediationContext ctx(long incident) {
    return new RemediationContext(ServiceKey.of(project, "app"), 3, 1, incident, "threshold", Instant.parse("2026-11-23T10:0" + incident + ":00Z"));
  }

  @Test
  void theArchiveKeepsEnvironmentNamesOnlyAndIsReadableByItsOwnerOnly() throws Exception {
    DockerRemediation.archiveLogs(docker, archives, 5).run(ctx(1));

    Path archive = archives.resolve(project + "-20261123T100100Z-1.tar.gz");
    assertThat(Files.getPosixFilePermissions(archive)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(archives)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    Map<String, String> entries = untar(archive);
    String inspect = entries.get(container + ".inspect.json");
    assertThat(inspect).doesNotContain("hunter2-pg").doesNotContain("sk_live_51abcdef");
    List<String> env = JSON.readValue(JSON.readTree(inspect).path("Config").path("Env").toString(),
        JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    assertThat(env).contains("POSTGRES_PASSWORD=****", "STRIPE_SECRET=****", "EMPTY=****", "FLAG=****");
    assertThat(JSON.readTree(inspect).path("Config").path("Labels").path(ServiceKey.PROJECT_LABEL).asText()).isEqualTo(project);
    assertThat(entries.get(container + ".log")).contains("app started");
  }

  @Test
  void aFailedArchiveLeavesNoPartialFileAndPartialsOfADeadProcessArePruned() throws Exception {
    Files.createDirectories(archives);
    // Left by a process that died while archiving incident 1.
    Path stale = Files.writeString(archives.resolve(project + "-20261123T100100Z-1.tar.gz.part"), "half an archive");
    // The name the archive of incident 2 would take is a directory with a file: the rename fails.
    Path blocked = Files.createDirectories(archives.resolve(project + "-20261123T100200Z-2.tar.gz"));
    Files.writeString(blocked.resolve("keep"), "x");

    assertThatThrownBy(() -> DockerRemediation.archiveLogs(docker, archives, 5).run(ctx(2))).isInstanceOf(java.io.IOException.class);
    assertThat(archives.resolve(project + "-20261123T100200Z-2.tar.gz.part")).doesNotExist();

    DockerRemediation.archiveLogs(docker, archives, 5).run(ctx(3));
    assertThat(stale).doesNotExist();
    try (Stream<Path> files = Files.list(archives)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(project + "-20261123T100200Z-2.tar.gz", project + "-20261123T100300Z-3.tar.gz");
    }
  }

  private static Map<String, String> untar(Path archive) throws Exception {
    Map<String, String> out = new HashMap<>();
    try (InputStream in = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        tar.transferTo(bytes);
        out.put(e.getName(), bytes.toString(StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
