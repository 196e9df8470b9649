package dev.hooks.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import org.junit.jupiter.api.Test;

class MessageTemplatesTest {
  private static Notification render(WebhookEvent e, TextFormat f) {
    return MessageTemplates.defaults().forEvent(e).render(e, f);
  }

  private static WebhookEvent ci(String type, String action) {
    return WebhookEvent.builder("c-" + type + action, "gitlab", type).action(action).repository("stryk/PhiGEN")
        .branch("main").actor("STRYK").receivedAt(Events.AT).build();
  }

  @Test
  void eventsOfTheVocabularyFindTheTemplatesOfTheirProvidersWords() throws Exception {
    // octokit/webhooks' workflow_run.completed example, read by the GitHub parser: type ci.pipeline.
    byte[] body;
    try (var in = getClass().getResourceAsStream("/payloads/github/workflow_run-completed.json")) {
      body = in.readAllBytes();
    }
    dev.hooks.event.Delivery d = dev.hooks.event.Delivery.builder("gh")
        .headers(dev.hooks.event.Headers.builder().add("Content-Type", "application/json").add("X-GitHub-Event", "workflow_run")
            .add("X-GitHub-Delivery", "wr-1").build())
        .body(body).receivedAt(Events.AT).build();
    WebhookEvent run = new dev.hooks.parsers.GitHubPayloadParser().parse(d).event();
    assertThat(run.type()).isEqualTo(dev.hooks.event.EventTypes.CI_PIPELINE);
    assertThat(render(run, TextFormat.PLAIN).toPlainText()).startsWith("✅ Workflow");

    assertThat(render(ci("ci.pipeline", "failed"), TextFormat.PLAIN).toPlainText()).startsWith("❌ Pipeline Failed");
    assertThat(render(ci("ci.job", "started").toBuilder().attribute("stage", "Build").build(), TextFormat.PLAIN).toPlainText())
        .startsWith("⚙️ Stage \"Build\" started");
    // A user's template for the vocabulary's own word wins over the provider family's.
    MessageTemplates mine = MessageTemplates.defaults().with("ci.pipeline/failed", MessageTemplate.builder().title("CI broke").build());
    assertThat(mine.forEvent(ci("ci.pipeline", "failed")).render(ci("ci.pipeline", "failed"), TextFormat.PLAIN).toPlainText())
        .startsWith("CI broke");
  }

  @Test
  void workflowSuccessReadsLikeTheChatExample() {
    Notification n = render(Events.githubWorkflowSucceeded().toBuilder()
        .attribute("workflow", "Tests").attribute("duration_seconds", "204").branch("feature-oauth").build(), TextFormat.PLAIN);

    assertThat(n.toPlainText()).isEqualTo("""
        ✅ Workflow "Tests" completed
        Status: Success
        Duration: 3m 24s
        Branch: feature-oauth
        All checks passed ✓

        View: https://github.com/octo-org/octo-repo/actions/runs/289782451
        https://github.com/octo-org/octo-repo/actions/runs/289782451
        GitHub · octo-org/octo-repo""");
    assertThat(n.color()).contains(MessageTemplate.GREEN);
  }

  @Test
  void pipelineStartedStageAndFailure() {
    Notification started = render(ci("pipeline", "started").toBuilder().attribute("stage", "Build").build(), TextFormat.PLAIN);
    Notification stage = render(ci("job", "succeeded").toBuilder().attribute("stage", "Build")
        .attribute("duration", "1m 45s").attribute("next_stage", "Test").build(), TextFormat.PLAIN);
    Notification failed = render(ci("pipeline", "failed").toBuilder().attribute("stage", "Test").attribute("job", "unit-tests")
        .attribute("error", "3 tests failed").url("https://gitlab.example/stryk/PhiGEN/-/pipelines/1234").build(), TextFormat.PLAIN);

    assertThat(started.toPlainText()).isEqualTo("""
        ⚙️ Pipeline Started
        Project: PhiGEN
        Branch: main
        Stage: Build
        Triggered by: @STRYK
        GitLab · stryk/PhiGEN""");
    assertThat(stage.toPlainText()).isEqualTo("""
        ✅ Stage "Build" passed
        Duration: 1m 45s
        Next: Test
        GitLab · stryk/PhiGEN""");
    assertThat(failed.title()).isEqualTo("❌ Pipeline Failed");
    assertThat(failed.fields()).extracting(Notification.Field::value).containsExactly("Test", "unit-tests", "3 tests failed");
    assertThat(failed.description()).isEqualTo("View logs: https://gitlab.example/stryk/PhiGEN/-/pipelines/1234");
    assertThat(failed.color()).contains(MessageTemplate.RED);
  }

