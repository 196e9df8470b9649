package dev.hooks.endpoints.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hooks.Hooks;
import dev.hooks.notify.DiscordNotifier;
import dev.hooks.notify.NotifierRegistry;
import dev.hooks.notify.OutboundPolicy;
import dev.hooks.endpoints.hub.NotificationHub;
import dev.hooks.outbox.InMemoryNotificationOutbox;
import dev.hooks.servlet.discord.DiscordInteractionsServlet;
import dev.hooks.signatures.SignatureVerifiers;
import dev.hooks.state.InMemoryStateStore;
import dev.hooks.verify.Secret;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The slash-command flow end to end: interactions signed with a real Ed25519 key pair (made
 * here; Discord signs {@code X-Signature-Timestamp + body} with the application's key) posted to
 * the servlet on a real Jetty, the commands run against a real {@link NotificationHub}, and the
 * deferred answers written to a loopback server that answers as Discord's follow-up route does
 * ({@code PATCH /api/v10/webhooks/{application_id}/{token}/messages/@original}: 200 with the
 * message; any other path 404 {@code {"message": "Unknown Webhook", "code": 10015}}).
 */
class DiscordInteractionsTest {
  private static final String APP = "1180000000000000042";
  private static final String ROLE = "1190000000000000007";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<String[]> followUps = new CopyOnWriteArrayList<>();
  private final List<String> notifications = new CopyOnWriteArrayList<>();
  private KeyPair keys;
  private HttpServer discord;
  private Hooks hooks;
  private NotificationHub hub;
  private DiscordInteractions interactions;
  private Server jetty;
  private URI endpoint;

  @BeforeEach
  void start() throws Exception {
    keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = keys.getPublic().getEncoded();
    String publicKeyHex = HexFormat.of().formatHex(Arrays.copyOfRange(spki, spki.length - 32, spki.length));

    discord = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    discord.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath();
        byte[] out;
        int status;
        if ("PATCH".equals(exchange.getRequestMethod()) && path.matches("/api/v10/webhooks/" + APP + "/[A-Za-z0-9._-]+/messages/@original")) {
          followUps.add(new String[] {path, body});
          out = ("{\"id\":\"1200000000000000001\",\"type\":0," + body.substring(1)).getBytes(StandardCharsets.UTF_8);
          status = 200;
        } else if ("POST".equals(exchange.getRequestMethod()) && path.equals("/api/webhooks/1/channel-token")) {
          notifications.add(body);
          out = new byte[0];
          status = 204;
        } else {
          out = "{\"message\": \"Unknown Webhook\", \"code\": 10015}".getBytes(StandardCharsets.UTF_8);
          status = 404;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
          exchange.getResponseBody().write(out);
        }
      } finally {
        exchange.close();
      }
    });
    discord.start();
    String loopback = "http://127.0.0.1:" + discord.getAddress().getPort();

    hooks = Hooks.builder().build();
    OutboundPolicy policy = OutboundPolicy.builder().allowHost("127.0.0.1").allowPlainHttp(true).build();
    NotifierRegistry notifiers = NotifierRegistry.of(DiscordNotifier.builder("discord", URI.create(loopback + "/api/webhooks/1/channel-token")).outbound(policy).build());
    hub = NotificationHub.builder(hooks, new InMemoryStateStore(), new InMemoryNotificationOutbox(), notifiers)
        .publicUrl(URI.create("https://hooks.example.com")).defaultTarget("discord").outbound(policy).build().start();
    hooks.start();
    interactions = DiscordInteractions.builder(
            SignatureVerifiers.discord(List.of(Secret.of(publicKeyHex)), Duration.ofMinutes(5), Clock.systemUTC()), hub, APP)
        .allowedRole(ROLE)
        .apiBase(URI.create(loopback + "/api/v10"))
        .build();

    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new DiscordInteractionsServlet(d -> {
      InteractionReply r = interactions.handle(d);
      return new DiscordInteractionsServlet.Answer(r.status(), r.body());
    })), "/discord/interactions");
    jetty.setHandler(context);
    jetty.start();
    endpoint = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/discord/interactions");
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
    interactions.close();
    hooks.close();
    discord.stop(0);
  }

  @Test
  void aSignedPingIsAnsweredWithAPong() throws Exception {
    HttpResponse<String> r = post("{\"id\":\"1\",\"application_id\":\"" + APP + "\",\"type\":1,\"token\":\"t\",\"version\":1}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"type\":1}"));
  }

  @Test
  void unsignedWronglySignedAndStaleInteractionsAre401AndMalformedOnes400() throws Exception {
    String ping = "{\"type\":1}";
    HttpResponse<String> unsigned = client.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ping)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(401);

    String ts = Long.toString(Instant.now().getEpochSecond());
    String signature = sign(ts, "{\"type\":2}");
    HttpResponse<String> tampered = send(ping, ts, signature);
    assertThat(tampered.statusCode()).isEqualTo(401);

    String old = Long.toString(Instant.now().minus(Duration.ofHours(1)).getEpochSecond());
    assertThat(send(ping, old, sign(old, ping)).statusCode()).isEqualTo(401);

    assertThat(post("not json").statusCode()).isEqualTo(400);
    assertThat(post("{\"type\":99}").statusCode()).isEqualTo(400);
    HttpResponse<String> get = client.send(HttpRequest.newBuilder(endpoint).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void createListTestTargetAndDeleteRunForAMemberWithTheRoleAndAnswerOnlyTheCaller() throws Exception {
    // /hook create github branch:master (the branch of GitHub's published push sample the test sends):
    // deferred, then the URL and the secret in the original message.
    JsonNode deferred = json(post(command("tok-create", List.of(ROLE), "create", Map.of("kind", "github", "branch", "master"))));
    assertThat(deferred.path("type").asInt()).isEqualTo(5);
    assertThat(deferred.path("data").path("flags").asInt()).isEqualTo(64);
    String created = awaitFollowUp("tok-create");
    Matcher m = Pattern.compile("Webhook created: (\\S+)\\*\\* \\(github\\)\nURL: (\\S+)\nSecret: \\|\\|(\\S+)\\|\\|").matcher(created);
    assertThat(m.find()).as(created).isTrue();
    String id = m.group(1);
    assertThat(m.group(2)).isEqualTo("https://hooks.example.com/hooks/" + id);
    assertThat(m.group(3)).hasSizeGreaterThanOrEqualTo(32);
    assertThat(hub.get(id).get("branch")).isEqualTo(List.of("master"));

    // /hook list: at once, ephemeral, without the secret.
    JsonNode list = json(post(command("tok-list", List.of(ROLE), "list", Map.of())));
    assertThat(list.path("type").asInt()).isEqualTo(4);
    assertThat(list.path("data").path("flags").asInt()).isEqualTo(64);
    assertThat(list.path("data").path("content").asText()).contains("**" + id + "** github").doesNotContain(m.group(3));

    // /hook test id: deferred; the sample went through ingress (202) to the channel.
    assertThat(json(post(command("tok-test", List.of(ROLE), "test", Map.of("id", id)))).path("type").asInt()).isEqualTo(5);
    assertThat(awaitFollowUp("tok-test")).startsWith("Sample sent to **" + id + "**: HTTP 202, request ");

    // /hook target id url: the endpoint's notifications go to another webhook of an allowed host.
    String moved = json(post(command("tok-target", List.of(ROLE), "target",
        Map.of("id", id, "url", "http://127.0.0.1:" + discord.getAddress().getPort() + "/api/webhooks/2/other-token"))))
        .path("data").path("content").asText();
    assertThat(moved).isEqualTo("Webhook **" + id + "** now notifies 127.0.0.1.");
    assertThat(hub.get(id).get("target_host")).isEqualTo("127.0.0.1");
    String refused = json(post(command("tok-target2", List.of(ROLE), "target", Map.of("id", id, "url", "https://evil.example.net/x"))))
        .path("data").path("content").asText();
    assertThat(refused).startsWith("Not done: ").contains("evil.example.net");

    // /hook delete id
    assertThat(json(post(command("tok-delete", List.of(ROLE), "delete", Map.of("id", id)))).path("data").path("content").asText())
        .isEqualTo("Webhook **" + id + "** deleted.");
    assertThat(hub.list()).isEmpty();
    assertThat(json(post(command("tok-delete2", List.of(ROLE), "delete", Map.of("id", id)))).path("data").path("content").asText())
        .startsWith("Not done: ");

    // every change is audited under the member who ran the command, never with a token of the URL
    assertThat(hub.audit(10)).extracting(e -> e.get("action") + " by " + e.get("actor")).containsExactly(
        "create by discord:1240000000000000001 (stryk)", "target by discord:1240000000000000001 (stryk)",
        "delete by discord:1240000000000000001 (stryk)");
    assertThat(hub.audit(10).toString()).doesNotContain("other-token").doesNotContain(m.group(3));
  }

  @Test
  void aMemberWithoutTheRoleOrAnotherApplicationChangesNothing() throws Exception {
    JsonNode refused = json(post(command("tok-1", List.of("1190000000000000099"), "create", Map.of("kind", "github"))));
    assertThat(refused.path("type").asInt()).isEqualTo(4);
    assertThat(refused.path("data").path("flags").asInt()).isEqualTo(64);
    assertThat(refused.path("data").path("content").asText()).isEqualTo("You need an allowed role to manage webhooks.");

    String otherApp = command("tok-2", List.of(ROLE), "create", Map.of("kind", "github")).replace(APP, "1180000000000000043");
    assertThat(json(post(otherApp)).path("data").path("content").asText()).isEqualTo("This interaction is for another application.");
    assertThat(hub.list()).isEmpty();
    assertThat(followUps).isEmpty();
  }

  @Test
  void aTestWhoseSampleTheEndpointsFiltersDropSaysItWasNotSent() throws Exception {
    String id = (String) hub.create("github", Map.of("events", List.of("pull_request"))).get("id");

    assertThat(json(post(command("tok-filtered", List.of(ROLE), "test", Map.of("id", id)))).path("type").asInt()).isEqualTo(5);

    assertThat(awaitFollowUp("tok-filtered")).startsWith("Sample for **" + id + "** not sent: filtered: the endpoint's filters");
  }

  private String awaitFollowUp(String token) throws Exception {
    String[] hit = await().atMost(Duration.ofSeconds(10)).until(
        () -> followUps.stream().filter(f -> f[0].contains("/" + token + "/")).findFirst().orElse(null), f -> f != null);
    return JSON.readTree(hit[1]).path("content").asText();
  }

  /** An APPLICATION_COMMAND interaction shaped as Discord's documentation shows one (guild member, subcommand options). */
  private static String command(String token, List<String> roles, String sub, Map<String, String> options) throws Exception {
    var root = JSON.createObjectNode();
    root.put("id", "1210000000000000001").put("application_id", APP).put("type", 2).put("token", token).put("version", 1)
        .put("guild_id", "1220000000000000001").put("channel_id", "1230000000000000001");
    var member = root.putObject("member");
    member.putObject("user").put("id", "1240000000000000001").put("username", "stryk");
    roles.forEach(member.putArray("roles")::add);
    var data = root.putObject("data");
    data.put("id", "1250000000000000001").put("name", "hook").put("type", 1);
    var subcommand = data.putArray("options").addObject();
    subcommand.put("name", sub).put("type", 1);
    var opts = subcommand.putArray("options");
    options.forEach((k, v) -> opts.addObject().put("name", k).put("type", 3).put("value", v));
    return JSON.writeValueAsString(root);
  }

  private HttpResponse<String> post(String body) throws Exception {
    String ts = Long.toString(Instant.now().getEpochSecond());
    return send(body, ts, sign(ts, body));
  }

  private HttpResponse<String> send(String body, String ts, String signature) throws Exception {
    return client.send(HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/json")
        .header("X-Signature-Ed25519", signature)
        .header("X-Signature-Timestamp", ts)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String sign(String ts, String body) throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(keys.getPrivate());
    s.update((ts + body).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(s.sign());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
