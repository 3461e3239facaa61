package org.audienceroutes.segment;

import com.fasterxml.jackson.databind.JsonNode;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.failure.FailureClass;

/** Segment failed (5xx) or answered what cannot be read: usually transient, retried, a SERVER failure once the tries are spent. */
public class SegmentUnavailable extends CommandFailure {

    public SegmentUnavailable(String message, Integer httpStatus, JsonNode segmentErrors) {
        super(FailureClass.SERVER, message, httpStatus, segmentErrors);
    }
}
