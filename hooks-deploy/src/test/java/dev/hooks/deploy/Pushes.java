package dev.hooks.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.ParseResult;
import dev.hooks.parsers.GitHubPayloadParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** GitHub push deliveries, parsed by the real GitHub parser, about commits of a local repository. */
final class Pushes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Pushes() {}

  /** The octokit example push (see resources/github/README.md) moved to {@code branch} at {@code commit}. */
  static byte[] body(String branch, String commit) {
    try (InputStream in = Pushes.class.getResourceAsStream("/github/push-with-new-branch.json")) {
      ObjectNode root = (ObjectNode) JSON.readTree(in);
      root.put("ref", "refs/heads/" + branch);
      root.put("after", commit);
      ((ObjectNode) root.path("head_commit")).put("id", commit);
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static WebhookEvent event(String endpoint, String deliveryId, String branch, String commit) {
    return event(endpoint, deliveryId, body(branch, commit));
  }

  static WebhookEvent event(String endpoint, String deliveryId, byte[] body) {
    Delivery d = Delivery.builder(endpoint)
        .headers(Headers.of(Map.of("Content-Type", "application/json", "X-GitHub-Event", "push", "X-GitHub-Delivery", deliveryId)))
        .body(body)
        .build();
    ParseResult r = new GitHubPayloadParser().parse(d);
    return r.event();
  }
}
