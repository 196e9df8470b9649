package dev.hooks.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hooks.event.Delivery;
import dev.hooks.event.Severity;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parse.ParseResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DockerEngineEventParserTest {
  private final DockerEngineEventParser parser = new DockerEngineEventParser();

  private ParseResult parse(String json) {
    return parser.parse(Delivery.builder("docker-engine").body(json.getBytes(StandardCharsets.UTF_8)).receivedAt(Instant.EPOCH).build());
  }

  @Test
  void aDieEventOfTheEngineWithTheSourcesContainerDetailsCarriesExitCodeUptimeAndLogs() {
    // The Engine event as GET /events emits it, from the Docker CLI reference's `docker events
    // --format '{{json .}}'` example (die with exitCode 137), plus the Container object the
    // source adds.
    String json = """
        {"status":"die","id":"405efae3b420464a9da7be7cd9de8d2ff160ffcfdac01517d9b686e8137f9053","from":"alpine",
         "Type":"container","Action":"die",
         "Actor":{"ID":"405efae3b420464a9da7be7cd9de8d2ff160ffcfdac01517d9b686e8137f9053",
                  "Attributes":{"exitCode":"137","image":"alpine","name":"alpine"}},
         "time":1473107901,"timeNano":1473107901922774300,
         "Container":{"Name":"alpine","Image":"alpine","ExitCode":137,"OOMKilled":true,"UptimeSeconds":8115,
                      "Logs":["allocating","MemoryError: Out of memory"]}}
        """;
    WebhookEvent e = parse(json).event();
    assertThat(e.id()).isEqualTo("1473107901922774300-405efae3b420464a9da7be7cd9de8d2ff160ffcfdac01517d9b686e8137f9053-die");
    assertThat(e.provider()).isEqualTo("docker");
    assertThat(e.action()).contains("died");
    assertThat(e.severity()).isEqualTo(Severity.ERROR);
    assertThat(e.subject()).contains("alpine");
    assertThat(e.attribute("exit_code")).contains("137");
    assertThat(e.attribute("oom_killed")).contains("true");
    assertThat(e.attribute("uptime")).contains("2h 15m 15s");
    assertThat(e.attribute("uptime_seconds")).contains("8115");
    assertThat(e.attribute("logs")).contains("allocating\nMemoryError: Out of memory");
    assertThat(e.occurredAt()).contains(Instant.ofEpochSecond(1473107901, 922774300));
  }

  @Test
  void aZeroExitIsInformationalAndAHealthTransitionKeepsItsWord() {
    String die = """
        {"Type":"container","Action":"die","Actor":{"ID":"c1","Attributes":{"exitCode":"0","name":"web"}},"timeNano":5}
        """;
    assertThat(parse(die).event().severity()).isEqualTo(Severity.INFO);
    String unhealthy = """
        {"Type":"container","Action":"health_status: unhealthy","Actor":{"ID":"c1","Attributes":{"name":"web"}},"timeNano":6}
        """;
    WebhookEvent e = parse(unhealthy).event();
    assertThat(e.action()).contains("unhealthy");
    assertThat(e.status()).contains("health_status: unhealthy");
    assertThat(e.severity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void anImagePullNamesTheImage() {
    String pull = """
        {"Type":"image","Action":"pull","Actor":{"ID":"busybox:latest","Attributes":{"name":"busybox"}},"timeNano":7}
        """;
    WebhookEvent e = parse(pull).event();
    assertThat(e.type()).isEqualTo("image");
    assertThat(e.action()).contains("pulled");
    assertThat(e.subject()).contains("busybox:latest");
    assertThat(e.attribute("image")).contains("busybox:latest");
    assertThat(e.attribute("container_id")).isEmpty();
  }

  @Test
  void malformedBodiesAreFailuresNamingTheField() {
    assertThat(parse("not json").failure()).isEqualTo("body is not JSON");
    assertThat(parse("[1]").failure()).isEqualTo("body is not a JSON object");
    assertThat(parse("{\"Type\":\"container\",\"timeNano\":1}").failure()).isEqualTo("missing field Action");
    assertThat(parse("{\"Action\":\"die\",\"Actor\":{\"ID\":\"x\"}}").failure()).isEqualTo("missing field timeNano");
    assertThat(parse("{\"Action\":\"die\",\"timeNano\":1}").failure()).isEqualTo("missing field Actor.ID");
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertThat(DockerEngineEventParser.humanDuration(42)).isEqualTo("42s");
    assertThat(DockerEngineEventParser.humanDuration(61)).isEqualTo("1m 1s");
    assertThat(DockerEngineEventParser.humanDuration(90_061)).isEqualTo("1d 1h 1m 1s");
    assertThat(DockerEngineSource.sinceOf(1_473_107_901_000_000_007L)).isEqualTo("1473107901.000000007");
  }
}
