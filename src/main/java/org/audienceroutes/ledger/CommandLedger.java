package org.audienceroutes.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import javax.sql.DataSource;

/**
 * The idempotency ledger: one row per commandId in {@code command_ledger}. Every method is a single statement
 * in its own transaction, and every state change is conditional on the state it starts from, so instances
 * sharing the database cannot both win the same transition.
 */
public final class CommandLedger implements Ledger {

    private static final Set<String> OUTCOME_STATUSES = Set.of("SUCCEEDED", "FAILED");
    /** A claim that finds the row gone between its insert and its read (a purge) tries again, this often. */
    private static final int CLAIM_ATTEMPTS = 3;

    private static final String COLUMNS = "command_id, fingerprint, command_type, state, sends, outcome, outcome_status,"
            + " published, record_topic, record_partition, record_offset, claimed_at, updated_at,"
            + " answered_topic, answered_partition, answered_offset";

    private static final String CLAIM = """
            INSERT INTO command_ledger (command_id, fingerprint, command_type, state, sends, published, claimed_at, updated_at)
            VALUES (?, ?, ?, 'CLAIMED', 0, false, ?, ?)
            ON CONFLICT (command_id) DO NOTHING
            RETURNING\s""" + COLUMNS;
    private static final String FIND = "SELECT " + COLUMNS + " FROM command_ledger WHERE command_id = ?";
    private static final String MARK_SENT = """
            UPDATE command_ledger SET state = 'SENT', sends = sends + 1, updated_at = ?
            WHERE command_id = ? AND state IN ('CLAIMED', 'SENT')""";
    private static final String RECORD_OUTCOME = """
            UPDATE command_ledger
            SET state = 'DONE', outcome = ?, outcome_status = ?, published = false,
                record_topic = ?, record_partition = ?, record_offset = ?, updated_at = ?
            WHERE command_id = ? AND state IN ('CLAIMED', 'SENT')""";
    private static final String MARK_PUBLISHED = """
            UPDATE command_ledger SET published = true, updated_at = ?
            WHERE command_id = ? AND state = 'DONE' AND NOT published""";
    private static final String MARK_ANSWERED = """
            UPDATE command_ledger SET answered_topic = ?, answered_partition = ?, answered_offset = ?, updated_at = ?
            WHERE command_id = ?
              AND (answered_offset IS NULL OR answered_topic <> ? OR answered_partition <> ? OR answered_offset < ?)""";
    private static final String REOPEN = """
            UPDATE command_ledger
            SET state = 'CLAIMED', outcome = NULL, outcome_status = NULL, published = false,
                record_topic = NULL, record_partition = NULL, record_offset = NULL, claimed_at = ?, updated_at = ?
            WHERE command_id = ? AND state = 'DONE' AND outcome_status = 'FAILED'""";
    private static final String PURGE = """
            DELETE FROM command_ledger WHERE state = 'DONE' AND published AND updated_at < ?""";

    private final DataSource dataSource;
    private final Clock clock;