  @Test
  void buildStartedAndComplete() {
    WebhookEvent build = WebhookEvent.builder("b1", "docker", "build").subject("phigen-bot").receivedAt(Events.AT)
        .attribute("image", "phigen-bot:latest").attribute("context", ".").build();

    assertThat(render(build.toBuilder().action("started").build(), TextFormat.PLAIN).toPlainText()).isEqualTo("""
        🔨 Building: phigen-bot
        Image: phigen-bot:latest
        Context: .
        Docker""");
    assertThat(render(build.toBuilder().action("succeeded").attribute("duration", "2m 15s").attribute("size", "450MB")
        .attribute("layers", "12").build(), TextFormat.PLAIN).toPlainText()).isEqualTo("""
        ✅ Build Complete: phigen-bot
        Duration: 2m 15s
        Size: 450MB
        Layers: 12
        Ready to deploy
        Docker""");
  }

  @Test
  void alertFiringAndResolvedFromAlertmanagerShapes() {
    WebhookEvent firing = WebhookEvent.builder("a1", "alertmanager", "alert").action("firing").subject("HighCPU")
        .severity(Severity.CRITICAL).status("firing").receivedAt(Events.AT)
        .payload(Events.json("{\"commonLabels\": {\"severity\": \"critical\"}, \"commonAnnotations\": {\"summary\": \"CPU usage at 95%\"}}"))
        .build();

    Notification n = render(firing, TextFormat.PLAIN);
    Notification r = render(firing.toBuilder().action("resolved").severity(Severity.OK).build(), TextFormat.PLAIN);

    assertThat(n.title()).isEqualTo("🔥 Alert firing: HighCPU");
    assertThat(n.fields()).extracting(Notification.Field::value).containsExactly("critical", "firing");
    assertThat(n.description()).isEqualTo("CPU usage at 95%");
    assertThat(n.color()).contains(MessageTemplate.RED);
    assertThat(r.title()).isEqualTo("✅ Alert resolved: HighCPU");
    assertThat(r.color()).contains(MessageTemplate.GREEN);
  }

  @Test
  void valuesAreEscapedForEachSinkButLinksAndLogBlocksAreNot() {
    WebhookEvent e = Events.containerDied().toBuilder().subject("<b>api</b> & *db*")
        .attribute("last_logs", "if a < b && c > d: print(\"*ok*\")").url("https://x.example/?a=1&b=2").build();

    Notification html = render(e, TextFormat.HTML);
    Notification md = render(e, TextFormat.DISCORD_MARKDOWN);
    Notification slack = render(e, TextFormat.SLACK_MRKDWN);

    assertThat(html.title()).isEqualTo("🚨 Container Stopped: &lt;b&gt;api&lt;/b&gt; &amp; *db*");
    assertThat(html.description()).isEqualTo("Last logs:\n<pre>if a &lt; b &amp;&amp; c &gt; d: print(&quot;*ok*&quot;)</pre>");
    assertThat(md.title()).isEqualTo("🚨 Container Stopped: <b\\>api</b\\> & \\*db\\*");
    assertThat(md.description()).isEqualTo("Last logs:\n```\nif a < b && c > d: print(\"*ok*\")\n```");
    assertThat(slack.title()).isEqualTo("🚨 Container Stopped: &lt;b&gt;api&lt;/b&gt; &amp; *db*");
    assertThat(html.url()).contains("https://x.example/?a=1&b=2");
  }

  @Test
  void overridesByKindWinOverTypeAndDefault() {
    MessageTemplates t = MessageTemplates.defaults()
        .with("push", MessageTemplate.of("📤 **{{author}}** pushed to **{{branch}}**\nCommits: {{commit_count}}\nLatest: {{latest_commit_message}}"));

    Notification n = t.forEvent(Events.githubPush()).render(Events.githubPush(), TextFormat.DISCORD_MARKDOWN);

    assertThat(n.description()).isEqualTo("📤 **Codertocat** pushed to **master**\nCommits: 1\nLatest: Initial commit");
    assertThat(t.forEvent(ci("unknown-type", "x")).render(ci("unknown-type", "x"), TextFormat.PLAIN).title())
        .isEqualTo("🔔 GitLab unknown-type x");
  }

  @Test
  void aTemplateThatDoesNotCompileIsRefusedWhenBuilt() {
    assertThatThrownBy(() -> MessageTemplate.of("{{#open}} never closed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid template '{{#open}} never closed'");
    assertThatThrownBy(() -> MessageTemplate.of("{$..}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid JsonPath '$..' in template: Path must not end with a '.' or '..'");
  }
}
