package dev.hooks.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.hooks.HooksException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose reset against the real Engine and {@code docker-compose}, with the compose file
 * read from a copy elsewhere than the project's directory, as a server in a container reads the
 * file mounted at {@code /host/docker-compose.yml}.
 */
class ComposeWorkingDirIT {
  private static DockerClient docker;

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

  @Test
  void aResetFromAMountedCopyOfTheFileKeepsTheBindMountsOfTheProjectDirectory() throws Exception {
    String project = "remedwd" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Path projectDir = Files.createTempDirectory("hooks-remed-project");
    Path mountDir = Files.createTempDirectory("hooks-remed-mount");
    String yaml = """
        version: "2.4"
        services:
          app:
            image: %s
            init: true
            command: ["sh", "-c", "while true; do sleep 1; done"]
            volumes: ["./data:/data"]
        """.formatted(ComposeStack.IMAGE);
    Files.createDirectories(projectDir.resolve("data"));
    Files.writeString(projectDir.resolve("data/marker"), "project data", StandardCharsets.UTF_8);
    Path original = Files.writeString(projectDir.resolve("docker-compose.yml"), yaml, StandardCharsets.UTF_8);
    Path mounted = Files.writeString(mountDir.resolve("docker-compose.yml"), yaml, StandardCharsets.UTF_8);
    try {
      ComposeStack.run(projectDir, "docker-compose", "-f", original.toString(), "-p", project, "up", "-d");
      String before = containerId(project);

      RemediationContext ctx = new RemediationContext(ServiceKey.of(project, "app"), 3, 1, 1, "threshold", Instant.now());
      DockerRemediation.composeReset(docker, mounted).run(ctx);

      String after = containerId(project);
      assertThat(after).isNotEqualTo(before);
      InspectContainerResponse inspect = docker.inspectContainerCmd(after).exec();
      assertThat(inspect.getMounts()).singleElement()
          .satisfies(m -> assertThat(m.getSource()).isEqualTo(projectDir.resolve("data").toRealPath().toString()));
      assertThat(ComposeStack.run(projectDir, "docker", "exec", after, "cat", "/data/marker")).isEqualTo("project data");
      assertThat(mountDir.resolve("data")).doesNotExist();
    } finally {
      ComposeStack.run(projectDir, "docker-compose", "-f", original.toString(), "-p", project, "down", "-v", "-t", "1");
      ComposeStack.delete(projectDir);
      ComposeStack.delete(mountDir);
    }
  }

  @Test
  void theComposeCheckPassesForTheInstalledCliAndNamesAMissingOne() {
    DockerRemediation.checkCompose(List.of("docker-compose"));
    assertThatThrownBy(() -> DockerRemediation.checkCompose(List.of("/nonexistent/docker-compose")))
        .isInstanceOf(HooksException.class)
        .hasMessageStartingWith("'/nonexistent/docker-compose' cannot be run here");
  }

  private static String containerId(String project) {
    List<com.github.dockerjava.api.model.Container> found = docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(ServiceKey.PROJECT_LABEL, project)).exec();
    assertThat(found).hasSize(1);
    return found.get(0).getId();
  }
}
