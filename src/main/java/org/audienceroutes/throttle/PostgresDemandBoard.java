package org.audienceroutes.throttle;

import org.audienceroutes.catalogue.SegmentOperation;
import org.audienceroutes.ledger.LedgerAccessException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

/** The demand board in the ledger's PostgreSQL (table {@code pace_demand}), which every instance already shares. */
public final class PostgresDemandBoard implements DemandBoard {

    /** One report at a time across instances, so that of two instances posting at once the second sees the first. */
    private static final String ONE_AT_A_TIME = "SELECT pg_advisory_xact_lock(hashtext('pace_demand'))";
    private static final String FORGET_MINE = "DELETE FROM pace_demand WHERE instance_id = ?";
    private static final String REPORT = "INSERT INTO pace_demand (instance_id, operation, waiting, reported_at) VALUES (?, ?, ?, now())";
    private static final String WAITING = """
            SELECT operation, instance_id FROM pace_demand
            WHERE reported_at > now() - make_interval(secs => ?)""";

    private final DataSource dataSource;

    public PostgresDemandBoard(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Map<SegmentOperation, Set<String>> report(String instanceId, Map<SegmentOperation, Integer> waiting, double staleAfterSeconds) {
        Map<SegmentOperation, Set<String>> instances = new EnumMap<>(SegmentOperation.class);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement(ONE_AT_A_TIME)) {
                    lock.executeQuery().close();
                }
                forget(connection, instanceId);
                try (PreparedStatement report = connection.prepareStatement(REPORT)) {
                    for (Map.Entry<SegmentOperation, Integer> entry : waiting.entrySet()) {
                        report.setString(1, instanceId);
                        report.setString(2, entry.getKey().commandType());
                        report.setInt(3, entry.getValue());
                        report.addBatch();
                    }
                    report.executeBatch();
                }
                try (PreparedStatement read = connection.prepareStatement(WAITING)) {
                    read.setDouble(1, staleAfterSeconds);
                    try (ResultSet rows = read.executeQuery()) {
                        while (rows.next()) {
                            Optional<SegmentOperation> operation = SegmentOperation.forCommandType(rows.getString(1));
                            if (operation.isPresent()) {
                                instances.computeIfAbsent(operation.get(), o -> new TreeSet<>()).add(rows.getString(2));
                            }
                        }
                    }
                }
                connection.commit();
                return instances;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new LedgerAccessException("Could not exchange the instances' demand in the ledger database", e);
        }
    }

    @Override
    public void withdraw(String instanceId) {
        try (Connection connection = dataSource.getConnection()) {
            forget(connection, instanceId);
        } catch (SQLException e) {
            throw new LedgerAccessException("Could not withdraw this instance's demand", e);
        }
    }

    private static void forget(Connection connection, String instanceId) throws SQLException {
        try (PreparedStatement forget = connection.prepareStatement(FORGET_MINE)) {
            forget.setString(1, instanceId);
            forget.executeUpdate();
        }
    }
}
