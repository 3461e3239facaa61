package org.audienceroutes.emulator;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import org.audienceroutes.catalogue.SegmentOperation;

/**
 * A plan of misbehaviour for {@link SegmentEmulator#faults}: what goes wrong, for which operations, and for how
 * long. Immutable; start from {@link #none()} and add to it:
 *
 * <pre>{@code
 * emulator.faults(EmulatorFaults.none()
 *         .onlyFor(SegmentOperation.AUDIENCE_CREATE)
 *         .withSlowAnswers(Duration.ofSeconds(2), FaultMoment.AFTER_APPLYING)
 *         .forFirstRequests(1));
 * }</pre>
 *
 * <p>Faults strike only requests that carry the token and match an operation, and not those a {@code failNext}
 * failure answers. On a struck request a storm's 429 replaces the operation, else a server error does if the draw
 * says so, else the operation runs and a 2xx answer is padded; a slow answer delays whatever comes, and a reset
 * drops it (a reset before applying skips the operation too). The faults each request met are in
 * {@link RecordedRequest#faults()}.
 */
public final class EmulatorFaults {

    private static final EmulatorFaults NONE = new EmulatorFaults(Set.of(), 0, 0, null, null, null, 0, Integer.MAX_VALUE, null);

    private final Set<SegmentOperation> scope;
    private final int serverErrorPercent;
    private final long seed;
    private final SlowAnswers slowAnswers;
    private final FaultMoment connectionReset;
    private final RateLimitStorm rateLimitStorm;
    private final int paddedSuccessBytes;
    private final int firstRequests;
    private final Duration period;

    private EmulatorFaults(Set<SegmentOperation> scope, int serverErrorPercent, long seed, SlowAnswers slowAnswers,
                           FaultMoment connectionReset, RateLimitStorm rateLimitStorm, int paddedSuccessBytes,
                           int firstRequests, Duration period) {
        this.scope = scope;
        this.serverErrorPercent = serverErrorPercent;
        this.seed = seed;
        this.slowAnswers = slowAnswers;
        this.connectionReset = connectionReset;
        this.rateLimitStorm = rateLimitStorm;
        this.paddedSuccessBytes = paddedSuccessBytes;
        this.firstRequests = firstRequests;
        this.period = period;
    }

    /** No faults: installing it clears the plan in force. */
    public static EmulatorFaults none() {
        return NONE;
    }

    /** Only requests matched to these operations are struck; without it, every operation is. */
    public EmulatorFaults onlyFor(SegmentOperation... operations) {
        if (operations.length == 0) {
            throw new IllegalArgumentException("name at least one operation");
        }
        Set<SegmentOperation> operationSet = EnumSet.noneOf(SegmentOperation.class);
        for (SegmentOperation operation : operations) {
            operationSet.add(Objects.requireNonNull(operation, "operation"));
        }
        return new EmulatorFaults(Set.copyOf(operationSet), serverErrorPercent, seed, slowAnswers, connectionReset,
                rateLimitStorm, paddedSuccessBytes, firstRequests, period);
    }

