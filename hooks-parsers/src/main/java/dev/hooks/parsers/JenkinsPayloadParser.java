package dev.hooks.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.DeliveryIds;
import dev.hooks.parse.ParseResult;
import dev.hooks.parse.PayloadParser;
import dev.hooks.parsers.internal.Json;
import dev.hooks.parsers.internal.Outcomes;
import dev.hooks.parsers.internal.Parsing;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Parses the JSON of the Jenkins Notification plugin ({@code {"name", "url", "build": {"phase",
 * "status", "number", "full_url", "scm"}}}) into events of provider {@code jenkins}, type {@code
 * build}. Action: {@code queued} for phase QUEUED, {@code started} for STARTED, and for COMPLETED
 * and FINALIZED the result ({@code SUCCESS} → succeeded, {@code FAILURE} → failed, {@code
 * UNSTABLE} → unstable, {@code ABORTED} → cancelled, {@code NOT_BUILT} → skipped). Subject: the
 * job name; url: the build's full URL; branch and commit from {@code build.scm} ({@code
 * origin/main} becomes {@code main}); status: the result, else the phase. Attributes: {@code
 * build_number}, {@code phase}, {@code scm_url}. The id is the content hash (each phase of a build
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
    String result = Json.text(build, "status");
    String action = switch (phase) {
      case "QUEUED" -> "queued";
      case "STARTED" -> "started";
      default -> result == null ? phase.toLowerCase(Locale.ROOT) : Outcomes.ciAction(result);
    };
    return Parsing.event(delivery, DeliveryIds.contentHash(delivery), PROVIDER, "build", root)
        .action(action)
        .sourceEvent(phase)
        .subject(Json.text(root, "name"))
        .url(Json.text(build, "full_url"))
        .branch(shortBranch(Json.text(build, "scm", "branch")))
        .commit(Json.text(build, "scm", "commit"))
        .status(result != null ? result : phase)
        .severity(Outcomes.ciSeverity(action))
        .attribute("build_number", Json.text(build, "number"))
        .attribute("phase", phase)
        .attribute("scm_url", Json.text(build, "scm", "url"))
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
