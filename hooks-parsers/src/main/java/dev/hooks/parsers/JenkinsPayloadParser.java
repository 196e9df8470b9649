package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.EventActions;
import dev.hooks.event.EventTypes;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.Outcomes;
import dev.hooks.parsers.internal.ParseFailure;
import dev.hooks.parsers.internal.Repositories;
import dev.hooks.parsers.internal.Parsing;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Parses the JSON of the Jenkins Notification plugin ({@code {"name", "url", "build": {"phase",
 * "status", "number", "full_url", "scm"}}}) into events of provider {@code jenkins}, type {@code
 * ci.pipeline}. Action: {@code queued} for phase QUEUED, {@code started} for STARTED (whatever
 * {@code build.status} says then: it is not this build's result yet), and for COMPLETED and
 * FINALIZED the result ({@code SUCCESS} → succeeded, {@code FAILURE} and {@code UNSTABLE} → failed,
 * {@code ABORTED} → cancelled, {@code NOT_BUILT} → skipped). Status: the result as Jenkins writes
 * it, else the phase; severity OK, ERROR (WARNING for UNSTABLE), WARNING for ABORTED, else INFO.
 * Subject: the job's name and build number ({@code my-job #42}); url: the build's full URL;
 * repository from {@code build.scm.url} ({@code git@github.com:site/site.git} → {@code
 * site/site}); branch and commit from {@code build.scm} ({@code origin/main} becomes {@code
 * main}). Attributes: {@code job_name}, {@code build_number}, {@code phase}, {@code scm_url}. The id is the content hash (each phase of a build
 * sends different bytes).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookEvent e = new JenkinsPayloadParser().parse(delivery).event();
 * }</pre>
 */
public final class JenkinsPayloadParser implements PayloadParser {
  static final String PROVIDER = "jenkins";

  @Override
  public ParseResult parse(Delivery delivery) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, Json.read(delivery.body())));
  }

  ParseResult parse(Delivery delivery, JsonNode root) {
    return Parsing.guard(PROVIDER, () -> toEvent(delivery, root));
  }

  @Override
  public String toString() {
    return "JenkinsPayloadParser";
  }

  private static WebhookEvent toEvent(Delivery delivery, JsonNode root) {
    Json.object(root);
    JsonNode build = Json.requiredObject(root, "build");
    String phase = Json.required(build, "phase").toUpperCase(Locale.ROOT);
    boolean running = phase.equals("QUEUED") || phase.equals("STARTED");
    // before the build ends, build.status is not this build's result (the plugin reports
    // run.getResult(), which a pipeline may already have set): the phase is the status
    String result = running ? null : Json.text(build, "status");
    String action = switch (phase) {
      case "QUEUED" -> EventActions.QUEUED;
      case "STARTED" -> EventActions.STARTED;
      default -> result == null ? null : Outcomes.ciAction(result);
    };
    if (action == null) {
      throw new ParseFailure(result == null ? "missing field build.status for phase " + phase
          : "unknown build.status " + result);
    }
    String name = Json.first(Json.text(root, "display_name"), Json.text(root, "name"));
    String number = Json.text(build, "number");
    String scmUrl = Json.text(build, "scm", "url");
    String status = result != null ? result : phase;
    return Parsing.event(delivery, DeliveryIds.contentHash(delivery), PROVIDER, EventTypes.CI_PIPELINE, root)
        .action(action)
        .sourceEvent(phase)
        .subject(name == null ? null : number == null ? name : name + " #" + number)
        .url(Json.text(build, "full_url"))
        .repository(Repositories.fromGitUrl(scmUrl))
        .branch(shortBranch(Json.text(build, "scm", "branch")))
        .commit(Json.text(build, "scm", "commit"))
        .status(status)
        .severity(Outcomes.ciSeverity(action, status))
        .attribute("job_name", Json.text(root, "name"))
        .attribute("build_number", number)
        .attribute("phase", phase)
        .attribute("scm_url", scmUrl)
        .build();
  }

  private static @Nullable String shortBranch(@Nullable String branch) {
    if (branch == null) {
      return null;
    }
    if (branch.startsWith("refs/heads/")) {
      return branch.substring("refs/heads/".length());
    }
    return branch.startsWith("origin/") ? branch.substring("origin/".length()) : branch;
  }
}
