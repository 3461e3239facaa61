package org.audienceroutes.ledger;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's PostgreSQL database, migrated to the current schema: either an external server that the
 * service's instances share, or a real PostgreSQL 17 that this process runs on a data directory of its own.
 */
public final class LedgerDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerDatabase.class);

    private static final int POOL_SIZE = 4;
    /** Also bounds how long {@link #answers()} waits for a connection when the server is down. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    private static final int ANSWER_TIMEOUT_SECONDS = 2;
    /** Generous: after a crash the server replays its write-ahead log before it accepts connections. */
    private static final Duration EMBEDDED_STARTUP_WAIT = Duration.ofSeconds(60);
    private static final String EMBEDDED_HOST = "127.0.0.1";
    private static final String EMBEDDED_USER = "postgres";
    private static final String MIGRATIONS = "classpath:db/ledger";
    /** Its own history table, so that other Flyway-managed schemas can share an external database. */
    private static final String SCHEMA_HISTORY_TABLE = "ledger_schema_history";

    private final HikariDataSource pool;
    private final Closeable server;

    private LedgerDatabase(HikariDataSource pool, Closeable server) {
        this.pool = pool;
        this.server = server;
    }

    /** An external PostgreSQL; the password is handed to the driver and never logged. */
    public static LedgerDatabase connect(String jdbcUrl, String username, String password) {
        return open(jdbcUrl, username, password, () -> { });
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory} (created and initialised if needed, kept across restarts),
     * listening on 127.0.0.1 only and durable: fsync and synchronous commit on, unlike the embedded defaults.
     * A server that a killed previous run left on the directory is stopped first; a directory that a running
     * service uses is refused with an {@link IllegalStateException}.
     *
     * @param port 0 picks a free one
     */
    public static LedgerDatabase embedded(Path dataDirectory, int port) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the ledger data directory " + directory, e);
        }
        LeftoverPostmaster.clear(directory);
        EmbeddedPostgres server = startServer(directory, port);
        LOG.info("Ledger PostgreSQL listens on {}:{}, data in {}", EMBEDDED_HOST, server.getPort(), directory);
        String jdbcUrl = "jdbc:postgresql://" + EMBEDDED_HOST + ":" + server.getPort() + "/postgres";
        try {
            return open(jdbcUrl, EMBEDDED_USER, null, server);
        } catch (RuntimeException e) {
            closeQuietly(server, e);
            throw e;
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Whether the database runs a query now; false rather than an exception, within a few seconds. */
    public boolean answers() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(ANSWER_TIMEOUT_SECONDS);
            statement.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            LOG.debug("Ledger database does not answer", e);
            return false;
        }
    }

    /** Closes the connections, then stops the embedded server, if any. */
    @Override
    public void close() {
        try (Closeable stopServer = server) {
            pool.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the ledger's embedded PostgreSQL", e);
        }
    }

    private static EmbeddedPostgres startServer(Path directory, int port) {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(EMBEDDED_STARTUP_WAIT)
                    .setServerConfig("listen_addresses", EMBEDDED_HOST)
                    // the embedded defaults trade durability for speed: -F (fsync off) and synchronous_commit off
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // byte order for command ids, whatever locales the machine has
                    .setLocaleConfig("locale", "C")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the ledger's embedded PostgreSQL in " + directory, e);
        }
    }

    private static LedgerDatabase open(String jdbcUrl, String username, String password, Closeable server) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ledger");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        HikariDataSource pool = new HikariDataSource(config);
        try {
            migrate(pool);
            return new LedgerDatabase(pool, server);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Flyway holds a PostgreSQL advisory lock while it migrates: instances starting together take turns. */
    private static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .table(SCHEMA_HISTORY_TABLE)
                // a shared database may hold other tables already; a baseline below V1 still applies V1
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    private static void closeQuietly(Closeable server, RuntimeException failure) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
