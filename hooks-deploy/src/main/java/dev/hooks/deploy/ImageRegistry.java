package dev.hooks.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PushImageCmd;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a built image to the service's registry and pulls it back, through the Engine, with
 * the service's credentials (sent to the Engine only, never logged). Thread-safe.
 */
final class ImageRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ImageRegistry.class);

  private final DockerClient docker;

  ImageRegistry(DockerClient docker) {
    this.docker = docker;
  }

  /** The Engine's credentials object for the service's registry; null without credentials. */
  static @Nullable AuthConfig auth(DeployService s) {
    if (s.registry().isEmpty() || s.registryUser().isEmpty() || s.registryPassword().isEmpty()) {
      return null;
    }
    String host = s.registry().get();
    int slash = host.indexOf('/');
    return new AuthConfig()
        .withRegistryAddress(slash < 0 ? host : host.substring(0, slash))
        .withUsername(s.registryUser().get())
        .withPassword(s.registryPassword().get().asText());
  }

  /**
   * Tags {@code imageId} as {@code repository:tag} and pushes it.
   *
   * @throws BuildFailedException if the registry refuses it or the push times out
   * @throws InterruptedException if the pipeline is interrupted
   */
  void push(DeployService s, String imageId, String repository, String tag, Duration timeout, Consumer<String> log)
      throws BuildFailedException, InterruptedException {
    docker.tagImageCmd(imageId, repository, tag).withForce(true).exec();
    PushImageCmd cmd = docker.pushImageCmd(repository).withTag(tag);
    AuthConfig auth = auth(s);
    if (auth != null) {
      cmd.withAuthConfig(auth);
    }
    Progress<PushResponseItem> progress = new Progress<>("push " + repository + ":" + tag, log);
    run(cmd.exec(progress), progress, timeout, "push of " + repository + ":" + tag);
  }

  /**
   * Pulls {@code repository:tag} from the registry.
   *
   * @throws BuildFailedException if the registry does not serve it
   * @throws InterruptedException if the pipeline is interrupted
   */
  void pull(DeployService s, String repository, String tag, Duration timeout) throws BuildFailedException, InterruptedException {
    PullImageCmd cmd = docker.pullImageCmd(repository).withTag(tag);
    AuthConfig auth = auth(s);
    if (auth != null) {
      cmd.withAuthConfig(auth);
    }
    Progress<PullResponseItem> progress = new Progress<>("pull " + repository + ":" + tag, line -> { });
    run(cmd.exec(progress), progress, timeout, "pull of " + repository + ":" + tag);
  }

  /** Removes the image {@code reference} as {@code docker rmi} does; absent or in use is fine. */
  void remove(String reference) {
    try {
      docker.removeImageCmd(reference).exec();
    } catch (RuntimeException e) {
      LOG.debug("image {} kept: {}", reference, e.getMessage());
    }
  }

  /** Removes the tag {@code reference} only; the image stays under its other tags. */
  void untag(String reference) {
    try {
      docker.removeImageCmd(reference).withNoPrune(true).exec();
    } catch (RuntimeException e) {
      LOG.debug("tag {} not removed: {}", reference, e.getMessage());
    }
  }

  private static void run(Progress<?> callback, Progress<?> progress, Duration timeout, String what)
      throws BuildFailedException, InterruptedException {
    try {
      boolean done;
      try {
        done = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        throw new BuildFailedException(what + " failed: " + firstLine(e.getMessage()), e);
      }
      if (!done) {
        throw new BuildFailedException(what + " timed out after " + timeout);
      }
      if (progress.error != null) {
        throw new BuildFailedException(what + " failed: " + progress.error);
      }
      if (progress.failure != null) {
        throw new BuildFailedException(what + " failed: " + firstLine(progress.failure.getMessage()), progress.failure);
      }
    } finally {
      try {
        callback.close();
      } catch (IOException e) {
        LOG.debug("closing the {} stream failed", what, e);
      }
    }
  }

  private static String firstLine(@Nullable String s) {
    if (s == null || s.isBlank()) {
      return "no reason given";
    }
    String line = s.strip().lines().findFirst().orElse(s);
    return line.length() > 300 ? line.substring(0, 300) : line;
  }

  /** Collects the stream's status lines and its error, if any. */
  private static final class Progress<T extends ResponseItem> extends ResultCallback.Adapter<T> {
    private final String what;
    private final Consumer<String> log;
    volatile @Nullable String error;
    volatile @Nullable Throwable failure;

    Progress(String what, Consumer<String> log) {
      this.what = what;
      this.log = log;
    }

    @Override
    public void onNext(T item) {
      if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
        error = firstLine(item.getErrorDetail().getMessage());
        log.accept("ERROR " + error);
      } else if (item.getError() != null) {
        error = firstLine(item.getError());
        log.accept("ERROR " + error);
      } else if (item.getStatus() != null && (item.getProgressDetail() == null || item.getProgressDetail().getCurrent() == null)) {
        String line = (item.getId() != null ? item.getId() + ": " : "") + item.getStatus();
        LOG.debug("{}: {}", what, line);
        log.accept(line);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      failure = throwable;
      super.onError(throwable);
    }
  }
}
