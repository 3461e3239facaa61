package org.audienceroutes.ledger;

/** How far a command has got. */
public enum LedgerState {
    /** Taken by an instance; no request has left for Segment yet. */
    CLAIMED,
    /** At least one request may have reached Segment; its outcome is not known. */
    SENT,
    /** The outcome is stored and is the answer to every later delivery of the command. */
    DONE
}