    public CommandLedger(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Inserts a CLAIMED row for the command unless it has one; returns the inserted row (newlyClaimed) or the
     * existing one, whatever its fingerprint: comparing fingerprints is the caller's decision.
     */
    @Override
    public LedgerEntry claim(String commandId, String fingerprint, String commandType) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(commandType, "commandType");
        for (int attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
            Optional<LedgerEntry> inserted = insertClaim(commandId, fingerprint, commandType);
            if (inserted.isPresent()) {
                return inserted.get();
            }
            // DO NOTHING returns no row, and a read within the insert would use the insert's snapshot, which may
            // predate the claim that won.
            Optional<LedgerEntry> existing = find(commandId);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        throw new IllegalStateException("Command " + commandId + " was neither claimable nor readable in "
                + CLAIM_ATTEMPTS + " attempts");
    }

    /** Counts one more request for Segment; called right before it leaves. */
    @Override
    public void markSent(String commandId) {
        int updated = update(MARK_SENT, "mark " + commandId + " as sent", statement -> {
            statement.setObject(1, now());
            statement.setString(2, commandId);
        }, Commit.FLUSHED);
        // every call counts a request, so no existing row makes a call that changed nothing right
        requireApplied(updated, commandId, "mark as sent", entry -> false);
    }

    /**
     * Stores the command's outcome (DONE, not yet published). Repeating the call with the same outcome does
     * nothing; a different outcome for a command that is DONE is refused.
     */
    @Override
    public void recordOutcome(String commandId, String status, String outcomeJson, RecordPosition position) {
        if (!OUTCOME_STATUSES.contains(status)) {
            throw new IllegalArgumentException("Outcome status must be one of " + OUTCOME_STATUSES + ", not " + status);
        }
        Objects.requireNonNull(outcomeJson, "outcomeJson");
        Objects.requireNonNull(position, "position");
        int updated = update(RECORD_OUTCOME, "record the outcome of " + commandId, statement -> {
            statement.setString(1, outcomeJson);
            statement.setString(2, status);
            statement.setString(3, position.topic());
            statement.setInt(4, position.partition());
            statement.setLong(5, position.offset());
            statement.setObject(6, now());
            statement.setString(7, commandId);
        }, Commit.FLUSHED);
        requireApplied(updated, commandId, "record an outcome for", entry -> entry.state() == LedgerState.DONE
                && status.equals(entry.outcomeStatus())
                && outcomeJson.equals(entry.outcome())
                && position.equals(entry.outcomePosition()));
    }

    /** Notes that the stored outcome is on the outcome topic; repeating it does nothing. */
    @Override
    public void markPublished(String commandId) {
        int updated = update(MARK_PUBLISHED, "mark " + commandId + " as published", statement -> {
            statement.setObject(1, now());
            statement.setString(2, commandId);
        }, Commit.DEFERRED);
        requireApplied(updated, commandId, "mark as published", entry -> entry.state() == LedgerState.DONE && entry.published());
    }

    /**
     * Notes that the record at this position got its answer (the first outcome, or a duplicate's), unless a later
     * record of the same partition already did; only the newest answered record of one partition is kept.
     */
    @Override
    public void markAnswered(String commandId, RecordPosition position) {
        Objects.requireNonNull(position, "position");
        update(MARK_ANSWERED, "mark a record of " + commandId + " as answered", statement -> {
            statement.setString(1, position.topic());
            statement.setInt(2, position.partition());
            statement.setLong(3, position.offset());
            statement.setObject(4, now());
            statement.setString(5, commandId);
            statement.setString(6, position.topic());
            statement.setInt(7, position.partition());
            statement.setLong(8, position.offset());
        }, Commit.DEFERRED);
    }

    /**
     * Puts a command whose stored outcome is FAILED back to CLAIMED, fingerprint and sends kept, so that a replay
     * can apply it again.
     *
     * @return true for the one call that reopened it; false when it is not DONE with a FAILED outcome (already
     *         reopened by another instance, succeeded, still in flight, or unknown)
     */
    @Override
    public boolean reopen(String commandId) {
        OffsetDateTime now = now();
        return update(REOPEN, "reopen " + commandId, statement -> {
            statement.setObject(1, now);
            statement.setObject(2, now);
            statement.setString(3, commandId);
        }, Commit.FLUSHED) == 1;
    }

    /** Deletes the published outcomes last changed before the cutoff; returns how many. */
    @Override
    public int purgeOlderThan(Instant cutoff) {
        return update(PURGE, "purge outcomes published before " + cutoff,
                statement -> statement.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)), Commit.FLUSHED);
    }

    private Optional<LedgerEntry> insertClaim(String commandId, String fingerprint, String commandType) {
        OffsetDateTime now = now();
        return query(CLAIM, "claim " + commandId, statement -> {
            statement.setString(1, commandId);
            statement.setString(2, fingerprint);
            statement.setString(3, commandType);
            statement.setObject(4, now);
            statement.setObject(5, now);
        }, true, Commit.DEFERRED);
    }

    @Override
    public Optional<LedgerEntry> find(String commandId) {
        return query(FIND, "read " + commandId, statement -> statement.setString(1, commandId), false, Commit.FLUSHED);
    }

    /** A conditional update that changed nothing is fine only if the row already is as the call would leave it. */
    private void requireApplied(int updated, String commandId, String action, Predicate<LedgerEntry> alreadyApplied) {
        if (updated == 1) {
            return;
        }
        Optional<LedgerEntry> entry = find(commandId);
        if (entry.isEmpty()) {
            throw new IllegalStateException("Cannot " + action + " command " + commandId + ": it is not in the ledger");
        }
        LedgerEntry current = entry.get();
        if (!alreadyApplied.test(current)) {
            String outcome = current.outcomeStatus() == null ? "" : " with outcome " + current.outcomeStatus();
            throw new IllegalStateException("Cannot " + action + " command " + commandId + ": it is " + current.state() + outcome);
        }
    }

    private Optional<LedgerEntry> query(String sql, String action, Binder binder, boolean newlyClaimed, Commit commit) {
        return inTransaction(action, commit, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(entry(row, newlyClaimed)) : Optional.empty();
                }
            }
        });
    }

    private int update(String sql, String action, Binder binder, Commit commit) {
        return inTransaction(action, commit, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                return statement.executeUpdate();
            }
        });
    }

    private <T> T inTransaction(String action, Commit commit, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            if (commit == Commit.FLUSHED) {
                return work.doWith(connection);
            }
            connection.setAutoCommit(false);
            try {
                try (Statement setting = connection.createStatement()) {
                    setting.execute("SET LOCAL synchronous_commit = off");
                }
                T result = work.doWith(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new LedgerAccessException("Could not " + action + " in the ledger", e);
        }
    }

    private static LedgerEntry entry(ResultSet row, boolean newlyClaimed) throws SQLException {
        String topic = row.getString("record_topic");
        RecordPosition position = topic == null ? null
                : new RecordPosition(topic, row.getInt("record_partition"), row.getLong("record_offset"));
        String answeredTopic = row.getString("answered_topic");
        RecordPosition answered = answeredTopic == null ? null
                : new RecordPosition(answeredTopic, row.getInt("answered_partition"), row.getLong("answered_offset"));
        return new LedgerEntry(
                row.getString("command_id"),
                newlyClaimed,
                LedgerState.valueOf(row.getString("state")),
                row.getString("fingerprint"),
                row.getString("command_type"),
                row.getInt("sends"),
                row.getString("outcome"),
                row.getString("outcome_status"),
                row.getBoolean("published"),
                position,
                row.getObject("claimed_at", OffsetDateTime.class).toInstant(),
                row.getObject("updated_at", OffsetDateTime.class).toInstant(),
                answered);
    }

    /** Truncated to PostgreSQL's microseconds, so that the instant written is the instant read back. */
    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    private interface Work<T> {
        T doWith(Connection connection) throws SQLException;
    }

    /**
     * When a change must be on disk. PostgreSQL writes its log in order, so a change committed DEFERRED is flushed
     * by the next FLUSHED commit at the latest (and by the WAL writer within wal_writer_delay): only a crash of the
     * database server itself (all its processes killed at once, or its machine) can lose one, and each DEFERRED
     * change is one whose loss the pipeline recovers from.
     */
    private enum Commit {
        /** Must survive before the pipeline acts on it: a request about to leave, an outcome about to be published. */
        FLUSHED,
        /**
         * A claim (lost: the command is claimed again; a request is always preceded by a FLUSHED note), a published or
         * answered mark (lost: the outcome is found on its topic, see DeliveryLedger.claim).
         */
        DEFERRED
    }
}
