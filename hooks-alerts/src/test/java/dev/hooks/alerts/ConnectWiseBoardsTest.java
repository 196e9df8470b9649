package dev.hooks.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hooks.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectWiseBoardsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
  private ConnectWiseServer cw;

  @BeforeEach
  void start() throws Exception {
    cw = ConnectWiseServer.standard();
  }

  @AfterEach
  void stop() throws Exception {
    cw.close();
  }

  private ConnectWiseSink sink(String privateKey) {
    return ConnectWiseSink.builder("cw", cw.url()).credentials("acme", "pub", privateKey, "client-1").board("Alerts")
        .statuses("New", "Closed").build();
  }

  @Test
  void secondCallWithinTheTtlIsAnsweredFromTheCache() throws Exception {
    ConnectWiseBoards boards = new ConnectWiseBoards(sink("priv"), Duration.ofMinutes(5), clock);

    JsonNode first = new ObjectMapper().readTree(boards.boards());
    clock.advance(Duration.ofMinutes(4));
    String second = boards.boards();

    assertThat(first.isArray()).isTrue();
    assertThat(first.findValuesAsText("name")).contains("Alerts", "Database Team", "Frontend Team");
    assertThat(first.get(0).path("id").isInt()).isTrue();
    assertThat(second).isEqualTo(first.toString());
    assertThat(cw.boardRequests()).isEqualTo(1);
    ConnectWiseServer.Received r = cw.received().get(0);
    // base64("acme+pub:priv"), computed by hand
    assertThat(r.authorization()).isEqualTo("Basic YWNtZStwdWI6cHJpdg==");
    assertThat(r.clientId()).isEqualTo("client-1");
  }

  @Test
  void anExpiredCacheAsksConnectWiseAgain() throws Exception {
    ConnectWiseBoards boards = new ConnectWiseBoards(sink("priv"), Duration.ofMinutes(5), clock);
    boards.boards();
    clock.advance(Duration.ofMinutes(5));
    boards.boards();

    assertThat(cw.boardRequests()).isEqualTo(2);
  }

  @Test
  void anErrorOfConnectWiseCarriesItsStatusAndBodyAndIsNotCached() throws Exception {
    ConnectWiseBoards boards = new ConnectWiseBoards(sink("wrong"), Duration.ofMinutes(5), clock);

    assertThatThrownBy(boards::boards).isInstanceOf(SinkException.class)
        .hasMessageContaining("answered 401").hasMessageContaining("Authentication failed");
    assertThatThrownBy(boards::boards).isInstanceOf(SinkException.class);
    assertThat(cw.boardRequests()).isEqualTo(2);
  }
}
