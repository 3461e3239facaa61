package org.audienceroutes.flow;

/**
 * The exchange properties one command carries from step to step, named once for the YAML routes and
 * the beans alike ({@code ExchangePropertiesTest} keeps the routes to these names).
 */
public final class ExchangeProperties {

    /** When the record was taken from the commands topic. */
    public static final String RECEIVED_AT = "receivedAt";
    /** The record's value as it arrived, for the failure record. */
    public static final String RAW_COMMAND = "rawCommand";
    /** The parsed {@code AudienceCommand}, replaced by its enriched copy. */
    public static final String COMMAND = "command";
    /** The command type, which is also the Segment endpoint the Throttler paces. */
    public static final String SEGMENT_OPERATION = "segmentOperation";
    /** The HTTP status of Segment's last answer. */
    public static final String SEGMENT_HTTP_STATUS = "segmentHttpStatus";
    /** How many requests this command sent to Segment. */
    public static final String SEGMENT_ATTEMPTS = "segmentAttempts";
    /** This command's place in its endpoint's window ({@code SegmentPace}); cleared when the Segment call starts. */
    public static final String SEGMENT_TURN = "segmentTurn";
    /** How long the last look at the command's turn said to wait; 0 once its turn has come. */
    public static final String SEGMENT_TURN_WAIT = "segmentTurnWaitMillis";
    /** Set when the failure record is built, for the outcome log line. */
    public static final String FAILURE_CLASS = "failureClass";
    public static final String FAILURE_MESSAGE = "failureMessage";

    /** Where the record came from and how often it was replayed ({@code RecordOrigin}), for its failure record. */
    public static final String RECORD_ORIGIN = "recordOrigin";
    /** The Kafka record (topic, partition, offset) the command came from. */
    public static final String RECORD_POSITION = "recordPosition";
    /** True once the commandId has a ledger entry: each record answered is noted on it, whoever's it is. */
    public static final String LEDGER_ENTRY = "ledgerEntry";
    /** True once this exchange holds the commandId's ledger entry; only then does it write to it. */
    public static final String LEDGER_CLAIMED = "ledgerClaimed";
    /** A {@code LedgerDecision}: apply, publish a stored outcome, answer a duplicate, or skip. */
    public static final String LEDGER_DECISION = "ledgerDecision";
    /** A request for this command may have reached Segment without an answer recorded: the uncertain window. */
    public static final String SENT_BEFORE = "sentBefore";
    /** True when a create sent before was found applied at Segment and adopted instead of sent again. */
    public static final String ADOPTED = "adopted";
    /** The outcome record as the ledger stored it: what is published, however often Kafka must be asked. */
    public static final String STORED_OUTCOME = "storedOutcome";
    /** SUCCEEDED or FAILED: which outcome topic the record in the body goes to. */
    public static final String OUTCOME_STATUS = "outcomeStatus";

    private ExchangeProperties() {}
}
