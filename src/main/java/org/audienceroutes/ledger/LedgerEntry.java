package org.audienceroutes.ledger;

import java.time.Instant;

/**
 * One command's row in the ledger, as read by the call that returned it.
 *
 * @param newlyClaimed    true only for the {@link CommandLedger#claim} call that inserted the row
 * @param outcome         the outcome record's JSON; null until {@link LedgerState#DONE}
 * @param outcomeStatus   SUCCEEDED or FAILED; null until DONE
 * @param outcomePosition the Kafka record whose processing produced the outcome; null until DONE
 * @param answeredPosition the newest record of the command answered on its partition; null until one was
 */
public record LedgerEntry(
        String commandId,
        boolean newlyClaimed,
        LedgerState state,
        String fingerprint,
        String commandType,
        int sends,
        String outcome,
        String outcomeStatus,
        boolean published,
        RecordPosition outcomePosition,
        Instant claimedAt,
        Instant updatedAt,
        RecordPosition answeredPosition) {

    /** Whether the record at this position was answered already: it, or a later record of its partition, was. */
    public boolean answered(RecordPosition position) {
        return answeredPosition != null && position != null
                && answeredPosition.topic().equals(position.topic())
                && answeredPosition.partition() == position.partition()
                && position.offset() <= answeredPosition.offset();
    }
}
