package org.audienceroutes.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;

/**
 * One real PostgreSQL for the whole test JVM, as the shared ledger database of a real deployment; each
 * test class gets a database of its own, so that commandIds of different classes never meet.
 */
public final class SharedLedgerDatabase {

    private static EmbeddedPostgres server;
    private static boolean durable;

    private SharedLedgerDatabase() {}

    /**
     * Makes the server, when it starts, as durable as the service's own embedded ledger (fsync and synchronous
     * commit on), for measurements; tests keep zonky's faster defaults, which lose nothing unless the machine dies.
     */
    public static synchronized void durableLikeTheService() {
        if (server != null) {
            throw new IllegalStateException("the shared PostgreSQL is already running");
        }
        durable = true;
    }

    /** The service settings that point the ledger at the database named after {@code name}, created on first use. */
    public static synchronized Map<String, String> settingsFor(String name) {
        String database = "ledger_" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        try (Connection connection = server().getPostgresDatabase().getConnection()) {
            if (!exists(connection, database)) {
                try (Statement create = connection.createStatement()) {
                    create.execute("CREATE DATABASE " + database);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the ledger database " + database, e);
        }
        return Map.of("ledger.jdbc-url", server().getJdbcUrl("postgres", database), "ledger.username", "postgres");
    }

    private static boolean exists(Connection connection, String database) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
                if (durable) {
                    builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
                }
                server = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the shared PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(SharedLedgerDatabase::stop, "shared-ledger-shutdown"));
        }
        return server;
    }

    private static void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
