package dev.hooks.alerts;

import dev.hooks.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hooks.dispatch.PermanentFailureException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open → note on repeat → close → reopen, on the JDBC store in an H2 file re-created between
 * steps (as a restarted server would), into the loopback ConnectWise.
 */
class IncidentLifecycleTest {
  @TempDir
  Path dir;
  private ConnectWiseServer cw;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    cw = ConnectWiseServer.standard();
  }

  @AfterEach
  void stop() throws Exception {
    cw.close();
  }

  private JdbcIncidentStore store() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dir.resolve("alerts").toAbsolutePath());
    return new JdbcIncidentStore(ds);
  }

  private ConnectWiseSink sink() {
    return ConnectWiseSink.builder("cw", cw.url()).credentials("acme", "pub", "priv", "client-1").board("Alerts")
        .statuses("New", "Closed").build();
  }

  private AlertRouter router(Duration reopenWithin) {
    return AlertRouter.builder().endpoint(Payloads.kumaRecipe("kuma").reopenWithin(reopenWithin).build())
        .endpoint(RecipesTest.alertmanagerRecipe()).sink(sink()).store(store()).clock(clock).build();
  }

  @Test
  void openNoteCloseReopenAcrossRecreatedStores() throws Exception {
    HistoryEntry opened = router(Duration.ofMinutes(30)).process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    assertThat(opened.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(cw.tickets()).hasSize(1);
    ConnectWiseServer.Ticket t = cw.ticket(opened.ticket());
    assertThat(t.summary).isEqualTo("Alert: test");
    assertThat(t.board).isEqualTo("Alerts");
    assertThat(t.status).isEqualTo("New");
    assertThat(t.initialDescription).isEqualTo("timeout of 16000ms exceeded");

    clock.advance(Duration.ofMinutes(1));
    HistoryEntry repeat = router(Duration.ofMinutes(30)).process("kuma", "r2", Payloads.json("uptime-kuma/down-enotfound.json")).get(0);
    assertThat(repeat.outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(repeat.ticket()).isEqualTo(opened.ticket());
    assertThat(cw.tickets()).hasSize(1);
    assertThat(t.notes).singleElement().asString().contains("getaddrinfo ENOTFOUND exampleasdsda.com");

    clock.advance(Duration.ofMinutes(1));
    HistoryEntry closed = router(Duration.ofMinutes(30)).process("kuma", "r3", Payloads.json("uptime-kuma/up.json")).get(0);
    assertThat(closed.outcome()).isEqualTo(Outcome.CLOSED);
    assertThat(t.status).isEqualTo("Closed");
    assertThat(store().find(opened.fingerprint())).get().extracting(Incident::open).isEqualTo(false);

    clock.advance(Duration.ofMinutes(10));
    HistoryEntry reopened = router(Duration.ofMinutes(30)).process("kuma", "r4", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    assertThat(reopened.outcome()).isEqualTo(Outcome.REOPENED);
    assertThat(reopened.ticket()).isEqualTo(opened.ticket());
    assertThat(cw.tickets()).hasSize(1);
    assertThat(t.statusChanges).containsExactly("Closed", "New");
    Incident i = store().find(opened.fingerprint()).orElseThrow();
    assertThat(i.open()).isTrue();
    assertThat(i.updates()).isEqualTo(1);
  }

  @Test
  void anOpenAfterTheReopenWindowFilesANewTicket() throws Exception {
    AlertRouter r = router(Duration.ofMinutes(30));
    r.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json"));
    r.process("kuma", "r2", Payloads.json("uptime-kuma/up.json"));
    clock.advance(Duration.ofMinutes(31));
    HistoryEntry again = router(Duration.ofMinutes(30)).process("kuma", "r3", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    assertThat(again.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(cw.tickets()).hasSize(2);
  }

  @Test
  void aRetriedDeliveryAppliesOnce() throws Exception {
    AlertRouter r = router(Duration.ZERO);
    r.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json"));
    HistoryEntry again = router(Duration.ZERO).process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    assertThat(again.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(again.reason()).isEqualTo("already applied");
    assertThat(cw.tickets()).hasSize(1);
    assertThat(cw.tickets().get(0).notes).isEmpty();
  }

  @Test
  void aCloseWithoutAnOpenIncidentIsSkipped() throws Exception {
    HistoryEntry h = router(Duration.ZERO).process("kuma", "r1", Payloads.json("uptime-kuma/up.json")).get(0);
    assertThat(h.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(h.reason()).isEqualTo("close value with no open incident");
    assertThat(cw.tickets()).isEmpty();
  }

  @Test
  void eachAlertOfAGroupIsItsOwnTicketAndTheResolvedOneCloses() throws Exception {
    List<HistoryEntry> firing = router(Duration.ZERO).process("am", "r1", Payloads.json("alertmanager/zulip-alert.json"));
    assertThat(firing).extracting(HistoryEntry::outcome).containsExactly(Outcome.CREATED, Outcome.CREATED);
    // both alerts have the summary "High CPU core temperature": the second is not folded into the first's ticket
    assertThat(cw.tickets()).hasSize(2);
    List<HistoryEntry> resolved = router(Duration.ZERO).process("am", "r2", Payloads.json("alertmanager/zulip-single_alert.json"));
    assertThat(resolved).extracting(HistoryEntry::outcome).containsExactly(Outcome.CLOSED);
    assertThat(cw.ticket(firing.get(0).ticket()).status).isEqualTo("Closed");
    assertThat(cw.ticket(firing.get(1).ticket()).status).isEqualTo("New");
  }

  @Test
  void aTicketLeftOpenByACrashIsAdoptedNotFiledTwice() throws Exception {
    // the ticket exists in ConnectWise, the store never recorded it (crash between answer and commit)
    sink().open(new Ticket("x", "Alert: test", "", "", null, null, null, null));
    HistoryEntry h = router(Duration.ZERO).process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    assertThat(h.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(h.reason()).startsWith("adopted open ticket ");
    assertThat(cw.tickets()).hasSize(1);
  }

  @Test
  void aServerErrorThenSuccessFilesOneTicket() throws Exception {
    AlertRouter r = router(Duration.ZERO);
    cw.failNext(1);
    assertThatThrownBy(() -> r.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")))
        .isInstanceOf(SinkException.class)
        .hasMessageContaining("answered 500: {\"code\":\"UnexpectedServerError\"");
    assertThat(r.history().ofRequest("r1")).extracting(HistoryEntry::outcome).containsExactly(Outcome.FAILED);
    assertThat(store().list()).isEmpty();

    HistoryEntry h = router(Duration.ZERO).process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")).get(0);
    assertThat(h.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(cw.tickets()).hasSize(1);
  }

  @Test
  void aRefusedTicketIsPermanentWithConnectWisesExactMessage() throws Exception {
    AlertRouter r = AlertRouter.builder().endpoint(Payloads.kumaRecipe("kuma").board("No Such Board").build()).sink(sink())
        .store(store()).clock(clock).build();
    assertThatThrownBy(() -> r.process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json")))
        .isInstanceOf(PermanentFailureException.class);
    HistoryEntry h = r.history().ofRequest("r1").get(0);
    assertThat(h.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(h.reason()).isEqualTo("ConnectWise create ticket answered 400: {\"code\":\"InvalidObject\",\"message\":\"ticket object is invalid\","
        + "\"errors\":[{\"code\":\"InvalidObject\",\"message\":\"Board 'No Such Board' was not found\",\"resource\":\"ticket\",\"field\":\"board\"}]}");
  }

  @Test
  void theStoreMigratesOnceAndKeepsIncidentsInTheFile() throws Exception {
    router(Duration.ZERO).process("kuma", "r1", Payloads.json("uptime-kuma/down-timeout.json"));
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).contains("alerts.mv.db");
    assertThat(store().list()).singleElement().extracting(Incident::sink).isEqualTo("cw");
    assertThat(store().list()).singleElement().extracting(Incident::open).isEqualTo(true);
  }
}
