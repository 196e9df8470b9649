package dev.hooks.deploy;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One deployment of a service: the commit, what happened to it step by step, and where it ran.
 * Stored as JSON in the state store and answered as such by the admin API. A snapshot: the
 * deployer returns copies; not thread-safe.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Deployment {
  /** One step: {@code fetch}, {@code build}, {@code start}, {@code gate}, {@code promote}; outcome ok, failed or cancelled. */
  public record Step(@JsonProperty("name") String name, @JsonProperty("outcome") String outcome,
      @JsonProperty("duration_ms") long durationMs) {}

  String id = "";
  String service = "";
  @Nullable String commit;
  @Nullable String branch;
  @Nullable String author;
  @Nullable String message;
  /** push, manual or rollback */
  String trigger = "push";
  @JsonProperty("event_id") @Nullable String eventId;
  DeploymentStatus status = DeploymentStatus.QUEUED;
  @Nullable String reason;
  @Nullable String image;
  @JsonProperty("image_id") @Nullable String imageId;
  @Nullable String container;
  @JsonProperty("rollback_of") @Nullable String rollbackOf;
  @JsonProperty("created_at") Instant createdAt = Instant.EPOCH;
  @JsonProperty("started_at") @Nullable Instant startedAt;
  @JsonProperty("finished_at") @Nullable Instant finishedAt;
  List<Step> steps = new ArrayList<>();
  @JsonProperty("log_excerpt") @Nullable String logExcerpt;
  @JsonProperty("build_log") List<String> buildLog = new ArrayList<>();

  Deployment() {}

  Deployment copy() {
    Deployment d = new Deployment();
    d.id = id;
    d.service = service;
    d.commit = commit;
    d.branch = branch;
    d.author = author;
    d.message = message;
    d.trigger = trigger;
    d.eventId = eventId;
    d.status = status;
    d.reason = reason;
    d.image = image;
    d.imageId = imageId;
    d.container = container;
    d.rollbackOf = rollbackOf;
    d.createdAt = createdAt;
    d.startedAt = startedAt;
    d.finishedAt = finishedAt;
    d.steps = new ArrayList<>(steps);
    d.logExcerpt = logExcerpt;
    d.buildLog = new ArrayList<>(buildLog);
    return d;
  }

  public String id() {
    return id;
  }

  public String service() {
    return service;
  }

  /** The full commit id; empty until the source of a manual deploy of the branch head is fetched. */
  public Optional<String> commit() {
    return Optional.ofNullable(commit);
  }

  public Optional<String> author() {
    return Optional.ofNullable(author);
  }

  public Optional<String> message() {
    return Optional.ofNullable(message);
  }

  /** {@code push}, {@code manual} or {@code rollback}. */
  public String trigger() {
    return trigger;
  }

  public DeploymentStatus status() {
    return status;
  }

  /** Why it failed, was cancelled or superseded. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** The image tag, such as {@code web:1a2b3c4}. */
  public Optional<String> image() {
    return Optional.ofNullable(image);
  }

  /** The container's name. */
  public Optional<String> container() {
    return Optional.ofNullable(container);
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Optional<Instant> finishedAt() {
    return Optional.ofNullable(finishedAt);
  }

  public List<Step> steps() {
    return List.copyOf(steps);
  }

  /** The last log lines of the failed build or container. */
  public Optional<String> logExcerpt() {
    return Optional.ofNullable(logExcerpt);
  }

  /** The build's log lines (the last 500). */
  public List<String> buildLog() {
    return List.copyOf(buildLog);
  }

  @Override
  public String toString() {
    return "Deployment[" + id + ", " + service + " @ " + commit + ", " + status + "]";
  }

  /** This snapshot as JSON: snake_case keys, ISO-8601 times, absent values left out. */
  public String toJson() {
    try {
      return DeploymentStore.json().writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a snapshot is always writable", e);
    }
  }
}
