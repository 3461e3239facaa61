package org.audienceroutes.emulator;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.audienceroutes.emulator.EmulatorFaults.RateLimitStorm;
import org.audienceroutes.emulator.EmulatorFaults.SlowAnswers;

/**
 * What an {@link EmulatorFaults} plan does to one request.
 *
 * @param rateLimitStorm     the 429 to answer instead of the operation, or null
 * @param serverErrorStatus  the 500 or 503 to answer instead of the operation, or 0
 * @param slowAnswers        how late the answer comes, or null
 * @param connectionReset    when the connection is dropped instead of answered, or null
 * @param paddedSuccessBytes the padding added to a 2xx answer's data, or 0
 */
record RequestFaults(RateLimitStorm rateLimitStorm, int serverErrorStatus, SlowAnswers slowAnswers,
                     FaultMoment connectionReset, int paddedSuccessBytes) {

    static final RequestFaults NONE = new RequestFaults(null, 0, null, null, 0);

    Optional<Duration> delayBeforeApplying() {
        return delayAt(FaultMoment.BEFORE_APPLYING);
    }

    Optional<Duration> delayAfterApplying() {
        return delayAt(FaultMoment.AFTER_APPLYING);
    }

    boolean resetsBeforeApplying() {
        return connectionReset == FaultMoment.BEFORE_APPLYING;
    }

    boolean resetsAfterApplying() {
        return connectionReset == FaultMoment.AFTER_APPLYING;
    }

    boolean pads(int status) {
        return paddedSuccessBytes > 0 && status >= 200 && status < 300;
    }

    /** The faults the client meets on a request answered {@code status} ({@link RecordedRequest#NO_ANSWER} if reset). */
    Set<FaultKind> struck(int status) {
        Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        if (connectionReset != null) {
            kinds.add(FaultKind.CONNECTION_RESET);
        } else if (rateLimitStorm != null) {
            kinds.add(FaultKind.RATE_LIMIT_STORM);
        } else if (serverErrorStatus != 0) {
            kinds.add(FaultKind.SERVER_ERROR);
        }
        if (slowAnswers != null) {
            kinds.add(FaultKind.SLOW_ANSWER);
        }
        if (pads(status)) {
            kinds.add(FaultKind.PADDED_SUCCESS);
        }
        return Set.copyOf(kinds);
    }

    private Optional<Duration> delayAt(FaultMoment moment) {
        return slowAnswers != null && slowAnswers.moment() == moment ? Optional.of(slowAnswers.delay()) : Optional.empty();
    }
}
