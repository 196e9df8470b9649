package dev.hooks.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Events as the parsers normalize them, from the published payloads in src/test/resources/payloads. */
final class Events {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

  private Events() {}

  static JsonNode payload(String resource) {
    try (InputStream in = Events.class.getResourceAsStream("/payloads/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test payload " + resource);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GitHub push: octokit's with-new-branch example (one commit "Initial commit" to master by Codertocat). */
  private static final JsonNode PUSH = payload("github/push-with-new-branch.json");

  static WebhookEvent githubPush() {
    JsonNode p = PUSH;
    return WebhookEvent.builder("push-1", "github", "push")
        .sourceEvent("push")
        .repository(p.at("/repository/full_name").asText())
        .branch("master")
        .commit(p.path("after").asText())
        .actor(p.at("/pusher/name").asText())
        .url(p.at("/head_commit/url").asText())
        .occurredAt(AT)
        .receivedAt(AT)
        .payload(p)
        .build();
  }

  static WebhookEvent githubPullRequestOpened() {
    JsonNode p = payload("github/pull_request-opened.json");
    return WebhookEvent.builder("pr-1", "github", "pull_request")
        .action("opened")
        .sourceEvent("pull_request")
        .repository(p.at("/repository/full_name").asText())
        .branch(p.at("/pull_request/head/ref").asText())
        .actor(p.at("/sender/login").asText())
        .url(p.at("/pull_request/html_url").asText())
        .occurredAt(AT)
        .receivedAt(AT)
        .payload(p)
        .build();
  }

  static WebhookEvent githubWorkflowSucceeded() {
    JsonNode p = payload("github/workflow_run-completed.json");
    return WebhookEvent.builder("wf-1", "github", "workflow")
        .action("succeeded")
        .status("success")
        .sourceEvent("workflow_run")
        .repository(p.at("/repository/full_name").asText())
        .branch(p.at("/workflow_run/head_branch").asText())
        .actor(p.at("/sender/login").asText())
        .url(p.at("/workflow_run/html_url").asText())
        .occurredAt(AT)
        .receivedAt(AT)
        .payload(p)
        .build();
  }

  /** A container that died, as the Docker events parser reports it. */
  static WebhookEvent containerDied() {
    return WebhookEvent.builder("ctr-1", "docker", "container")
        .action("died")
        .subject("phigen-bot")
        .severity(Severity.ERROR)
        .attribute("exit_code", "137")
        .attribute("uptime", "2h 15m")
        .attribute("last_logs", "Loading model...\nMemoryError: Out of memory")
        .occurredAt(AT)
        .receivedAt(AT)
        .build();
  }

  static WebhookEvent remediation(String action, int failures) {
    return WebhookEvent.builder("rem-" + action, "hooks", "remediation")
        .action(action)
        .subject("your-app-prod")
        .severity(Severity.CRITICAL)
        .attribute("failures", Integer.toString(failures))
        .occurredAt(AT)
        .receivedAt(AT)
        .build();
  }
}
