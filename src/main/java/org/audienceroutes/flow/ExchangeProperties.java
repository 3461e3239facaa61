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
    /** Set when the failure record is built, for the outcome log line. */
    public static final String FAILURE_CLASS = "failureClass";
    public static final String FAILURE_MESSAGE = "failureMessage";

    private ExchangeProperties() {}
}
