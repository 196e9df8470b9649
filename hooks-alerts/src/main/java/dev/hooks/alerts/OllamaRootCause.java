package dev.hooks.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.alerts.internal.Http;
import dev.hooks.alerts.internal.Masking;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A root-cause note for new incidents, written by a local model through an Ollama-compatible
 * HTTP API ({@code POST /api/generate} with {@code "stream": false}, the answer's {@code
 * response}), as HookWise's RCA note: the system prompt, the endpoint's own instructions and the
 * alert (its payload with sensitive keys masked). Off unless configured. A failure or a timeout
 * yields nothing and never blocks the ticket. Thread-safe.
 *
 * <pre>{@code
 * OllamaRootCause rca = OllamaRootCause.builder("http://127.0.0.1:11434", "phi3").timeout(Duration.ofSeconds(30)).build();
 * AlertRouter.builder().rootCause(rca)...
 * }</pre>
 */
public final class OllamaRootCause {
  private static final Logger LOG = LoggerFactory.getLogger(OllamaRootCause.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** HookWise's guidance: concise, focused on remediation. */
  public static final String DEFAULT_SYSTEM_PROMPT = "You are an operations engineer. In a few short lines give the likely root causes"
      + " of this monitoring alert and the first troubleshooting steps. Be concise and focus on remediation.";

  private final String url;
  private final String model;
  private final String systemPrompt;
  private final Http http;
  private final AtomicBoolean warned = new AtomicBoolean();

  private OllamaRootCause(Builder b) {
    this.url = b.url;
    this.model = b.model;
    this.systemPrompt = b.systemPrompt;
    this.http = new Http(b.timeout);
  }

  /**
   * @param url the API base, such as {@code http://127.0.0.1:11434}
   * @param model the model name, such as {@code phi3}
   */
  public static Builder builder(String url, String model) {
    return new Builder(url, model);
  }

  public String model() {
    return model;
  }

  /** The model's note on {@code alert}, or empty if it failed, timed out or answered nothing. */
  public Optional<String> analyze(Alert alert, @Nullable String instructions) {
    StringBuilder prompt = new StringBuilder(systemPrompt);
    if (instructions != null && !instructions.isBlank()) {
      prompt.append("\n\n").append(instructions.strip());
    }
    prompt.append("\n\nSummary: ").append(alert.summary());
    if (!alert.description().isEmpty()) {
      prompt.append("\nDescription: ").append(alert.description());
    }
    if (!alert.severity().isEmpty()) {
      prompt.append("\nSeverity: ").append(alert.severity());
    }
    prompt.append("\nPayload: ").append(Masking.mask(alert.payload()));
    ObjectNode body = JSON.createObjectNode().put("model", model).put("prompt", prompt.toString()).put("stream", false);
    try {
      String answer = http.send(HttpRequest.newBuilder(Http.uri(url, "/api/generate")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())), "model " + model);
      JsonNode r = JSON.readTree(answer).path("response");
      String text = r.isTextual() ? r.asText().strip() : "";
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (SinkException | IOException e) {
      if (warned.compareAndSet(false, true)) {
        LOG.warn("root-cause model {} failed, tickets are filed without its note: {}", model, e.getMessage());
      } else {
        LOG.debug("root-cause model {} failed: {}", model, e.getMessage());
      }
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "OllamaRootCause[" + model + "]";
  }

  /** Builds an {@link OllamaRootCause}. Not thread-safe. */
  public static final class Builder {
    private final String url;
    private final String model;
    private String systemPrompt = DEFAULT_SYSTEM_PROMPT;
    private Duration timeout = Duration.ofSeconds(60);

    private Builder(String url, String model) {
      this.url = Objects.requireNonNull(url, "url");
      this.model = Objects.requireNonNull(model, "model");
    }

    public Builder systemPrompt(String prompt) {
      this.systemPrompt = Objects.requireNonNull(prompt, "prompt");
      return this;
    }

    /** How long the model may take; default 60 s. Past it the ticket has no note. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** @throws IllegalArgumentException if the URL is not http(s) or the model is blank */
    public OllamaRootCause build() {
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException("root-cause url '" + url + "' is not http(s); set it such as http://127.0.0.1:11434");
      }
      if (model.isBlank()) {
        throw new IllegalArgumentException("root-cause model is empty; set it such as phi3");
      }
      return new OllamaRootCause(this);
    }
  }
}
