package dev.hooks.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One step of one deployment, as told to {@link DeployListener}s.
 *
 * @param type the step
 * @param service the service name
 * @param deploymentId the deployment
 * @param commit the full commit id; empty before the source is fetched for a manual deploy of a branch
 * @param author the commit's author
 * @param message the commit message's first line
 * @param duration how long the step (or the whole deployment, for completed and failed) took
 * @param detail the reason of a failure
 * @param logExcerpt the last log lines of a failed build or container
 * @param at when it happened
 */
public record DeployEvent(
    DeployEventType type,
    String service,
    String deploymentId,
    @Nullable String commit,
    @Nullable String author,
    @Nullable String message,
    @Nullable Duration duration,
    @Nullable String detail,
    @Nullable String logExcerpt,
    Instant at) {

  public DeployEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(deploymentId, "deploymentId");
    Objects.requireNonNull(at, "at");
  }

  /** The first 7 characters of the commit. */
  public Optional<String> shortCommit() {
    return Optional.ofNullable(commit).map(c -> c.length() > 7 ? c.substring(0, 7) : c);
  }
}
