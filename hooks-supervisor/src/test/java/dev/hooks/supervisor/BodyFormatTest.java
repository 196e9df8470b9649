package dev.hooks.supervisor;

import dev.hooks.parsers.SupervisorListenerEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.event.Delivery;
import dev.hooks.event.Headers;
import dev.hooks.event.WebhookEvent;
import dev.hooks.parsers.SupervisorPayloadParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BodyFormatTest {
  private static final Instant AT = Instant.parse("2026-12-07T01:02:03Z");

  /**
   * The event of superhooks' README ("will produce following payload for an crashing process
   * named envoy"), its tokens in the order the README's pheaders_all shows them.
   */
  private static final SupervisorListenerEvent README_EVENT = SupervisorListenerEvent.parse(
      "ver:3.0 server:supervisor serial:21 pool:superhooks poolserial:10 eventname:PROCESS_STATE_EXITED len:70",
      "from_state:RUNNING processname:meow pid:25232 expected:0 groupname:cat".getBytes(StandardCharsets.UTF_8));

  /** The README's body, verbatim. */
  private static final String README_BODY = "from_state=RUNNING&a=b&c=d&event_name=PROCESS_STATE_EXITED&process_name=cat%3Ameow"
      + "&pheaders_all=from_state%3ARUNNING+processname%3Ameow+pid%3A25232+expected%3A0+groupname%3Acat+";

  private static Set<String> pairs(String form) {
    return Arrays.stream(form.split("&")).collect(Collectors.toSet());
  }

  @Test
  void formIsSuperhooksReadmeBodyFieldForField() {
    String body = new String(BodyFormat.FORM.render(README_EVENT, "msg_1", AT, ListenerOptions.items("a^b^^c^d")),
        StandardCharsets.US_ASCII);
    // The README was made on Python 2, whose dicts had no order; superhooks on Python 3.7+ sends
    // its fields in insertion order: process_name, from_state, event_name, pheaders_all, the -d items.
    assertThat(pairs(body)).isEqualTo(pairs(README_BODY));
    assertThat(body).isEqualTo("process_name=cat%3Ameow&from_state=RUNNING&event_name=PROCESS_STATE_EXITED"
        + "&pheaders_all=from_state%3ARUNNING+processname%3Ameow+pid%3A25232+expected%3A0+groupname%3Acat+&a=b&c=d");
    assertThat(body.length()).isEqualTo(177); // the README's Content-Length
  }

  @Test
  void dumpParamsIsTheEventNameAndOneTokenPerLine() {
    // superhooks: eventname + '\n' + pheaders_all.replace(' ', '\n').replace(':', ': ')
    Map<String, String> fields = BodyFormat.fields(README_EVENT, ListenerOptions.items("chat_id^42^^text^dump_params^^disable_notifications^true"));
    assertThat(fields.get("text")).isEqualTo("PROCESS_STATE_EXITED\nfrom_state: RUNNING\nprocessname: meow\npid: 25232\nexpected: 0\ngroupname: cat\n");
    assertThat(fields.keySet()).containsExactly("process_name", "from_state", "event_name", "pheaders_all", "chat_id", "text",
        "disable_notifications");
  }

  @Test
  void formEncodingIsPythonsQuotePlus() {
    StringBuilder out = new StringBuilder();
    // urllib.parse.quote_plus("a b*~ü/:&=") == 'a+b%2A~%C3%BC%2F%3A%26%3D'
    FormEncoding.quotePlus("a b*~ü/:&=", out);
    assertThat(out).hasToString("a+b%2A~%C3%BC%2F%3A%26%3D");
  }

  @Test
  void itemsSkipWhatIsNotAKeyAndAValueAsSuperhooksDoes() {
    assertThat(ListenerOptions.items("a^b^^broken^^c^d^e^^f^")).containsExactly(Map.entry("a", "b"), Map.entry("f", ""));
  }

  @Test
  void everyFormatReadsBackThroughTheSupervisorParserAsTheSameEvent() throws Exception {
    List<Map.Entry<String, String>> data = ListenerOptions.items("env^prod");
    WebhookEvent fromForm = parse(BodyFormat.FORM, data);
    assertThat(fromForm.action()).contains("exited");
    assertThat(fromForm.attributes()).containsEntry("process_name", "cat:meow").containsEntry("pid", "25232")
        .containsEntry("expected", "0").containsEntry("from_state", "RUNNING");
    for (BodyFormat f : List.of(BodyFormat.JSON, BodyFormat.DISCORD, BodyFormat.SLACK)) {
      WebhookEvent e = parse(f, data);
      assertThat(e.action()).as(f.name()).isEqualTo(fromForm.action());
      assertThat(e.subject()).as(f.name()).isEqualTo(fromForm.subject());
      assertThat(e.severity()).as(f.name()).isEqualTo(fromForm.severity());
      assertThat(e.attributes()).as(f.name()).isEqualTo(fromForm.attributes());
    }
  }

  @Test
  void discordAndSlackBodiesAreWhatTheirWebhooksTake() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode discord = json.readTree(BodyFormat.DISCORD.render(README_EVENT, "msg_1", AT, List.of()));
    JsonNode embed = discord.path("embeds").path(0);
    assertThat(embed.path("title").asText()).isEqualTo("cat:meow EXITED unexpectedly (from RUNNING)");
    assertThat(embed.path("color").asInt()).isEqualTo(0xe67e22);
    assertThat(embed.path("timestamp").asText()).isEqualTo("2026-12-07T01:02:03Z");
    Map<String, String> fields = new LinkedHashMap<>();
    embed.path("fields").forEach(f -> fields.put(f.path("name").asText(), f.path("value").asText()));
    assertThat(fields).containsExactly(Map.entry("Process", "cat:meow"), Map.entry("Event", "PROCESS_STATE_EXITED"),
        Map.entry("From", "RUNNING"), Map.entry("PID", "25232"), Map.entry("Expected", "0"));
    JsonNode slack = json.readTree(BodyFormat.SLACK.render(README_EVENT, "msg_1", AT, List.of()));
    assertThat(slack.path("text").asText()).isEqualTo("cat:meow EXITED unexpectedly (from RUNNING)");
    assertThat(slack.path("attachments").path(0).path("color").asText()).isEqualTo("#e67e22");
    assertThat(slack.path("attachments").path(0).path("fields").path(0).path("title").asText()).isEqualTo("Process");
  }

  private static WebhookEvent parse(BodyFormat format, List<Map.Entry<String, String>> data) {
    byte[] body = format.render(README_EVENT, "msg_1", AT, data);
    Delivery d = Delivery.builder("supervisor")
        .headers(Headers.builder().add("Content-Type", format.contentType()).build())
        .body(body)
        .receivedAt(AT)
        .build();
    return new SupervisorPayloadParser().parse(d).event();
  }
}
