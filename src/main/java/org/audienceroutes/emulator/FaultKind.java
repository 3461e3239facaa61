package org.audienceroutes.emulator;

/** The kinds of misbehaviour an {@link EmulatorFaults} plan injects, as counted by {@link SegmentEmulator#faultsInjected}. */
public enum FaultKind {
    /** A 500 or 503 with Segment's error envelope instead of the operation; state untouched. */
    SERVER_ERROR,
    /** The answer, whatever it is, arrives late. */
    SLOW_ANSWER,
    /** The connection is closed without any HTTP answer. */
    CONNECTION_RESET,
    /** A 429 instead of the operation, with the plan's Retry-After and msBeforeNext; state and window untouched. */
    RATE_LIMIT_STORM,
    /** A 2xx answer whose {@code data} carries a padding field of the plan's size. */
    PADDED_SUCCESS
}
