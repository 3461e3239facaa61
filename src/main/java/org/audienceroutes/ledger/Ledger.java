package org.audienceroutes.ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * What the pipeline asks of the ledger of commands; {@link CommandLedger} keeps it in PostgreSQL. Each call
 * is one conditional statement, safe with several instances, and harmless when repeated.
 */
public interface Ledger {

    /** Inserts a CLAIMED entry unless the command has one; returns it (newly claimed) or the existing one. */
    LedgerEntry claim(String commandId, String fingerprint, String commandType);

    /** The command's entry as it is now; empty for a command the ledger never saw (or purged). */
    Optional<LedgerEntry> find(String commandId);

    /** Counts one more request for Segment; called right before it leaves. */
    void markSent(String commandId);

    /** Stores the command's outcome (DONE, not yet published). */
    void recordOutcome(String commandId, String status, String outcomeJson, RecordPosition position);

    /** Notes that the stored outcome is on the outcome topic. */
    void markPublished(String commandId);

    /** Notes that the record at this position got its answer, unless a later record of its partition did. */
    void markAnswered(String commandId, RecordPosition position);

    /** Puts a command whose outcome is FAILED back to CLAIMED; true for the one call that did. */
    boolean reopen(String commandId);

    /** Deletes published outcomes last updated before the cutoff; returns how many. */
    int purgeOlderThan(Instant cutoff);
}
