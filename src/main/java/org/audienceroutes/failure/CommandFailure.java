package org.audienceroutes.failure;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An expected, classified failure of one command. It becomes exactly one failure record;
 * it is never logged with a stack trace, so it does not fill one in.
 */
public class CommandFailure extends RuntimeException {

    private final FailureClass failureClass;
    private final Integer httpStatus;
    private final transient JsonNode segmentErrors;

    public CommandFailure(FailureClass failureClass, String message, Integer httpStatus, JsonNode segmentErrors) {
        super(message, null, false, false);
        this.failureClass = failureClass;
        this.httpStatus = httpStatus;
        this.segmentErrors = segmentErrors;
    }

    public static CommandFailure validation(String message) {
        return new CommandFailure(FailureClass.VALIDATION, message, null, null);
    }

    public static CommandFailure notFound(String message) {
        return new CommandFailure(FailureClass.NOT_FOUND, message, null, null);
    }

    public FailureClass failureClass() { return failureClass; }
    public Integer httpStatus() { return httpStatus; }
    /** Segment's {@code errors} array, when Segment answered with one. */
    public JsonNode segmentErrors() { return segmentErrors; }
}
