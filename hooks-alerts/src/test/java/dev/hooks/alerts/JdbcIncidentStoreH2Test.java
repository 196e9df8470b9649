package dev.hooks.alerts;

import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file, the second instance with a data source of its own on the same file. */
class JdbcIncidentStoreH2Test extends IncidentStoreContract {
  @TempDir
  Path dir;
  private JdbcIncidentStore first;
  private JdbcIncidentStore second;

  private JdbcDataSource ds() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dir.resolve("alerts").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  @BeforeEach
  void open() {
    first = new JdbcIncidentStore(ds());
    second = new JdbcIncidentStore(ds());
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
