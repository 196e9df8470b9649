package dev.hooks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hooks.HooksException;
import dev.hooks.jdbc.internal.Dialect;
import dev.hooks.jdbc.internal.InsertOnlyJournal;
import dev.hooks.jdbc.internal.JournalBodyCompression;
import dev.hooks.journal.Durability;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of hooks-jdbc: connects to H2 or PostgreSQL, brings the schema up to date
 * (Flyway, history in {@code hooks_schema_history}) and hands out the {@link JdbcEventJournal},
 * the {@link JdbcStateStore} and the {@link JdbcNotificationOutbox} that share its connection
 * pool.
 *
 * <p>With no URL it uses the embedded H2 file {@code ./data/hooks} (nothing to install, one
 * process). For several replicas point every replica at one PostgreSQL:
 *
 * <pre>{@code
 * try (JdbcJournals db = JdbcJournals.builder()
 *     .url("jdbc:postgresql://db.internal:5432/hooks")
 *     .user("hooks")
 *     .password(System.getenv("HOOKS_DB_PASSWORD"))
 *     .durability(Durability.SYNC)
 *     .dedupeTtl("github", Duration.ofDays(3))
 *     .build()) {
 *   EventJournal journal = db.eventJournal();
 *   StateStore state = db.stateStore();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} (or closing the journal) stops the journal's writer and
 * closes the pool this instance created; a {@link DataSource} passed in is not closed.
 */
public final class JdbcJournals implements AutoCloseable {
  /** The embedded default: an H2 file under {@code ./data}. */
  public static final String DEFAULT_URL = "jdbc:h2:file:./data/hooks";

  private final @Nullable HikariDataSource ownPool;
  private final JdbcEventJournal journal;
  private final JdbcStateStore stateStore;
  private final JdbcNotificationOutbox outbox;
  private final Dialect dialect;
  private volatile boolean closed;

  private JdbcJournals(Builder b) {
    DataSource ds;
    boolean asyncSessions = b.dataSource == null && b.url.startsWith("jdbc:postgresql:") && b.durability == Durability.OS;
    if (b.dataSource != null) {
      ds = b.dataSource;
      ownPool = null;
    } else {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(ownedLifecycle(b.url));
      config.setUsername(b.user);
      config.setPassword(b.password);
      config.setMaximumPoolSize(b.maxPoolSize);
      config.setPoolName("hooks-jdbc");
      if (asyncSessions) {
        // Durability.OS on PostgreSQL: commits are acknowledged without waiting for the WAL
        // flush, as the session default, so each write is one statement; claims switch back to
        // synchronous commits for their transaction.
        config.setConnectionInitSql("SET synchronous_commit TO off");
      }
      try {
        ownPool = new HikariDataSource(config);
      } catch (RuntimeException e) {
        throw new HooksException("cannot connect to " + b.url + " as '" + b.user + "': " + e.getMessage()
            + "; check hooks-jdbc's url, user and password", e);
      }
      ds = ownPool;
    }
    try {
      try (Connection c = ds.getConnection()) {
        dialect = Dialect.of(c);
      }
      if (b.migrate) {
        Flyway.configure()
            .dataSource(ds)
            .locations("classpath:db/migration/hooks")
            .javaMigrations(new JournalBodyCompression(), new InsertOnlyJournal())
            .table("hooks_schema_history")
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
      }
    } catch (SQLException | FlywayException | IllegalArgumentException e) {
      closePool();
      throw new HooksException("cannot open the hooks database: " + e.getMessage(), e);
    }
    this.journal = new JdbcEventJournal(ds, dialect, asyncSessions, b, this::close);
    this.stateStore = new JdbcStateStore(ds, asyncSessions, dialect);
    this.outbox = new JdbcNotificationOutbox(ds, dialect, asyncSessions, b.durability);
  }

  /**
   * H2 closes a file database from its own shutdown hook, which can run while the dispatcher is
   * still draining and writing outcomes; this instance closes the database itself, last, so an
   * H2 URL it opens gets {@code DB_CLOSE_ON_EXIT=FALSE} unless the URL sets it.
   */
  static String ownedLifecycle(String url) {
    return url.startsWith("jdbc:h2:") && !url.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_ON_EXIT")
        ? url + ";DB_CLOSE_ON_EXIT=FALSE"
        : url;
  }

  /** A builder starting from the embedded H2 default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The embedded H2 file {@code ./data/hooks} with every default. */
  public static JdbcJournals ofDefaults() {
    return builder().build();
  }

  /** The journal; the same instance on every call. */
  public JdbcEventJournal eventJournal() {
    return journal;
  }

  /** The versioned state store; the same instance on every call. */
  public JdbcStateStore stateStore() {
    return stateStore;
  }

  /** The notification outbox; the same instance on every call. */
  public JdbcNotificationOutbox outbox() {
    return outbox;
  }

  /** Whether the database is H2 (one process) rather than PostgreSQL. */
  public boolean isEmbedded() {
    return dialect == Dialect.H2;
  }

  /** Closes the journal and the pool this instance created. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    journal.close();
    closePool();
  }

  private void closePool() {
    if (ownPool != null) {
      ownPool.close();
    }
  }

  /**
   * Configures {@link JdbcJournals}. Not thread-safe.
   *
   * <p>Defaults: URL {@value JdbcJournals#DEFAULT_URL}, user {@code sa}, empty password, pool of
   * 10, {@link Durability#OS}, dedupe keys kept 7 days, done entries kept 7 days and purged every
   * 10 minutes, write queue of 10,000 appends, batches of up to 500, one writer thread, append
   * timeout 10 seconds.
   */
  public static final class Builder {
    String url = DEFAULT_URL;
    String user = "sa";
    String password = "";
    @Nullable DataSource dataSource;
    int maxPoolSize = 10;
    Durability durability = Durability.OS;
    Duration dedupeTtl = Duration.ofDays(7);
    final Map<String, Duration> dedupeTtls = new HashMap<>();
    Duration retainDone = Duration.ofDays(7);
    Duration purgeInterval = Duration.ofMinutes(10);
    int appendQueueCapacity = 10_000;
    int maxBatch = 500;
    int writerThreads = 1;
    Duration appendTimeout = Duration.ofSeconds(10);
    Clock clock = Clock.systemUTC();
    boolean migrate = true;

    private Builder() {}

    /** JDBC URL: {@code jdbc:h2:file:PATH} or {@code jdbc:postgresql://HOST:PORT/DB}. */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Uses this data source instead of a pool built from URL, user and password; it is not closed. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** Maximum connections of the pool built from the URL. */
    public Builder maxPoolSize(int maxPoolSize) {
      this.maxPoolSize = positive(maxPoolSize, "maxPoolSize");
      return this;
    }

    /** When {@code append} returns: {@link Durability#OS} (default) or {@link Durability#SYNC}. */
    public Builder durability(Durability durability) {
      if (durability == Durability.MEMORY) {
        throw new IllegalArgumentException("a JDBC journal is durable; use InMemoryEventJournal for Durability.MEMORY");
      }
      this.durability = durability;
      return this;
    }

    /** How long a delivery id is remembered after it was received, for endpoints without their own. */
    public Builder dedupeTtl(Duration ttl) {
      this.dedupeTtl = nonNegative(ttl, "dedupeTtl");
      return this;
    }

    /** How long delivery ids of {@code endpointId} are remembered; long for schemes without timestamps. */
    public Builder dedupeTtl(String endpointId, Duration ttl) {
      dedupeTtls.put(Objects.requireNonNull(endpointId, "endpointId"), nonNegative(ttl, "dedupeTtl"));
      return this;
    }

    /** How long done entries are kept (by their receive time) before the purge removes them. */
    public Builder retainDone(Duration retain) {
      this.retainDone = nonNegative(retain, "retainDone");
      return this;
    }

    /** How often the purge runs; {@link Duration#ZERO} turns the schedule off. */
    public Builder purgeInterval(Duration interval) {
      this.purgeInterval = nonNegative(interval, "purgeInterval");
      return this;
    }

    /** Appends that may wait for the writer; past it {@code append} waits, then fails. */
    public Builder appendQueueCapacity(int capacity) {
      this.appendQueueCapacity = positive(capacity, "appendQueueCapacity");
      return this;
    }

    /** The most appends stored in one transaction. */
    public Builder maxBatch(int maxBatch) {
      this.maxBatch = positive(maxBatch, "maxBatch");
      return this;
    }

    /** Threads that write batches; more than one helps PostgreSQL over a network. */
    public Builder writerThreads(int threads) {
      this.writerThreads = positive(threads, "writerThreads");
      return this;
    }

    /** The longest {@code append} waits for room in the queue and for its commit. */
    public Builder appendTimeout(Duration timeout) {
      this.appendTimeout = nonNegative(timeout, "appendTimeout");
      return this;
    }

    /** The clock of the purge schedule and dedupe expiry. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Whether to create or upgrade the schema at start (default true). */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Connects, migrates the schema and starts the journal's writer.
     *
     * @throws HooksException if the database cannot be reached or migrated; the message names
     *     the URL and user, never the password
     */
    public JdbcJournals build() {
      return new JdbcJournals(this);
    }

    private static int positive(int n, String name) {
      if (n <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was " + n);
      }
      return n;
    }

    private static Duration nonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
