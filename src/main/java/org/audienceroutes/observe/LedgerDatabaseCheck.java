package org.audienceroutes.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** UP while the ledger's database answers within the timeout: without it no command can be claimed or answered. */
public class LedgerDatabaseCheck extends AbstractHealthCheck {

    private static final int TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;

    public LedgerDatabaseCheck(DataSource dataSource) {
        super("ledger", "ledger-database");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(TIMEOUT_SECONDS)) {
                builder.up();
            } else {
                builder.down().message("the ledger's database did not answer within " + TIMEOUT_SECONDS + " s");
            }
        } catch (SQLException e) {
            builder.down().message("the ledger's database cannot be reached: " + e.getMessage());
        }
    }
}
