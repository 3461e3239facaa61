package org.audienceroutes.observe;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class HealthChecksTest {

    @Test
    void theLedgerCheckIsDownWithTheReasonWhileItsDatabaseCannotBeReached() {
        LedgerDatabaseCheck check = new LedgerDatabaseCheck(new UnreachableDatabase());
        check.setCamelContext(new DefaultCamelContext());

        HealthCheck.Result result = check.call(Map.of());

        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).contains("the ledger's database cannot be reached: Connection to 127.0.0.1:5432 refused");
        assertThat(check.isLiveness()).as("a lost database makes an instance unready, not dead").isFalse();
    }

    @Test
    void theCredentialsCheckFollowsSegmentsLastWordOnTheToken() {
        SegmentCredentialsCheck check = new SegmentCredentialsCheck();
        check.setCamelContext(new DefaultCamelContext());

        check.answered(403);
        HealthCheck.Result refused = check.call(Map.of());
        check.answered(429);
        HealthCheck.Result accepted = check.call(Map.of());

        assertThat(refused.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(refused.getMessage()).contains("Segment refused the token: HTTP 403 (the token lacks the permission)");
        assertThat(accepted.getState()).isEqualTo(HealthCheck.State.UP);
    }

    /** A database whose server does not answer, as the PostgreSQL driver reports it. */
    private static final class UnreachableDatabase implements DataSource {
        @Override public Connection getConnection() throws SQLException {
            throw new SQLException("Connection to 127.0.0.1:5432 refused");
        }
        @Override public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }
        @Override public PrintWriter getLogWriter() { return null; }
        @Override public void setLogWriter(PrintWriter out) { }
        @Override public void setLoginTimeout(int seconds) { }
        @Override public int getLoginTimeout() { return 0; }
        @Override public Logger getParentLogger() { return Logger.getGlobal(); }
        @Override public <T> T unwrap(Class<T> iface) { throw new UnsupportedOperationException(); }
        @Override public boolean isWrapperFor(Class<?> iface) { return false; }
    }
}
