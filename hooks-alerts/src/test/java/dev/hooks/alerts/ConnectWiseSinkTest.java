package dev.hooks.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectWiseSinkTest extends IncidentSinkContract {
  private ConnectWiseServer cw;

  @BeforeEach
  void start() throws Exception {
    cw = ConnectWiseServer.standard();
  }

  @AfterEach
  void stop() throws Exception {
    cw.close();
  }

  private ConnectWiseSink.Builder builder() {
    return ConnectWiseSink.builder("cw", cw.url()).credentials("acme", "pub", "priv", "client-1").board("Alerts")
        .statuses("New", "Closed");
  }

  @Override
  protected IncidentSink sink() {
    return builder().build();
  }

  @Override
  protected String stateOf(String ref) {
    return cw.ticket(ref).status.equals("Closed") ? "closed" : "open";
  }

  @Override
  protected void failNext() {
    cw.failNext(1);
  }

  @Override
  protected IncidentSink refusedSink() {
    return builder().credentials("acme", "pub", "wrong", "client-1").build();
  }

  @Test
  void sendsConnectWisesDocumentedAuthAndRoutes() throws Exception {
    ConnectWiseSink s = builder().priority("Priority 3 - Normal Response").build();
    String ref = s.open(new Ticket("fp", "Alert: db down", "Host db-1 unreachable", "High", "Database Team", "AcmeCorp", null, null));
    s.note(ref, ticket(), "still down");
    s.close(ref, ticket());

    assertThat(cw.received()).extracting(ConnectWiseServer.Received::method).containsExactly("POST", "POST", "PATCH");
    assertThat(cw.received()).extracting(ConnectWiseServer.Received::path).containsExactly(
        "/v4_6_release/apis/3.0/service/tickets", "/v4_6_release/apis/3.0/service/tickets/" + ref + "/notes",
        "/v4_6_release/apis/3.0/service/tickets/" + ref);
    // base64("acme+pub:priv"), computed by hand
    assertThat(cw.received()).extracting(ConnectWiseServer.Received::authorization).containsOnly("Basic YWNtZStwdWI6cHJpdg==");
    assertThat(cw.received()).extracting(ConnectWiseServer.Received::clientId).containsOnly("client-1");
    assertThat(cw.received().get(2).body()).isEqualTo("[{\"op\":\"replace\",\"path\":\"status/name\",\"value\":\"Closed\"}]");
    ConnectWiseServer.Ticket t = cw.ticket(ref);
    assertThat(t.board).isEqualTo("Database Team");
    assertThat(t.company).isEqualTo("AcmeCorp");
    assertThat(t.priority).isEqualTo("Priority 3 - Normal Response");
    assertThat(t.notes).containsExactly("still down");
  }

  @Test
  void aMissingClientIdIsRefusedWithConnectWisesMessage() {
    ConnectWiseSink s = builder().credentials("acme", "pub", "priv", "other-client").build();
    assertThatThrownBy(() -> s.open(ticket())).isInstanceOf(SinkException.class)
        .hasMessage("ConnectWise create ticket answered 401: {\"code\":\"Unauthorized\",\"message\":\"A clientId header is required for this request\"}");
  }

  @Test
  void anUnknownStatusIsRefusedNamingTheField() {
    ConnectWiseSink s = builder().statuses("Nieuw", "Closed").build();
    assertThatThrownBy(() -> s.open(ticket())).isInstanceOf(SinkException.class)
        .hasMessageContaining("\"field\":\"status\"").hasMessageContaining("Status 'Nieuw' is not valid for board Alerts");
  }

  @Test
  void aNoteOnAnUnknownTicketIsRefused() {
    assertThatThrownBy(() -> sink().note("999999", ticket(), "x")).isInstanceOf(SinkException.class)
        .hasMessageContaining("answered 404").hasMessageContaining("Ticket ID 999999 not found");
  }

  @Test
  void findOpenLooksUpAnOpenTicketOfTheSameSummary() throws Exception {
    String ref = sink().open(ticket());
    assertThat(sink().findOpen(ticket())).contains(ref);
    sink().close(ref, ticket());
    assertThat(sink().findOpen(ticket())).isEmpty();
  }

  @Test
  void aMissingSettingStopsTheBuildNamingTheVariable() {
    assertThatThrownBy(() -> ConnectWiseSink.builder("cw", cw.url()).credentials("acme", "pub", "", "c").board("b").statuses("N", "C").build())
        .hasMessage("connectwise sink 'cw': private-key is empty; set it to ${CW_PRIVATE_KEY}");
    assertThat(builder().build().toString()).doesNotContain("priv");
  }
}