    /**
     * Of every 100 consecutive struck requests exactly {@code percent} answer 500 or 503, at positions and with
     * statuses drawn from {@code seed}: the same plan gives the same sequence each time it is installed. Concurrent
     * requests share that sequence in the order they reach the emulator.
     */
    public EmulatorFaults withServerErrors(int percent, long seed) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be between 0 and 100, was " + percent);
        }
        return new EmulatorFaults(scope, percent, seed, slowAnswers, connectionReset, rateLimitStorm, paddedSuccessBytes,
                firstRequests, period);
    }

    /** Each struck request is answered {@code delay} later than it would have been. */
    public EmulatorFaults withSlowAnswers(Duration delay, FaultMoment moment) {
        SlowAnswers slow = new SlowAnswers(requirePositive(delay, "delay"), Objects.requireNonNull(moment, "moment"));
        return new EmulatorFaults(scope, serverErrorPercent, seed, slow, connectionReset, rateLimitStorm, paddedSuccessBytes,
                firstRequests, period);
    }

    /**
     * Each struck request gets its connection closed where its answer would have been sent. The JDK server can
     * only close the socket (the client reads an early end of stream), not send a TCP RST.
     */
    public EmulatorFaults withConnectionResets(FaultMoment moment) {
        return new EmulatorFaults(scope, serverErrorPercent, seed, slowAnswers, Objects.requireNonNull(moment, "moment"),
                rateLimitStorm, paddedSuccessBytes, firstRequests, period);
    }

    /**
     * Each struck request answers 429 with {@code Retry-After} (whole seconds) and the body's {@code msBeforeNext}
     * set apart, so a client test can tell which one the client honoured. Bound the storm with
     * {@link #forPeriod} or {@link #forFirstRequests}.
     */
    public EmulatorFaults withRateLimitStorm(Duration retryAfter, Duration msBeforeNext) {
        requireNotNegative(retryAfter, "retryAfter");
        if (retryAfter.getNano() != 0) {
            throw new IllegalArgumentException("Retry-After carries whole seconds, was " + retryAfter);
        }
        RateLimitStorm storm = new RateLimitStorm(retryAfter.toSeconds(), requireNotNegative(msBeforeNext, "msBeforeNext").toMillis());
        return new EmulatorFaults(scope, serverErrorPercent, seed, slowAnswers, connectionReset, storm, paddedSuccessBytes,
                firstRequests, period);
    }

    /** Each struck 2xx answer's {@code data} gets a padding field of {@code minimumBytes}, so the body is larger. */
    public EmulatorFaults withPaddedSuccess(int minimumBytes) {
        if (minimumBytes <= 0) {
            throw new IllegalArgumentException("minimumBytes must be positive, was " + minimumBytes);
        }
        return new EmulatorFaults(scope, serverErrorPercent, seed, slowAnswers, connectionReset, rateLimitStorm, minimumBytes,
                firstRequests, period);
    }

    /** Only the first {@code requests} requests in scope after the plan is installed are struck. */
    public EmulatorFaults forFirstRequests(int requests) {
        if (requests <= 0) {
            throw new IllegalArgumentException("requests must be positive, was " + requests);
        }
        return new EmulatorFaults(scope, serverErrorPercent, seed, slowAnswers, connectionReset, rateLimitStorm,
                paddedSuccessBytes, requests, period);
    }

    /** Only requests arriving within {@code period} of the plan being installed are struck. */
    public EmulatorFaults forPeriod(Duration period) {
        return new EmulatorFaults(scope, serverErrorPercent, seed, slowAnswers, connectionReset, rateLimitStorm,
                paddedSuccessBytes, firstRequests, requirePositive(period, "period"));
    }

    boolean covers(SegmentOperation operation) {
        return scope.isEmpty() || scope.contains(operation);
    }

    int serverErrorPercent() { return serverErrorPercent; }
    long seed() { return seed; }
    /** Null when answers are not slowed. */
    SlowAnswers slowAnswers() { return slowAnswers; }
    /** Null when connections are not reset. */
    FaultMoment connectionReset() { return connectionReset; }
    /** Null when there is no storm. */
    RateLimitStorm rateLimitStorm() { return rateLimitStorm; }
    /** 0 when successes are not padded. */
    int paddedSuccessBytes() { return paddedSuccessBytes; }
    int firstRequests() { return firstRequests; }
    /** Null when the plan lasts until replaced. */
    Duration period() { return period; }

    private static Duration requirePositive(Duration duration, String name) {
        if (requireNotNegative(duration, name).isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return duration;
    }

    private static Duration requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + duration);
        }
        return duration;
    }

    record SlowAnswers(Duration delay, FaultMoment moment) {}

    record RateLimitStorm(long retryAfterSeconds, long msBeforeNext) {}
}
