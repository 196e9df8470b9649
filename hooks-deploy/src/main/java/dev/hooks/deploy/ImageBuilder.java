package dev.hooks.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Builds the image of one deployment from a checked-out source tree. The built-in one is
 * {@link DockerfileImageBuilder}; a user's build command or another builder fits behind the same
 * method. Registered explicitly on {@link Deployer.Builder#imageBuilder}.
 *
 * <p>Contract: called on the service's pipeline thread, one build per service at a time; may
 * block up to {@link Request#timeout()}; must stop and throw {@link InterruptedException} when
 * the thread is interrupted (a newer push cancels the build); streams every log line to
 * {@link Request#log()}; a failure throws {@link BuildFailedException} with a reason.
 */
@FunctionalInterface
public interface ImageBuilder {

  /**
   * @return the id of the built image, tagged {@link Request#tag()}
   * @throws BuildFailedException if the build fails or times out
   * @throws InterruptedException if cancelled
   */
  String build(Request request) throws BuildFailedException, InterruptedException;

  /** What to build. Immutable. */
  final class Request {
    private final Path sourceDir;
    private final String dockerfile;
    private final String context;
    private final Map<String, String> buildArgs;
    private final @Nullable String target;
    private final String tag;
    private final Map<String, String> labels;
    private final Duration timeout;
    private final Consumer<String> log;

    /**
     * @param sourceDir the checked-out repository
     * @param dockerfile relative to {@code sourceDir}
     * @param context relative to {@code sourceDir}
     * @param tag such as {@code web:1a2b3c4}
     * @param log receives each build log line
     */
    public Request(Path sourceDir, String dockerfile, String context, Map<String, String> buildArgs, @Nullable String target,
        String tag, Map<String, String> labels, Duration timeout, Consumer<String> log) {
      this.sourceDir = Objects.requireNonNull(sourceDir, "sourceDir");
      this.dockerfile = Objects.requireNonNull(dockerfile, "dockerfile");
      this.context = Objects.requireNonNull(context, "context");
      this.buildArgs = Map.copyOf(buildArgs);
      this.target = target;
      this.tag = Objects.requireNonNull(tag, "tag");
      this.labels = Map.copyOf(labels);
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      this.log = Objects.requireNonNull(log, "log");
    }

    public Path sourceDir() {
      return sourceDir;
    }

    public String dockerfile() {
      return dockerfile;
    }

    public String context() {
      return context;
    }

    public Map<String, String> buildArgs() {
      return buildArgs;
    }

    public Optional<String> target() {
      return Optional.ofNullable(target);
    }

    public String tag() {
      return tag;
    }

    public Map<String, String> labels() {
      return labels;
    }

    public Duration timeout() {
      return timeout;
    }

    public Consumer<String> log() {
      return log;
    }

    @Override
    public String toString() {
      return "ImageBuilder.Request[" + tag + ", " + dockerfile + " in " + context + "]";
    }
  }
}
