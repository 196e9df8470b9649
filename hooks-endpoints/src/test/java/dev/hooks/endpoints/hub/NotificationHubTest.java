package dev.hooks.endpoints.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.Hooks;
import dev.hooks.notify.LogNotifier;
import dev.hooks.notify.NotifierRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hub through its admin API on a real Jetty, with the journal, hub state and outbox in an H2
 * file and a loopback server that answers as Discord does. The GitHub push is octokit/webhooks'
 * published {@code push/with-new-branch.payload.json} (see {@code SOURCES.md} of the hub's
 * samples): branch {@code master} of {@code Codertocat/Hello-World}, one commit by Codertocat.
 */
class NotificationHubTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTH = "Bearer " + HubStack.ADMIN_TOKEN;

  @TempDir
  Path data;

  private final HttpClient http = HttpClient.newHttpClient();
  private LoopbackDiscord discord;
  private HubStack stack;

  @BeforeEach
  void start() throws Exception {
    discord = new LoopbackDiscord();
    stack = new HubStack(data, discord.webhookUrl());
  }

  @AfterEach
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    discord.close();
  }

  @Test
  void aCreatedGithubEndpointTakesASignedPushAndDiscordGetsTheEmbed() throws Exception {
    JsonNode created = create("{\"kind\":\"github\"}");

    assertThat(created.path("id").asText()).isEqualTo("hook_001");
    assertThat(created.path("url").asText()).isEqualTo(stack.url("/hooks/hook_001"));
    assertThat(created.path("secret").asText()).matches("[A-Za-z0-9_-]{43}");
    assertThat(created.path("signature").asText()).isEqualTo("X-Hub-Signature-256");

    HttpResponse<String> push = githubPush(created.path("url").asText(), created.path("secret").asText());
    assertThat(push.statusCode()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 1);
    JsonNode embed = JSON.readTree(discord.messages().get(0)).path("embeds").path(0);
    assertThat(embed.path("title").asText()).isEqualTo("🚀 Push to master");
    assertThat(embed.path("url").asText())
        .isEqualTo("https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246");
    assertThat(embed.path("fields").toString()).isEqualTo("[{\"name\":\"Repo\",\"value\":\"Hello-World\",\"inline\":true},"
        + "{\"name\":\"Author\",\"value\":\"@Codertocat\",\"inline\":true},{\"name\":\"Commits\",\"value\":\"1\",\"inline\":true}]");
    assertThat(embed.path("footer").path("text").asText()).isEqualTo("GitHub · Codertocat/Hello-World");
  }

  @Test
  void aWrongSignatureIsRefusedAndNothingIsSent() throws Exception {
    JsonNode created = create("{\"kind\":\"github\"}");

    HttpResponse<String> forged = githubPush(created.path("url").asText(), "not-the-secret");

    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(stack.hooks.status().get("accepted")).isEqualTo(0L);
  }

  @Test
  void listAndGetShowTheEndpointButNeverItsSecret() throws Exception {
    JsonNode created = create("{\"kind\":\"github\",\"events\":\"push,pr\",\"branch\":\"main\"}");
    String secret = created.path("secret").asText();

    HttpResponse<String> list = admin("GET", "/admin/endpoints", null);
    HttpResponse<String> one = admin("GET", "/admin/endpoints/hook_001", null);

    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(secret).doesNotContain("\"secret\"");
    assertThat(one.body()).doesNotContain(secret).doesNotContain("\"secret\"");
    JsonNode listed = JSON.readTree(list.body()).path("endpoints").path(0);
    assertThat(listed.path("id").asText()).isEqualTo("hook_001");
    assertThat(listed.path("kind").asText()).isEqualTo("github");
    assertThat(listed.path("enabled").asBoolean()).isTrue();
    assertThat(listed.path("events").toString()).isEqualTo("[\"push\",\"pull_request\"]");
    assertThat(listed.path("branch").toString()).isEqualTo("[\"main\"]");
  }

  @Test
  void aBranchFilterDropsAPushToAnotherBranch() throws Exception {
    JsonNode created = create("{\"kind\":\"github\"}");
    String url = created.path("url").asText();
    String secret = created.path("secret").asText();
    HttpResponse<String> filtered = admin("PUT", "/admin/endpoints/hook_001/filters", "{\"branch\":\"main\"}");
    assertThat(filtered.statusCode()).isEqualTo(200);

    assertThat(githubPush(url, secret).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> stack.hooks.dispatcher().completedCount() == 1);
    assertThat(stack.journals.outbox().counts().pending() + stack.journals.outbox().counts().delivered()).isZero();

    admin("PUT", "/admin/endpoints/hook_001/filters", "{\"branch\":\"master\"}");
    assertThat(githubPush(url, secret).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 1);
    assertThat(stack.hooks.dispatcher().completedCount()).isEqualTo(2);
  }

  @Test
  void aNewTemplateShapesTheNextMessage() throws Exception {
    JsonNode created = create("{\"kind\":\"github\"}");
    HttpResponse<String> set = admin("PUT", "/admin/endpoints/hook_001/template",
        "{\"template\":\"📤 {{actor}} pushed {{commit_count}} commit(s) to {{branch}}\"}");
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(set.body()).path("template").asText()).startsWith("📤");

    githubPush(created.path("url").asText(), created.path("secret").asText());

    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 1);
    JsonNode embed = JSON.readTree(discord.messages().get(0)).path("embeds").path(0);
    assertThat(embed.path("description").asText()).isEqualTo("📤 Codertocat pushed 1 commit(s) to master");
  }

  @Test
  void aTemplateThatDoesNotCompileIsRefusedWith400() throws Exception {
    create("{\"kind\":\"custom\"}");

    HttpResponse<String> bad = admin("PUT", "/admin/endpoints/hook_001/template", "{\"template\":\"{{#event}} unclosed\"}");

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("error").asText()).isEqualTo("invalid");
    assertThat(JSON.readTree(bad.body()).path("message").asText()).startsWith("template does not compile");
    assertThat(JSON.readTree(admin("GET", "/admin/endpoints/hook_001", null).body()).path("template").isNull()).isTrue();
  }

  @Test
  void testSendsTheSampleThroughThePipelineToDiscord() throws Exception {
    create("{\"kind\":\"custom\",\"template\":\"🔔 {{event}}: {{message}}\"}");

    HttpResponse<String> test = admin("POST", "/admin/endpoints/hook_001/test", null);

    assertThat(test.statusCode()).isEqualTo(200);
    JsonNode answer = JSON.readTree(test.body());
    assertThat(answer.path("status").asInt()).isEqualTo(202);
    assertThat(answer.path("request_id").asText()).isNotBlank();
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 1);
    assertThat(JSON.readTree(discord.messages().get(0)).path("embeds").path(0).path("description").asText())
        .isEqualTo("🔔 test: Test notification from hooks");
  }

  @ParameterizedTest
  @ValueSource(strings = {"github", "gitlab", "docker", "ci", "custom"})
  void theSampleOfEachKindPassesItsVerifierAndReachesDiscord(String kind) throws Exception {
    create("{\"kind\":\"" + kind + "\"}");

    JsonNode answer = JSON.readTree(admin("POST", "/admin/endpoints/hook_001/test", null).body());

    assertThat(answer.path("status").asInt()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 1);
  }

  @Test
  void testingADockerEndpointTwiceIsOneDeliveryButACustomOneSendsEachTime() throws Exception {
    create("{\"kind\":\"docker\"}");
    create("{\"kind\":\"custom\"}");

    JsonNode dockerFirst = JSON.readTree(admin("POST", "/admin/endpoints/hook_001/test", null).body());
    JsonNode dockerAgain = JSON.readTree(admin("POST", "/admin/endpoints/hook_001/test", null).body());
    JsonNode customFirst = JSON.readTree(admin("POST", "/admin/endpoints/hook_002/test", null).body());
    JsonNode customAgain = JSON.readTree(admin("POST", "/admin/endpoints/hook_002/test", null).body());

    assertThat(dockerFirst.path("status").asInt()).isEqualTo(202);
    assertThat(dockerFirst.path("sent").asBoolean(false)).isTrue();
    assertThat(dockerAgain.path("status").asInt()).isEqualTo(200);
    assertThat(dockerAgain.path("sent").asBoolean(true)).isFalse();
    assertThat(dockerAgain.path("reason").asText()).startsWith("duplicate: ");
    assertThat(customFirst.path("status").asInt()).isEqualTo(202);
    assertThat(customAgain.path("status").asInt()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 3);
  }

  @Test
  void aDiscordUrlTargetOnAnAllowedHostIsNotifiedAndKeptAcrossARestart() throws Exception {
    String url = discord.webhookUrl().toString();
    JsonNode created = create("{\"kind\":\"custom\",\"target\":\"" + url + "\"}");

    assertThat(created.path("target").asText()).isEqualTo("hub-hook_001");
    assertThat(created.path("target_host").asText()).isEqualTo("127.0.0.1");
    assertThat(admin("GET", "/admin/endpoints", null).body()).doesNotContain("loopback-token");
    assertThat(JSON.readTree(admin("POST", "/admin/endpoints/hook_001/test", null).body()).path("status").asInt()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 1);

    stack.close();
    stack = null;
    stack = new HubStack(data, discord.webhookUrl());

    assertThat(JSON.readTree(admin("POST", "/admin/endpoints/hook_001/test", null).body()).path("status").asInt()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 2);
  }

  @Test
  void aUrlTargetOnAHostNotAllowedIsRefusedWithoutEchoingTheUrl() throws Exception {
    HttpResponse<String> refused = admin("POST", "/admin/endpoints",
        "{\"kind\":\"custom\",\"target\":\"https://discord.example.net/api/webhooks/42/very-secret-token\"}");

    assertError(refused, 400, "invalid");
    assertThat(refused.body()).contains("discord.example.net").contains("not allowed").doesNotContain("very-secret-token");
    assertThat(stack.hub.list()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.0.0.1:{otherPort}/api/webhooks/1/tok",
      "https://127.0.0.1:{port}/api/webhooks/1/tok",
      "http://127.0.0.1:{port}/api/webhooks/../../admin/endpoints",
      "http://127.0.0.1:{port}/api/webhooks/%2e%2e/%2E%2e/admin",
      "http://127.0.0.1:{port}/api/webhooks/%252e%252e/admin",
      "http://127.0.0.1:{port}/api/webhooks/1%2f..%2fadmin/x",
      "http://127.0.0.1:{port}/api/webhooks/.%2E/x",
      "http://127.0.0.1:{port}/services/..%5cadmin/x"})
  void aUrlTargetOnAnotherPortOrSchemeOrWithDotSegmentsIsRefused(String template) throws Exception {
    int port = discord.webhookUrl().getPort();
    String url = template.replace("{otherPort}", Integer.toString(port == 65535 ? port - 1 : port + 1))
        .replace("{port}", Integer.toString(port));

    HttpResponse<String> refused = admin("POST", "/admin/endpoints", "{\"kind\":\"custom\",\"target\":\"" + url + "\"}");

    assertError(refused, 400, "invalid");
    assertThat(refused.body()).contains("not allowed");
    assertThat(stack.hub.list()).isEmpty();
  }

  @Test
  void aTestWhoseSampleTheEndpointsOwnFilterDropsSaysSo() throws Exception {
    create("{\"kind\":\"github\",\"events\":[\"pull_request\"]}");
    create("{\"kind\":\"github\",\"events\":[\"push\"]}");

    JsonNode dropped = JSON.readTree(admin("POST", "/admin/endpoints/hook_001/test", null).body());
    JsonNode passed = JSON.readTree(admin("POST", "/admin/endpoints/hook_002/test", null).body());

    assertThat(dropped.path("sent").asBoolean(true)).isFalse();
    assertThat(dropped.path("reason").asText()).startsWith("filtered: the endpoint's filters (events [pull_request]")
        .contains("drop the github sample").contains("'push'");
    assertThat(passed.path("sent").asBoolean(false)).isTrue();
    assertThat(passed.has("reason")).isFalse();
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 1);
    assertThat(discord.messages()).hasSize(1);
  }

  @Test
  void anHmacSignedCustomEndpointRefusesTheBareToken() throws Exception {
    JsonNode created = create("{\"kind\":\"custom\",\"signature\":\"hmac\"}");
    byte[] body = "{\"event\":\"deploy\",\"message\":\"v2 is live\"}".getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> token = post(created.path("url").asText(), body, "X-Hooks-Token", created.path("secret").asText());
    HttpResponse<String> signed = post(created.path("url").asText(), body, "X-Hooks-Signature",
        "sha256=" + hmacHex(created.path("secret").asText(), body));

    assertThat(created.path("signature").asText()).isEqualTo("X-Hooks-Signature");
    assertThat(token.statusCode()).isEqualTo(401);
    assertThat(signed.statusCode()).isEqualTo(202);
  }

  @Test
  void disableAndDeleteMakeDeliveriesAnswer404() throws Exception {
    JsonNode created = create("{\"kind\":\"github\"}");
    String url = created.path("url").asText();
    String secret = created.path("secret").asText();

    assertThat(admin("POST", "/admin/endpoints/hook_001/disable", null).statusCode()).isEqualTo(200);
    assertThat(githubPush(url, secret).statusCode()).isEqualTo(404);
    assertThat(admin("POST", "/admin/endpoints/hook_001/test", null).statusCode()).isEqualTo(409);
    assertThat(admin("POST", "/admin/endpoints/hook_001/enable", null).statusCode()).isEqualTo(200);
    assertThat(githubPush(url, secret).statusCode()).isEqualTo(202);

    assertThat(admin("DELETE", "/admin/endpoints/hook_001", null).statusCode()).isEqualTo(204);
    assertThat(githubPush(url, secret).statusCode()).isEqualTo(404);
    assertThat(admin("GET", "/admin/endpoints/hook_001", null).statusCode()).isEqualTo(404);
    assertThat(admin("DELETE", "/admin/endpoints/hook_001", null).statusCode()).isEqualTo(404);
    assertThat(stack.journals.stateStore().list(NotificationHub.KEY_PREFIX)).isEmpty();
  }

  @Test
  void aMissingOrWrongAdminTokenAnswers401() throws Exception {
    HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(stack.url("/admin/endpoints")))
        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"github\"}")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(stack.url("/admin/endpoints")))
        .header("Authorization", "Bearer nope-nope-nope-nope-nope")
        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"github\"}")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(stack.hub.list()).isEmpty();
  }

  @Test
  void badInputAnswers4xxWithAReason() throws Exception {
    assertError(admin("POST", "/admin/endpoints", "{\"kind\":"), 400, "bad_json");
    assertError(admin("POST", "/admin/endpoints", "{\"kind\":\"svn\"}"), 400, "invalid");
    assertError(admin("POST", "/admin/endpoints", "{\"kind\":\"github\",\"target\":\"slack\"}"), 400, "invalid");
    assertError(admin("POST", "/admin/endpoints", "{\"kind\":\"github\",\"colour\":\"red\"}"), 400, "invalid");
    assertError(admin("POST", "/admin/endpoints", "{\"kind\":\"github\",\"id\":\"has space\"}"), 400, "invalid");
    assertError(admin("POST", "/admin/endpoints", "{\"kind\":\"github\",\"branch\":7}"), 400, "invalid");
    assertError(admin("POST", "/admin/endpoints", "{\"kind\":\"github\",\"signature\":\"hmac\"}"), 400, "invalid");
    create("{\"kind\":\"github\",\"id\":\"github-main\"}");
    assertError(admin("POST", "/admin/endpoints", "{\"kind\":\"gitlab\",\"id\":\"github-main\"}"), 409, "conflict");
    assertError(admin("PUT", "/admin/endpoints/github-main/filters", "{\"branches\":\"main\"}"), 400, "invalid");
    assertError(admin("PUT", "/admin/endpoints/nope/filters", "{}"), 404, "not_found");
    assertThat(stack.hub.list()).hasSize(1);
  }

  @Test
  void aRestartedHubOverTheSameH2FileKeepsItsEndpointsAndTheirSecrets() throws Exception {
    JsonNode created = create("{\"kind\":\"github\",\"branch\":\"master\"}");
    create("{\"kind\":\"gitlab\"}");
    admin("POST", "/admin/endpoints/hook_002/disable", null);
    String secret = created.path("secret").asText();
    stack.close();
    stack = null;

    stack = new HubStack(data, discord.webhookUrl());

    JsonNode list = JSON.readTree(admin("GET", "/admin/endpoints", null).body()).path("endpoints");
    assertThat(list).hasSize(2);
    assertThat(list.path(0).path("branch").toString()).isEqualTo("[\"master\"]");
    assertThat(list.path(1).path("enabled").asBoolean()).isFalse();
    HttpResponse<String> push = githubPush(stack.url("/hooks/hook_001"), secret);
    assertThat(push.statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 1);
    assertThat(create("{\"kind\":\"ci\"}").path("id").asText()).isEqualTo("hook_003");
  }

  @Test
  void aChangeThatRacedAnotherProcessSharingTheStoreAnswers409() throws Exception {
    create("{\"kind\":\"github\"}");
    NotificationHub other = NotificationHub.builder(Hooks.builder().build(), stack.journals.stateStore(), stack.journals.outbox(),
        NotifierRegistry.of(new LogNotifier("discord"))).build().start();
    other.filters("hook_001", Map.of("branch", "release/*"));

    HttpResponse<String> raced = admin("PUT", "/admin/endpoints/hook_001/filters", "{\"branch\":\"main\"}");

    assertError(raced, 409, "conflict");
    assertThat(stack.journals.stateStore().get(NotificationHub.KEY_PREFIX + "hook_001").orElseThrow().value()).contains("release/*");
  }

  @Test
  void anUnreadableStoredEntryIsSkippedAndTheOthersAreServed() throws Exception {
    create("{\"kind\":\"custom\"}");
    stack.journals.stateStore().compareAndSet(NotificationHub.KEY_PREFIX + "broken", 0, "{\"id\":\"broken\"}");
    stack.close();
    stack = null;

    stack = new HubStack(data, discord.webhookUrl());

    assertThat(stack.hub.list()).extracting(v -> v.get("id")).containsExactly("hook_001");
    assertThat(create("{\"kind\":\"custom\"}").path("id").asText()).isEqualTo("hook_002");
  }

  @Test
  void aPatchChangesTargetFiltersTemplateAndEnabledAtOnceAndTheNextPushFollowsThem() throws Exception {
    JsonNode created = create("{\"kind\":\"github\"}");
    admin("POST", "/admin/endpoints/hook_001/disable", null);
    String patch = "{\"target\":\"" + discord.webhookUrl() + "\",\"filters\":{\"branch\":\"master\"},"
        + "\"template\":\"📤 {{actor}} to {{branch}}\",\"enabled\":true}";

    HttpResponse<String> patched = admin("PATCH", "/admin/endpoints/hook_001", patch);

    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    JsonNode view = JSON.readTree(patched.body());
    assertThat(view.path("enabled").asBoolean()).isTrue();
    assertThat(view.path("target").asText()).isEqualTo("hub-hook_001");
    assertThat(view.path("target_host").asText()).isEqualTo("127.0.0.1");
    assertThat(view.path("branch").toString()).isEqualTo("[\"master\"]");
    assertThat(patched.body()).doesNotContain("loopback-token");
    assertThat(githubPush(created.path("url").asText(), created.path("secret").asText()).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.messages().size() == 1);
    assertThat(JSON.readTree(discord.messages().get(0)).path("embeds").path(0).path("description").asText())
        .isEqualTo("📤 Codertocat to master");

    HttpResponse<String> audit = admin("GET", "/admin/audit", null);
    assertThat(audit.statusCode()).isEqualTo(200);
    assertThat(audit.body()).doesNotContain("loopback-token").doesNotContain(created.path("secret").asText());
    JsonNode log = JSON.readTree(audit.body()).path("audit");
    assertThat(log).extracting(e -> e.path("action").asText()).containsExactly("create", "disable", "update");
    assertThat(log).extracting(e -> e.path("actor").asText()).containsOnly("token:admin");
    JsonNode update = log.path(2);
    assertThat(update.path("endpoint").asText()).isEqualTo("hook_001");
    assertThat(java.time.Instant.parse(update.path("at").asText())).isBetween(
        java.time.Instant.now().minus(Duration.ofMinutes(1)), java.time.Instant.now());
    assertThat(update.path("changes").path("enabled").toString()).isEqualTo("{\"from\":false,\"to\":true}");
    assertThat(update.path("changes").path("target").toString()).isEqualTo("{\"from\":\"discord\",\"to\":\"hub-hook_001\"}");
    assertThat(update.path("changes").path("target_host").toString()).isEqualTo("{\"from\":null,\"to\":\"127.0.0.1\"}");
    assertThat(update.path("changes").path("branch").toString()).isEqualTo("{\"from\":[],\"to\":[\"master\"]}");
    assertThat(update.path("changes").path("template").path("to").asText()).isEqualTo("📤 {{actor}} to {{branch}}");
    assertThat(update.path("changes").has("events")).isFalse();
  }

  @Test
  void aPatchWithOneBadValueChangesNothingAndIsNotAudited() throws Exception {
    create("{\"kind\":\"github\"}");

    assertError(admin("PATCH", "/admin/endpoints/hook_001", "{\"template\":\"new {{branch}}\",\"enabled\":\"yes\"}"), 400, "invalid");
    assertError(admin("PATCH", "/admin/endpoints/hook_001", "{\"template\":\"new\",\"target\":\"slack\"}"), 400, "invalid");
    assertError(admin("PATCH", "/admin/endpoints/hook_001", "{\"filters\":{\"branches\":\"main\"}}"), 400, "invalid");
    assertError(admin("PATCH", "/admin/endpoints/hook_001", "{\"secret\":\"chosen\"}"), 400, "invalid");
    assertError(admin("PATCH", "/admin/endpoints/hook_001", "{}"), 400, "invalid");
    assertError(admin("PATCH", "/admin/endpoints/hook_001", "[1]"), 400, "bad_json");
    assertError(admin("PATCH", "/admin/endpoints/nope", "{\"enabled\":false}"), 404, "not_found");

    JsonNode view = JSON.readTree(admin("GET", "/admin/endpoints/hook_001", null).body());
    assertThat(view.path("template").isNull()).isTrue();
    assertThat(view.path("enabled").asBoolean()).isTrue();
    assertThat(view.path("target").asText()).isEqualTo("discord");
    assertThat(JSON.readTree(admin("GET", "/admin/audit", null).body()).path("audit"))
        .extracting(e -> e.path("action").asText()).containsExactly("create");
  }

  @Test
  void theAuditLogNamesTheTokensIdentityKeepsItsOrderAndSurvivesARestart() throws Exception {
    create("{\"kind\":\"gitlab\"}");
    HttpResponse<String> byOps = http.send(HttpRequest.newBuilder(URI.create(stack.url("/admin/endpoints/hook_001")))
        .header("Authorization", "Bearer " + HubStack.OPS_TOKEN)
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"filters\":{\"events\":\"push,pr\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(byOps.statusCode()).as(byOps.body()).isEqualTo(200);
    stack.hub.as("deploy-script").template("hook_001", "{{message}}");
    admin("DELETE", "/admin/endpoints/hook_001", null);
    stack.close();
    stack = null;

    stack = new HubStack(data, discord.webhookUrl());

    JsonNode log = JSON.readTree(admin("GET", "/admin/audit", null).body()).path("audit");
    assertThat(log).extracting(e -> e.path("action").asText() + " by " + e.path("actor").asText())
        .containsExactly("create by token:admin", "update by token:ops", "template by deploy-script", "delete by token:admin");
    assertThat(log.path(1).path("changes").path("events").toString())
        .isEqualTo("{\"from\":[],\"to\":[\"push\",\"pull_request\"]}");
    assertThat(log.path(3).path("changes").path("kind").toString()).isEqualTo("{\"from\":\"gitlab\",\"to\":null}");
    JsonNode lastTwo = JSON.readTree(admin("GET", "/admin/audit?limit=2", null).body()).path("audit");
    assertThat(lastTwo).extracting(e -> e.path("action").asText()).containsExactly("template", "delete");
    assertError(admin("GET", "/admin/audit?limit=0", null), 400, "invalid");
    assertError(admin("POST", "/admin/audit", null), 405, "method_not_allowed");
  }

  private JsonNode create(String body) throws Exception {
    HttpResponse<String> r = admin("POST", "/admin/endpoints", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> admin(String method, String path, @Nullable String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(stack.url(path)))
        .header("Authorization", AUTH)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> githubPush(String url, String secret) throws Exception {
    byte[] body;
    try (InputStream in = NotificationHubTest.class.getResourceAsStream("/dev/hooks/endpoints/hub/github-push.json")) {
      body = in.readAllBytes();
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", UUID.randomUUID().toString())
        .header("X-Hub-Signature-256", "sha256=" + hmacHex(secret, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, byte[] body, String header, String value) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .header(header, value)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String hmacHex(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(JSON.readTree(r.body()).path("error").asText()).as(r.body()).isEqualTo(code);
  }
}
