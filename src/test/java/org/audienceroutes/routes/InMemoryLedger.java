package org.audienceroutes.routes;

import org.audienceroutes.ledger.Ledger;
import org.audienceroutes.ledger.LedgerEntry;
import org.audienceroutes.ledger.LedgerState;
import org.audienceroutes.ledger.RecordPosition;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's rules without its database, for route tests that run no PostgreSQL; the end-to-end tests and
 * CommandLedgerIT run the real one.
 */
final class InMemoryLedger implements Ledger {

    private final Map<String, LedgerEntry> entries = new HashMap<>();

    synchronized void clear() {
        entries.clear();
    }

    @Override
    public synchronized Optional<LedgerEntry> find(String commandId) {
        return Optional.ofNullable(entries.get(commandId));
    }

    @Override
    public synchronized LedgerEntry claim(String commandId, String fingerprint, String commandType) {
        LedgerEntry existing = entries.get(commandId);
        if (existing != null) {
            return with(existing, false, existing.state(), existing.sends(), existing.outcome(), existing.outcomeStatus(),
                    existing.published(), existing.outcomePosition(), existing.answeredPosition());
        }
        Instant now = Instant.now();
        LedgerEntry claimed = new LedgerEntry(commandId, true, LedgerState.CLAIMED, fingerprint, commandType, 0, null, null,
                false, null, now, now, null);
        entries.put(commandId, claimed);
        return claimed;
    }

    @Override
    public synchronized void markSent(String commandId) {
        LedgerEntry e = entries.get(commandId);
        entries.put(commandId, with(e, false, LedgerState.SENT, e.sends() + 1, null, null, false, null, e.answeredPosition()));
    }

    @Override
    public synchronized void recordOutcome(String commandId, String status, String outcomeJson, RecordPosition position) {
        LedgerEntry e = entries.get(commandId);
        entries.put(commandId, with(e, false, LedgerState.DONE, e.sends(), outcomeJson, status, false, position, e.answeredPosition()));
    }

    @Override
    public synchronized void markPublished(String commandId) {
        LedgerEntry e = entries.get(commandId);
        entries.put(commandId, with(e, false, e.state(), e.sends(), e.outcome(), e.outcomeStatus(), true, e.outcomePosition(), e.answeredPosition()));
    }

    @Override
    public synchronized void markAnswered(String commandId, RecordPosition position) {
        LedgerEntry e = entries.get(commandId);
        if (!e.answered(position)) {
            entries.put(commandId, with(e, false, e.state(), e.sends(), e.outcome(), e.outcomeStatus(), e.published(), e.outcomePosition(), position));
        }
    }

    @Override
    public synchronized boolean reopen(String commandId) {
        LedgerEntry e = entries.get(commandId);
        if (e == null || e.state() != LedgerState.DONE || !"FAILED".equals(e.outcomeStatus())) {
            return false;
        }
        entries.put(commandId, with(e, false, LedgerState.CLAIMED, e.sends(), null, null, false, null, e.answeredPosition()));
        return true;
    }

    @Override
    public synchronized int purgeOlderThan(Instant cutoff) {
        int before = entries.size();
        entries.values().removeIf(e -> e.state() == LedgerState.DONE && e.published() && e.updatedAt().isBefore(cutoff));
        return before - entries.size();
    }

    private static LedgerEntry with(LedgerEntry e, boolean newlyClaimed, LedgerState state, int sends, String outcome,
                                    String outcomeStatus, boolean published, RecordPosition outcomePosition, RecordPosition answered) {
        return new LedgerEntry(e.commandId(), newlyClaimed, state, e.fingerprint(), e.commandType(), sends, outcome, outcomeStatus,
                published, outcomePosition, e.claimedAt(), Instant.now(), answered);
    }
}
