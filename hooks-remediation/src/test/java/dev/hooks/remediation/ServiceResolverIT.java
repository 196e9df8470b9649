package dev.hooks.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Container names resolved through the real Engine. */
class ServiceResolverIT {
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
  void aLabelledContainerResolvesAndNamesOutsideDockersSyntaxNeverReachTheEngine() {
    String project = "remedres" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String name = project + "-web-1";
    docker.createContainerCmd(ComposeStack.IMAGE).withName(name)
        .withLabels(Map.of(ServiceKey.PROJECT_LABEL, project, ServiceKey.SERVICE_LABEL, "web"))
        .withCmd("true").exec();
    try {
      ServiceResolver resolver = DockerRemediation.serviceResolver(docker);
      assertThat(resolver.resolve(name)).contains(ServiceKey.of(project, "web"));
      assertThat(resolver.resolve(project + "-gone-1")).isEmpty();
      // docker-java puts the name in the request path: "../" would name another API route.
      assertThat(resolver.resolve("../" + name)).isEmpty();
      assertThat(resolver.resolve(name + "/json?x=")).isEmpty();
      assertThat(resolver.resolve(name + "\n")).isEqualTo(Optional.empty());
    } finally {
      docker.removeContainerCmd(name).withForce(true).exec();
    }
  }
}
