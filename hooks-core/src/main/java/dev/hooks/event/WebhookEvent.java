package dev.hooks.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One webhook, normalized: every parser fills what its provider says and leaves the rest empty.
 * {@link #payload()} keeps the whole parsed JSON for JsonPath conditions and templates.
 *
 * <p>Immutable and thread-safe, provided nobody mutates the {@link #payload()} tree (Jackson
 * nodes are mutable; hooks never writes to them).
 *
 * <pre>{@code
 * WebhookEvent e = WebhookEvent.builder("d1c2...", "github", "push")
 *     .branch("main").commit("6113728f27ae82c7b1a177c8d03f9e96e0adf246").build();
 * WebhookEvent tagged = e.toBuilder().attribute("exit_code", "137").build();
 * }</pre>
 */
public final class WebhookEvent {
  private final String id;
  private final String endpointId;
  private final String provider;
  private final String type;
  private final @Nullable String action;
  private final @Nullable String sourceEvent;
  private final @Nullable String repository;
  private final @Nullable String branch;
  private final @Nullable String tag;
  private final @Nullable String commit;
  private final @Nullable String actor;
  private final @Nullable String url;
  private final @Nullable String subject;
  private final @Nullable String status;
  private final Severity severity;
  private final @Nullable Instant occurredAt;
  private final Instant receivedAt;
  private final Map<String, String> attributes;
  private final JsonNode payload;

  private WebhookEvent(Builder b) {
    this.id = requireText(b.id, "id");
    this.endpointId = Objects.requireNonNull(b.endpointId, "endpointId");
    this.provider = requireText(b.provider, "provider");
    this.type = requireText(b.type, "type");
    this.action = b.action;
    this.sourceEvent = b.sourceEvent;
    this.repository = b.repository;
    this.branch = b.branch;
    this.tag = b.tag;
    this.commit = b.commit;
    this.actor = b.actor;
    this.url = b.url;
    this.subject = b.subject;
    this.status = b.status;
    this.severity = Objects.requireNonNull(b.severity, "severity");
    this.occurredAt = b.occurredAt;
    this.receivedAt = Objects.requireNonNull(b.receivedAt, "receivedAt");
    this.attributes = b.attributes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
    this.payload = Objects.requireNonNull(b.payload, "payload");
  }

  /**
   * @param id the delivery id: the provider's delivery header, else a content hash
   * @param provider lower-case provider key, such as {@code github}
   * @param type normalized kind, such as {@code push} or {@code alert}
   */
  public static Builder builder(String id, String provider, String type) {
    return new Builder().id(id).provider(provider).type(type);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.endpointId = endpointId;
    b.provider = provider;
    b.type = type;
    b.action = action;
    b.sourceEvent = sourceEvent;
    b.repository = repository;
    b.branch = branch;
    b.tag = tag;
    b.commit = commit;
    b.actor = actor;
    b.url = url;
    b.subject = subject;
    b.status = status;
    b.severity = severity;
    b.occurredAt = occurredAt;
    b.receivedAt = receivedAt;
    b.attributes.putAll(attributes);
    b.payload = payload;
    return b;
  }

  /** The delivery id: the provider's header (X-GitHub-Delivery...), else a content hash. */
  public String id() {
    return id;
  }

  /** The endpoint the delivery came in on; empty for events made outside ingress. */
  public String endpointId() {
    return endpointId;
  }

  /** Lower-case provider key: github, gitlab, bitbucket, docker, alertmanager, generic... */
  public String provider() {
    return provider;
  }

  /**
   * Normalized kind, a word of {@link EventTypes}: push, tag, pull_request, ci.pipeline, ci.job,
   * alert, container... The provider's own event name is {@link #sourceEvent()}.
   */
  public String type() {
    return type;
  }

  /**
   * What happened, a word of {@link EventActions} for the type: opened, merged, succeeded, failed,
   * firing, resolved... Where the vocabulary folds the provider's word, attribute {@value
   * EventActions#SOURCE_ACTION} keeps it.
   */
  public Optional<String> action() {
    return Optional.ofNullable(action);
  }

  /** The provider's own event name: push, Merge Request Hook, repo:push... */
  public Optional<String> sourceEvent() {
    return Optional.ofNullable(sourceEvent);
  }

  /** Full repository name, such as {@code octo-org/hello-world}. */
  public Optional<String> repository() {
    return Optional.ofNullable(repository);
  }

  /** Short branch name, without {@code refs/heads/}. */
  public Optional<String> branch() {
    return Optional.ofNullable(branch);
  }

  /** Short tag name, without {@code refs/tags/}. */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /** The commit the event is about (for a push, the head after it). */
  public Optional<String> commit() {
    return Optional.ofNullable(commit);
  }

  public Optional<String> actor() {
    return Optional.ofNullable(actor);
  }

  /** A link for people: the compare view, the pull request, the alert's dashboard. */
  public Optional<String> url() {
    return Optional.ofNullable(url);
  }

  /**
   * What the event is about, in words for people: the head commit's first line (pushes), the title
   * (pull requests, issues), the workflow, pipeline or job name (CI), the container, compose service,
   * monitor or alert name.
   */
  public Optional<String> subject() {
    return Optional.ofNullable(subject);
  }

  /** The status in the provider's own raw word: success, failure, FAILURE, canceled, PROBLEM, 0... */
  public Optional<String> status() {
    return Optional.ofNullable(status);
  }

  public Severity severity() {
    return severity;
  }

  /** When the provider says it happened. */
  public Optional<Instant> occurredAt() {
    return Optional.ofNullable(occurredAt);
  }

  /** When hooks received the delivery. */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** Provider extras: exit code, compose project, commit count. Unmodifiable. */
  public Map<String, String> attributes() {
    return attributes;
  }

  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  /** The parsed payload; {@link MissingNode} when the body had none. Do not modify. */
  public JsonNode payload() {
    return payload;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("WebhookEvent[").append(provider).append(' ').append(type);
    if (action != null) s.append('/').append(action);
    if (repository != null) s.append(" repo=").append(repository);
    if (branch != null) s.append(" branch=").append(branch);
    if (tag != null) s.append(" tag=").append(tag);
    if (subject != null) s.append(" subject=").append(subject);
    return s.append(" id=").append(id).append(']').toString();
  }

  private static String requireText(@Nullable String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  /** Not thread-safe. {@code build()} copies. Blank strings are stored as absent. */
  public static final class Builder {
    private @Nullable String id;
    private String endpointId = "";
    private @Nullable String provider;
    private @Nullable String type;
    private @Nullable String action;
    private @Nullable String sourceEvent;
    private @Nullable String repository;
    private @Nullable String branch;
    private @Nullable String tag;
    private @Nullable String commit;
    private @Nullable String actor;
    private @Nullable String url;
    private @Nullable String subject;
    private @Nullable String status;
    private Severity severity = Severity.UNKNOWN;
    private @Nullable Instant occurredAt;
    private Instant receivedAt = Instant.EPOCH;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private JsonNode payload = MissingNode.getInstance();

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder endpointId(String endpointId) {
      this.endpointId = endpointId;
      return this;
    }

    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder action(@Nullable String action) {
      this.action = blankToNull(action);
      return this;
    }

    public Builder sourceEvent(@Nullable String sourceEvent) {
      this.sourceEvent = blankToNull(sourceEvent);
      return this;
    }

    public Builder repository(@Nullable String repository) {
      this.repository = blankToNull(repository);
      return this;
    }

    public Builder branch(@Nullable String branch) {
      this.branch = blankToNull(branch);
      return this;
    }

    public Builder tag(@Nullable String tag) {
      this.tag = blankToNull(tag);
      return this;
    }

    public Builder commit(@Nullable String commit) {
      this.commit = blankToNull(commit);
      return this;
    }

    public Builder actor(@Nullable String actor) {
      this.actor = blankToNull(actor);
      return this;
    }

    public Builder url(@Nullable String url) {
      this.url = blankToNull(url);
      return this;
    }

    public Builder subject(@Nullable String subject) {
      this.subject = blankToNull(subject);
      return this;
    }

    public Builder status(@Nullable String status) {
      this.status = blankToNull(status);
      return this;
    }

    public Builder severity(Severity severity) {
      this.severity = severity;
      return this;
    }

    public Builder occurredAt(@Nullable Instant occurredAt) {
      this.occurredAt = occurredAt;
      return this;
    }

    public Builder receivedAt(Instant receivedAt) {
      this.receivedAt = receivedAt;
      return this;
    }

    /** Adds or replaces one attribute; a null or blank value removes it. */
    public Builder attribute(String name, @Nullable String value) {
      String v = blankToNull(value);
      if (v == null) {
        attributes.remove(name);
      } else {
        attributes.put(name, v);
      }
      return this;
    }

    public Builder attributes(Map<String, String> more) {
      more.forEach(this::attribute);
      return this;
    }

    public Builder payload(JsonNode payload) {
      this.payload = payload;
      return this;
    }

    /**
     * @throws IllegalArgumentException if id, provider or type is blank
     */
    public WebhookEvent build() {
      return new WebhookEvent(this);
    }

    private static @Nullable String blankToNull(@Nullable String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }
}
