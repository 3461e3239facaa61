package org.audienceroutes.delivery;

/** What the ledger says to do with a command read from the commands topic. */
public enum LedgerDecision {
    /** First time seen, or never sent, or sent without an answer (the uncertain window): apply it. */
    APPLY,
    /** Its outcome is known but was never published (a crash in between): publish it, call nobody. */
    PUBLISH_STORED,
    /** Applied before, for another record (a re-send, a replay): answer with the first outcome, marked duplicate. */
    ANSWER_DUPLICATE,
    /** This very record was answered already (a redelivery): commit its offset, publish nothing. */
    SKIP_ANSWERED
}
