package dev.hooks.alerts;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The contract on a real PostgreSQL (io.zonky.test embedded binaries), two stores with their own data sources. */
class JdbcIncidentStorePostgresIT extends IncidentStoreContract {
  private static EmbeddedPostgres pg;
  private JdbcIncidentStore first;
  private JdbcIncidentStore second;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @BeforeEach
  void open() throws Exception {
    first = new JdbcIncidentStore(pg.getPostgresDatabase());
    second = new JdbcIncidentStore(pg.getPostgresDatabase());
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE hooks_alerts_incident, hooks_alerts_lock");
    }
  }

  @Override
  protected IncidentStore store() {
    return first;
  }

  @Override
  protected IncidentStore second() {
    return second;
  }
}
