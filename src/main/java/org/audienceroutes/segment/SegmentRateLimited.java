package org.audienceroutes.segment;

import com.fasterxml.jackson.databind.JsonNode;
import org.audienceroutes.failure.CommandFailure;
import org.audienceroutes.failure.FailureClass;

/** Segment answered 429: retried by the error handler, a RATE_LIMITED failure once the tries are spent. */
public class SegmentRateLimited extends CommandFailure {

    /** The wait Segment asked for, when the 429 was met by a read on a command's behalf; null otherwise. */
    private final Long waitMillis;

    public SegmentRateLimited(String message, JsonNode segmentErrors) {
        this(message, segmentErrors, null);
    }

    private SegmentRateLimited(String message, JsonNode segmentErrors, Long waitMillis) {
        super(FailureClass.RATE_LIMITED, message, 429, segmentErrors);
        this.waitMillis = waitMillis;
    }

    /** The same 429, carrying the wait to the command whose read met it. */
    public SegmentRateLimited withWait(Long wait) {
        SegmentRateLimited carried = new SegmentRateLimited(getMessage(), segmentErrors(), wait);
        carried.setStackTrace(getStackTrace());
        return carried;
    }

    public Long waitMillis() {
        return waitMillis;
    }
}
