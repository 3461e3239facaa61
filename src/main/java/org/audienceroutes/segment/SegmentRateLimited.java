package org.audienceroutes.segment;

import com.fasterxml.jackson.databind.JsonNode;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.failure.FailureClass;

/** Segment answered 429: retried by the error handler, a RATE_LIMITED failure once the tries are spent. */
public class SegmentRateLimited extends CommandFailure {

    public SegmentRateLimited(String message, JsonNode segmentErrors) {
        super(FailureClass.RATE_LIMITED, message, 429, segmentErrors);
    }
}
