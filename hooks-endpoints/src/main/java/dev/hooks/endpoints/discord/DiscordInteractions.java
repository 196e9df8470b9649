package dev.hooks.endpoints.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hooks.admin.AdminException;
import dev.hooks.admin.EndpointAdmin;
import dev.hooks.event.Delivery;
import dev.hooks.verify.SignatureVerifier;
import dev.hooks.verify.Verification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discord slash commands over the interactions webhook (the application's "Interactions Endpoint
 * URL"), mapped onto an {@link EndpointAdmin}:
 *
 * <table>
 *   <caption>Commands</caption>
 *   <tr><th>command</th><th>admin call</th><th>answer</th></tr>
 *   <tr><td>{@code /hook create kind:github branch:main target:discord}</td><td>{@link EndpointAdmin#create}</td><td>deferred; the URL and the secret</td></tr>
 *   <tr><td>{@code /hook list}</td><td>{@link EndpointAdmin#list}</td><td>one line per endpoint</td></tr>
 *   <tr><td>{@code /hook test id:gh-1}</td><td>{@link EndpointAdmin#test}</td><td>deferred; the ingress status and request id</td></tr>
 *   <tr><td>{@code /hook delete id:gh-1}</td><td>{@link EndpointAdmin#delete}</td><td>done</td></tr>
 *   <tr><td>{@code /hook target id:gh-1 url:https://discord.com/api/webhooks/…}</td><td>{@link EndpointAdmin#target}</td><td>the new target</td></tr>
 * </table>
 *
 * <p>Changes are made as {@code discord:<user id> (<username>)} ({@link EndpointAdmin#as}), so
 * an audit log names the member who ran the command.
 *
 * <p>Every interaction is first checked with the verifier (Discord's Ed25519 signature of {@code
 * X-Signature-Timestamp} and the body with the application's public key): a bad one is answered
 * 401, as Discord requires. A PING (type 1) is answered with a PONG (type 1). A command is run
 * only for a guild member holding one of the configured role ids, and only for this
 * application. Every answer is ephemeral (flags 64): only the caller sees it, the secret of a
 * created endpoint included.
 *
 * <p>Discord waits 3 seconds for an answer, so {@code create} and {@code test}, whose work may
 * take longer, are answered with a deferred response (type 5) and their result is written to
 * the original message afterwards: {@code PATCH {api}/webhooks/{application_id}/{token}/messages/@original}.
 * Outbound calls reach only the configured API base.
 *
 * <p>Thread-safe; share one per application. {@link #close()} stops the follow-up threads.
 *
 * <pre>{@code
 * DiscordInteractions commands = DiscordInteractions.builder(
 *         SignatureVerifiers.discord(List.of(Secret.of(publicKeyHex)), Duration.ofMinutes(5), clock), hub, applicationId)
 *     .allowedRole("1187654321098765432")
 *     .build();
 * InteractionReply reply = commands.handle(delivery);
 * }</pre>
 */
public final class DiscordInteractions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DiscordInteractions.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The Discord API base of follow-up messages. */
  public static final URI DISCORD_API = URI.create("https://discord.com/api/v10");
  /** The command name registered with Discord. */
  public static final String COMMAND = "hook";
  static final int PING = 1;
  static final int APPLICATION_COMMAND = 2;
  static final int PONG = 1;
  static final int CHANNEL_MESSAGE = 4;
  static final int DEFERRED_CHANNEL_MESSAGE = 5;
  static final int EPHEMERAL = 64;
  /** Discord's limit of a message's content. */
  static final int MAX_CONTENT = 2000;

  private final SignatureVerifier verifier;
  private final EndpointAdmin admin;
  private final String applicationId;
  private final Set<String> roles;
  private final URI api;
  private final HttpClient http;
  private final ExecutorService followUps;
  private final Duration timeout;

  private DiscordInteractions(Builder b) {
    this.verifier = b.verifier;
    this.admin = b.admin;
    this.applicationId = b.applicationId;
    this.roles = Set.copyOf(b.roles);
    this.api = b.api;
    this.timeout = b.timeout;
    this.http = HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.followUps = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "hooks-discord-followup");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * @param verifier checks Discord's signature, usually {@code SignatureVerifiers.discord(...)} of hooks-signatures
   * @param admin the endpoints the commands manage
   * @param applicationId the application's id; interactions of another application are refused
   */
  public static Builder builder(SignatureVerifier verifier, EndpointAdmin admin, String applicationId) {
    return new Builder(verifier, admin, applicationId);
  }

  /** Answers one interaction; never throws for bad input. */
  public InteractionReply handle(Delivery delivery) {
    Verification v = verifier.verify(delivery);
    if (!v.isOk()) {
      LOG.debug("interaction refused: {} ({})", v.reason(), v.detail());
      return new InteractionReply(401, "{\"error\":\"invalid_request_signature\"}");
    }
    JsonNode root;
    try {
      root = JSON.readTree(delivery.body());
    } catch (IOException e) {
      return new InteractionReply(400, "{\"error\":\"malformed_body\"}");
    }
    if (root == null || !root.isObject() || !root.path("type").isInt()) {
      return new InteractionReply(400, "{\"error\":\"malformed_body\"}");
    }
    int type = root.path("type").asInt();
    if (type == PING) {
      return new InteractionReply(200, "{\"type\":" + PONG + "}");
    }
    if (type != APPLICATION_COMMAND) {
      return new InteractionReply(400, "{\"error\":\"unsupported_interaction_type\"}");
    }
    if (!applicationId.equals(root.path("application_id").asText())) {
      return message("This interaction is for another application.");
    }
    JsonNode data = root.path("data");
    if (!COMMAND.equals(data.path("name").asText())) {
      return message("Unknown command; use /" + COMMAND + ".");
    }
    if (!allowed(root.path("member").path("roles"))) {
      LOG.info("/hook refused to user {}: no allowed role", root.path("member").path("user").path("id").asText("?"));
      return message("You need an allowed role to manage webhooks.");
    }
    JsonNode sub = data.path("options").path(0);
    String name = sub.path("name").asText("");
    Map<String, String> options = new LinkedHashMap<>();
    for (JsonNode o : sub.path("options")) {
      if (o.path("value").isValueNode()) {
        options.put(o.path("name").asText(), o.path("value").asText());
      }
    }
    String token = root.path("token").asText("");
    JsonNode user = root.path("member").path("user");
    // the audit log names the member by id (stable) and by the name shown at the time
    EndpointAdmin acting = admin.as("discord:" + user.path("id").asText("?") + " (" + user.path("username").asText("?") + ")");
    return switch (name) {
      case "create" -> deferred(token, () -> create(acting, options));
      case "test" -> deferred(token, () -> test(acting, required(options, "id")));
      case "list" -> run(() -> list(acting));
      case "delete" -> run(() -> delete(acting, required(options, "id")));
      case "target" -> run(() -> target(acting, required(options, "id"), required(options, "url")));
      default -> message("Unknown subcommand; use create, list, test, delete or target.");
    };
  }

  private boolean allowed(JsonNode memberRoles) {
    for (JsonNode r : memberRoles) {
      if (roles.contains(r.asText())) {
        return true;
      }
    }
    return false;
  }

  private static String create(EndpointAdmin admin, Map<String, String> options) {
    String kind = required(options, "kind");
    Map<String, Object> admitted = new LinkedHashMap<>(options);
    admitted.remove("kind");
    Map<String, Object> created = admin.create(kind, admitted);
    return "**Webhook created: " + created.get("id") + "** (" + kind + ")\nURL: " + created.get("url")
        + "\nSecret: ||" + created.get("secret") + "||\nShown once; give both to the sender.";
  }

  private static String test(EndpointAdmin admin, String id) {
    Map<String, Object> r = admin.test(id);
    if (Boolean.FALSE.equals(r.get("sent"))) {
      return "Sample for **" + id + "** not sent: " + r.get("reason");
    }
    return "Sample sent to **" + id + "**: HTTP " + r.get("status") + ", request " + r.get("request_id");
  }

  private static String list(EndpointAdmin admin) {
    List<Map<String, Object>> all = admin.list();
    if (all.isEmpty()) {
      return "No webhooks yet; create one with /hook create.";
    }
    List<String> lines = new ArrayList<>();
    for (Map<String, Object> e : all) {
      lines.add("• **" + e.get("id") + "** " + e.get("kind") + (Boolean.FALSE.equals(e.get("enabled")) ? " (disabled)" : "")
          + " → " + e.getOrDefault("target_host", e.get("target")) + "  " + e.get("url"));
    }
    return String.join("\n", lines);
  }

  private static String delete(EndpointAdmin admin, String id) {
    admin.delete(id);
    return "Webhook **" + id + "** deleted.";
  }

  private static String target(EndpointAdmin admin, String id, String url) {
    Map<String, Object> v = admin.target(id, url);
    return "Webhook **" + id + "** now notifies " + v.getOrDefault("target_host", v.get("target")) + ".";
  }

  private static String required(Map<String, String> options, String name) {
    String v = options.get(name);
    if (v == null || v.isBlank()) {
      throw AdminException.invalid("option '" + name + "' is missing");
    }
    return v.strip();
  }

  private InteractionReply run(Work work) {
    return message(outcome(work));
  }

  private InteractionReply deferred(String token, Work work) {
    if (token.isEmpty() || !token.matches("[A-Za-z0-9._-]{1,500}")) {
      return new InteractionReply(400, "{\"error\":\"malformed_body\"}");
    }
    try {
      followUps.execute(() -> followUp(token, outcome(work)));
    } catch (RejectedExecutionException closed) {
      return message("The server is stopping; try again.");
    }
    ObjectNode reply = JSON.createObjectNode().put("type", DEFERRED_CHANNEL_MESSAGE);
    reply.putObject("data").put("flags", EPHEMERAL);
    return new InteractionReply(200, reply.toString());
  }

  private static String outcome(Work work) {
    try {
      return work.run();
    } catch (AdminException e) {
      return "Not done: " + e.getMessage();
    } catch (RuntimeException e) {
      LOG.warn("/hook command failed", e);
      return "Not done: the server failed; see its log.";
    }
  }

  private void followUp(String token, String content) {
    String base = api.toString().endsWith("/") ? api.toString() : api + "/";
    URI uri = URI.create(base + "webhooks/" + applicationId + "/" + token + "/messages/@original");
    String body = JSON.createObjectNode().put("content", clip(content)).toString();
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() / 100 != 2) {
        LOG.warn("Discord follow-up answered {}", r.statusCode());
      }
    } catch (IOException e) {
      LOG.warn("Discord follow-up failed: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static InteractionReply message(String content) {
    ObjectNode reply = JSON.createObjectNode().put("type", CHANNEL_MESSAGE);
    reply.putObject("data").put("content", clip(content)).put("flags", EPHEMERAL);
    return new InteractionReply(200, reply.toString());
  }

  private static String clip(String content) {
    return content.length() <= MAX_CONTENT ? content : content.substring(0, MAX_CONTENT - 1) + "…";
  }

  /** Stops taking deferred commands and waits up to 10 s for the follow-ups in progress. */
  @Override
  public void close() {
    followUps.shutdown();
    try {
      followUps.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @FunctionalInterface
  private interface Work {
    String run();
  }

  /** Collects the settings; not thread-safe. */
  public static final class Builder {
    private final SignatureVerifier verifier;
    private final EndpointAdmin admin;
    private final String applicationId;
    private final Set<String> roles = new LinkedHashSet<>();
    private URI api = DISCORD_API;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(SignatureVerifier verifier, EndpointAdmin admin, String applicationId) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
      this.admin = Objects.requireNonNull(admin, "admin");
      this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
      if (!applicationId.matches("[0-9]{1,25}")) {
        throw new IllegalArgumentException("application id '" + applicationId + "' is not a Discord id (digits, from the Developer Portal)");
      }
    }

    /** A role id whose members may run the commands; at least one is required. */
    public Builder allowedRole(String... roleIds) {
      for (String r : roleIds) {
        if (!r.strip().matches("[0-9]{1,25}")) {
          throw new IllegalArgumentException("role id '" + r + "' is not a Discord id (digits; Copy Role ID in Discord)");
        }
        roles.add(r.strip());
      }
      return this;
    }

    /** The API base of follow-up messages, {@link #DISCORD_API} by default; the only address called. */
    public Builder apiBase(URI base) {
      this.api = Objects.requireNonNull(base, "base");
      return this;
    }

    /** Connect and request timeout of a follow-up, 10 s by default. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * @throws IllegalStateException if no role is allowed
     */
    public DiscordInteractions build() {
      if (roles.isEmpty()) {
        throw new IllegalStateException("no role may run the commands; set at least one allowed role id");
      }
      return new DiscordInteractions(this);
    }
  }
}
