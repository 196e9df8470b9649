package dev.hooks.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.BuildResponseItem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds with the Docker Engine from the repository's Dockerfile (docker-java's build, the
 * classic builder): build args, target stage and labels applied, each log line streamed to the
 * request's log and to DEBUG. A timeout or an interrupt closes the build stream, which makes the
 * Engine stop the build. Thread-safe.
 */
public final class DockerfileImageBuilder implements ImageBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(DockerfileImageBuilder.class);

  private final DockerClient docker;

  public DockerfileImageBuilder(DockerClient docker) {
    this.docker = Objects.requireNonNull(docker, "docker");
  }

  @Override
  public String build(Request request) throws BuildFailedException, InterruptedException {
    Path root = request.sourceDir().toAbsolutePath().normalize();
    Path context = root.resolve(request.context()).normalize();
    Path dockerfile = root.resolve(request.dockerfile()).normalize();
    if (!context.startsWith(root) || !dockerfile.startsWith(root)) {
      throw new BuildFailedException("dockerfile and context must stay inside the repository");
    }
    if (!Files.isRegularFile(dockerfile)) {
      throw new BuildFailedException("no Dockerfile at " + request.dockerfile() + " in the repository");
    }
    if (!Files.isDirectory(context)) {
      throw new BuildFailedException("no build context directory " + request.context() + " in the repository");
    }
    BuildImageCmd cmd = docker.buildImageCmd()
        .withBaseDirectory(context.toFile())
        .withDockerfile(dockerfile.toFile())
        .withTags(Set.of(request.tag()))
        .withLabels(request.labels())
        .withPull(false)
        .withRemove(true)
        .withForcerm(true);
    request.buildArgs().forEach(cmd::withBuildArg);
    request.target().ifPresent(cmd::withTarget);
    StreamingCallback callback = new StreamingCallback(request);
    try {
      cmd.exec(callback);
      if (!callback.awaitCompletion(request.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new BuildFailedException("build timed out after " + request.timeout());
      }
      try {
        return callback.awaitImageId();
      } catch (RuntimeException e) {
        throw new BuildFailedException(firstLine(e.getMessage()), e);
      }
    } finally {
      try {
        callback.close();
      } catch (IOException e) {
        LOG.debug("closing the build stream of {} failed", request.tag(), e);
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null || s.isBlank()) {
      return "build failed";
    }
    String line = s.strip().lines().findFirst().orElse("build failed");
    return line.length() > 500 ? line.substring(0, 500) : line;
  }

  @Override
  public String toString() {
    return "DockerfileImageBuilder";
  }

  private static final class StreamingCallback extends BuildImageResultCallback {
    private final Request request;

    StreamingCallback(Request request) {
      this.request = request;
    }

    @Override
    public void onNext(BuildResponseItem item) {
      String stream = item.getStream();
      if (stream != null) {
        stream.lines().forEach(line -> {
          if (!line.isBlank()) {
            LOG.debug("build {}: {}", request.tag(), line);
            request.log().accept(line);
          }
        });
      }
      if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
        request.log().accept("ERROR " + item.getErrorDetail().getMessage());
      }
      super.onNext(item);
    }
  }

}
